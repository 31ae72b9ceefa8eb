"""Chat messages as the suite talks about them: who says what, in which chat.

Outgoing messages are maim_message ``APIMessageBase`` objects, dated now (the
real server ignores messages dated in the past). Incoming packages are read into
:class:`ChatMessage`, a flat, tolerant view: a malformed reply is still shown in
a failure's transcript rather than lost in a parse error.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from maim_message.message import (
    APIMessageBase,
    BaseMessageInfo,
    GroupInfo,
    MessageDim,
    Seg,
    SenderInfo,
    UserInfo,
)

from .protocol import chat_package, new_package_id


class ChatKind(StrEnum):
    GROUP = "group"
    PRIVATE = "private"


@dataclass(frozen=True)
class ChatUser:
    """A person chatting through an adapter (``sender_info.user_info``)."""

    user_id: str
    nickname: str


@dataclass(frozen=True)
class Chat:
    """Where a message is said: a group, or a private chat with one user."""

    kind: ChatKind
    chat_id: str
    title: str

    @classmethod
    def group(cls, group_id: str, title: str) -> Chat:
        return cls(ChatKind.GROUP, group_id, title)

    @classmethod
    def private_with(cls, user: ChatUser) -> Chat:
        return cls(ChatKind.PRIVATE, user.user_id, user.nickname)

    def describe(self) -> str:
        if self.kind is ChatKind.GROUP:
            return f"group chat '{self.title}' ({self.chat_id})"
        return f"private chat with {self.title} ({self.chat_id})"


def text_segment(text: str) -> Seg:
    return Seg(type="text", data=text)


def new_message_id() -> str:
    return f"m_{uuid.uuid4().hex[:16]}"


def build_message(
    *,
    segment: Seg,
    api_key: str,
    platform: str,
    sender: ChatUser,
    chat: Chat,
    message_id: str | None = None,
    additional_config: Mapping[str, Any] | None = None,
) -> APIMessageBase:
    """A user's message in ``chat``, routed with the connection's own key, dated now;
    ``additional_config`` rides in ``message_info`` (upstream MaiBot reads the bot's
    account there)."""
    group_info = (
        GroupInfo(platform=platform, group_id=chat.chat_id, group_name=chat.title)
        if chat.kind is ChatKind.GROUP
        else None
    )
    return APIMessageBase(
        message_info=BaseMessageInfo(
            platform=platform,
            message_id=message_id or new_message_id(),
            time=time.time(),
            additional_config=dict(additional_config) if additional_config else None,
            sender_info=SenderInfo(
                user_info=UserInfo(
                    platform=platform, user_id=sender.user_id, user_nickname=sender.nickname
                ),
                group_info=group_info,
            ),
        ),
        message_segment=segment,
        message_dim=MessageDim(api_key=api_key, platform=platform),
    )


def outgoing(
    segment: Seg,
    *,
    sender: ChatUser,
    chat: Chat,
    api_key: str,
    platform: str,
    claims: tuple[str, str],
    additional_config: Mapping[str, Any],
    inbox_mark: int,
) -> tuple[SentMessage, dict[str, Any]]:
    """A message of a connection (``api_key`` on ``platform``) that claims the routing
    key and platform ``claims``, wrapped in its package; and what the suite keeps of it."""
    claimed_key, claimed_platform = claims
    message = build_message(
        segment=segment,
        api_key=claimed_key,
        platform=claimed_platform,
        sender=sender,
        chat=chat,
        additional_config=additional_config,
    )
    package_id = new_package_id()
    package = chat_package(
        message.to_dict(), package_id=package_id, api_key=api_key, platform=platform
    )
    sent = SentMessage(
        message_id=message.message_info.message_id,
        text=segment.data if isinstance(segment.data, str) else f"<{segment.type}>",
        sender=sender,
        chat=chat,
        platform=message.message_info.platform,
        sent_at=time.monotonic(),
        wall_time=message.message_info.time,
        inbox_mark=inbox_mark,
        package_id=package_id,
    )
    return sent, package


def _get(data: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(data, Mapping):
            return None
        data = data.get(key)
    return data


def text_of(segment: Any) -> str:
    """The readable text of a segment: a ``text``, or the text parts of a ``seglist``
    (nested ones included).

    The real server sometimes answers with a seglist of a ``reply`` segment (quoting
    the answered message id) followed by the text; quotes are not text.
    """
    kind = _get(segment, "type")
    data = _get(segment, "data")
    if kind == "text" and isinstance(data, str):
        return data
    if kind == "seglist" and isinstance(data, list):
        return "".join(text_of(part) for part in data if _get(part, "type") != "reply")
    return ""


def segment_types(segment: Any) -> tuple[str, ...]:
    """The kinds of content a segment carries, in order: a seglist is read through
    (nested ones too), as ``text_of`` reads it, so that a wrapper never hides an image;
    no segment at all carries nothing: ``()``."""
    if not isinstance(segment, Mapping):
        return ()
    data = _get(segment, "data")
    if _get(segment, "type") == "seglist" and isinstance(data, list):
        return tuple(kind for part in data for kind in segment_types(part))
    return (str(_get(segment, "type")),)


def quoted_message_id(segment: Any) -> str | None:
    """The message id a quote reply quotes: its seglist's ``reply`` part (MaiMBot puts
    it first, at the top level; a quote is not looked for deeper)."""
    data = _get(segment, "data")
    if _get(segment, "type") == "seglist" and isinstance(data, list):
        for part in data:
            if _get(part, "type") == "reply" and isinstance(_get(part, "data"), str):
                return str(_get(part, "data"))
    return None


TARGET_USER = "platform_io_target_user_id"
"""Where upstream MaiBot names the user a reply is for (``additional_config``): its
``receiver_info.user_info`` is the bot itself (docs/protocol.md, "upstream")."""


def addressee(info: Any) -> str | None:
    """The user a message is for: the target user upstream names in ``additional_config``,
    else ``receiver_info.user_info`` (no other dialect sets that key)."""
    target = _get(info, "additional_config", TARGET_USER)
    if isinstance(target, str) and target:
        return target
    found = _get(info, "receiver_info", "user_info", "user_id")
    return found if isinstance(found, str) else None


@dataclass(frozen=True)
class ChatMessage:
    """A received chat message, flattened for matching and for transcripts."""

    message_id: str | None
    platform: str | None
    routing_key: str | None
    routing_platform: str | None
    sender_id: str | None
    sender_name: str | None
    to_group_id: str | None
    to_user_id: str | None
    in_group_id: str | None
    """The group a user's message is said in (``sender_info.group_info``); a reply
    names its chat as receiver (``to_group_id``, ``to_user_id``)."""
    text: str
    segment_types: tuple[str, ...]
    quoted_message_id: str | None
    payload: Mapping[str, Any]

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> ChatMessage:
        info = _get(payload, "message_info")
        segment = _get(payload, "message_segment")
        return cls(
            message_id=_get(info, "message_id"),
            platform=_get(info, "platform"),
            routing_key=_get(payload, "message_dim", "api_key"),
            routing_platform=_get(payload, "message_dim", "platform"),
            sender_id=_get(info, "sender_info", "user_info", "user_id"),
            sender_name=_get(info, "sender_info", "user_info", "user_nickname"),
            to_group_id=_get(info, "receiver_info", "group_info", "group_id"),
            to_user_id=addressee(info),
            in_group_id=_get(info, "sender_info", "group_info", "group_id"),
            text=text_of(segment),
            segment_types=segment_types(segment),
            quoted_message_id=quoted_message_id(segment),
            payload=payload,
        )

    @property
    def is_quote_reply(self) -> bool:
        return self.quoted_message_id is not None

    @property
    def receiver(self) -> str:
        """Whom the message addresses, in a few words."""
        if self.to_group_id:
            return f"group {self.to_group_id}"
        if self.to_user_id:
            return f"user {self.to_user_id}"
        return "no receiver"

    def describe(self, text_limit: int = 80) -> str:
        sender = f"{self.sender_name} ({self.sender_id})" if self.sender_name else self.sender_id
        to = self.receiver
        text = self.text if len(self.text) <= text_limit else self.text[:text_limit] + "..."
        shape = "+".join(self.segment_types) or "no segment"
        return (
            f"from {sender} to {to}, key {self.routing_key} on {self.routing_platform}, "
            f"{shape}: {text!r}"
        )


@dataclass(frozen=True)
class SentMessage:
    """What a client handed to the server, and where its inbox stood at that moment."""

    message_id: str
    text: str
    sender: ChatUser
    chat: Chat
    platform: str
    sent_at: float
    wall_time: float
    inbox_mark: int
    package_id: str = ""

    def describe(self) -> str:
        clock = time.strftime("%H:%M:%S", time.localtime(self.wall_time))
        return (
            f"{self.sender.nickname} sent {self.text[:60]!r} (message {self.message_id}) "
            f"in the {self.chat.describe()} on {self.platform!r} at {clock}"
            f".{int(self.wall_time * 1000) % 1000:03d}"
        )
