"""PyHamcrest matchers for received chat messages.

They read only what docs/protocol.md ("What a portable assertion may rely on") says
holds on every target: which agent answered (the reply's routing key is the key of the
connection's agent; the sender id is a second witness where the target's dialect names
the agent there), which chat the reply answers, the platform, and that it carries text.
Exact wording is for the reference server's deterministic agents only.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from hamcrest.core.base_matcher import BaseMatcher
from hamcrest.core.description import Description
from hamcrest.core.helpers.wrap_matcher import wrap_matcher
from hamcrest.core.matcher import Matcher

from ..wire.dialects import Dialect
from ..wire.messages import Chat, ChatKind, ChatMessage


class _FieldsMatcher(BaseMatcher[ChatMessage]):
    """Compares named fields of a ChatMessage with expected values."""

    def __init__(self, description: str, expected: dict[str, Any]) -> None:
        self._description = description
        self._expected = expected

    def _matches(self, item: Any) -> bool:
        return isinstance(item, ChatMessage) and all(
            getattr(item, name) == value for name, value in self._expected.items()
        )

    def describe_to(self, description: Description) -> None:
        description.append_text(self._description)

    def describe_mismatch(self, item: Any, mismatch_description: Description) -> None:
        if not isinstance(item, ChatMessage):
            mismatch_description.append_text(f"was not a chat message: {item!r}")
            return
        wrong = [
            f"{name} was {getattr(item, name)!r}"
            for name, value in self._expected.items()
            if getattr(item, name) != value
        ]
        mismatch_description.append_text(", ".join(wrong))


def from_agent(
    api_key: str, agent_id: str, name: str = "", *, dialect: Dialect
) -> Matcher[ChatMessage]:
    """Sent by the agent whose key is ``api_key``: routed with that key (the
    ``message_dim`` of the connection's own key); and, where the ``dialect``'s replies
    name their agent as sender (not saas's one global bot account), sender id = agent id.
    Where neither names the agent (upstream: one bot, and a routing key naming the
    platform's last speaker), nothing of the reply says who answered: it matches any."""
    label = f"{name} ({agent_id})" if name and agent_id else name or agent_id or "the agent"
    expected: dict[str, Any] = {}
    if dialect.routing_key_names_asker:
        expected["routing_key"] = api_key
    if dialect.sender_names_agent and agent_id:
        expected["sender_id"] = agent_id
    if not expected:
        return _FieldsMatcher(
            f"from {label} (the {dialect.name} bot; its replies name no agent)", {}
        )
    return _FieldsMatcher(f"from agent {label}, key {api_key}", expected)


def routed_with(api_key: str, tenant: str) -> Matcher[ChatMessage]:
    """Marked as the answer to ``tenant``'s connection: its routing key is the key that
    connection presented (what every dialect but upstream guarantees, and what the
    other matchers read as who answered)."""
    return _FieldsMatcher(
        f"marked as {tenant}'s: routed with the key {api_key}", {"routing_key": api_key}
    )


def addressed_to(chat: Chat) -> Matcher[ChatMessage]:
    """Answers this chat: the group for a group chat; for a private one, the user, and
    no group (saas names the asker beside the group of a group reply)."""
    if chat.kind is ChatKind.GROUP:
        return _FieldsMatcher(f"addressed to {chat.describe()}", {"to_group_id": chat.chat_id})
    return _FieldsMatcher(
        f"addressed to {chat.describe()}", {"to_user_id": chat.chat_id, "to_group_id": None}
    )


def addressed_to_one_of(chats: Sequence[Chat]) -> Matcher[ChatMessage]:
    """Answers any of these chats (e.g. one of the asker's: their group or their private chat)."""
    return _AddressedToOneOf(tuple(chats))


class _AddressedToOneOf(BaseMatcher[ChatMessage]):
    def __init__(self, chats: tuple[Chat, ...]) -> None:
        self._chats = chats
        self._each = [addressed_to(chat) for chat in chats]

    def _matches(self, item: Any) -> bool:
        return any(each.matches(item) for each in self._each)

    def describe_to(self, description: Description) -> None:
        description.append_text(
            "addressed to " + " or ".join(chat.describe() for chat in self._chats)
        )

    def describe_mismatch(self, item: Any, mismatch_description: Description) -> None:
        if not isinstance(item, ChatMessage):
            mismatch_description.append_text(f"was not a chat message: {item!r}")
            return
        mismatch_description.append_text(
            f"it was addressed to {item.receiver} (to_group_id was {item.to_group_id!r}, "
            f"to_user_id was {item.to_user_id!r})"
        )


def on_platform(platform: str) -> Matcher[ChatMessage]:
    return _FieldsMatcher(f"on platform {platform!r}", {"routing_platform": platform})


class _TextMatcher(BaseMatcher[ChatMessage]):
    def __init__(self, text: Matcher[str]) -> None:
        self._text = text

    def _matches(self, item: Any) -> bool:
        return isinstance(item, ChatMessage) and self._text.matches(item.text)

    def describe_to(self, description: Description) -> None:
        description.append_text("with text ").append_description_of(self._text)

    def describe_mismatch(self, item: Any, mismatch_description: Description) -> None:
        if not isinstance(item, ChatMessage):
            mismatch_description.append_text(f"was not a chat message: {item!r}")
            return
        mismatch_description.append_text("its text ")
        self._text.describe_mismatch(item.text, mismatch_description)


def with_text(text: str | Matcher[str]) -> Matcher[ChatMessage]:
    """Its readable text (plain, or the text parts of a quote seglist) matches."""
    return _TextMatcher(wrap_matcher(text))


def with_some_text() -> Matcher[ChatMessage]:
    return _SomeText()


class _SomeText(BaseMatcher[ChatMessage]):
    def _matches(self, item: Any) -> bool:
        return isinstance(item, ChatMessage) and item.text != ""

    def describe_to(self, description: Description) -> None:
        description.append_text("with some text")

    def describe_mismatch(self, item: Any, mismatch_description: Description) -> None:
        mismatch_description.append_text("it had no text")


class _Every(BaseMatcher[ChatMessage]):
    """All of several matchers, described one per line, mismatches only for those failing."""

    def __init__(self, parts: list[Matcher[ChatMessage]]) -> None:
        self._parts = parts

    def _matches(self, item: Any) -> bool:
        return all(part.matches(item) for part in self._parts)

    def describe_to(self, description: Description) -> None:
        for index, part in enumerate(self._parts):
            if index:
                description.append_text("\n")
            description.append_description_of(part)

    def describe_mismatch(self, item: Any, mismatch_description: Description) -> None:
        failing = [part for part in self._parts if not part.matches(item)]
        for index, part in enumerate(failing):
            if index:
                mismatch_description.append_text("; ")
            part.describe_mismatch(item, mismatch_description)


def every(*parts: Matcher[ChatMessage]) -> Matcher[ChatMessage]:
    """Matches when all ``parts`` match; reads as a list in failures."""
    flat: list[Matcher[ChatMessage]] = []
    for part in parts:
        flat.extend(part._parts if isinstance(part, _Every) else [part])
    return _Every(flat)


def quoting(message_id: str) -> Matcher[ChatMessage]:
    """A quote reply (seglist with a ``reply`` segment) naming this message id."""
    return _FieldsMatcher(f"quoting message {message_id}", {"quoted_message_id": message_id})


def a_reply(
    *,
    api_key: str,
    agent_id: str,
    agent_name: str,
    chat: Chat | None,
    platform: str,
    dialect: Dialect,
) -> Matcher[ChatMessage]:
    """What a portable scenario may demand of a reply: right agent, platform, some text,
    and (unless ``chat`` is None) addressed to the chat asked in."""
    parts = [
        from_agent(api_key, agent_id, agent_name, dialect=dialect),
        on_platform(platform),
        with_some_text(),
    ]
    if chat is not None:
        parts.insert(1, addressed_to(chat))
    return every(*parts)


def anything() -> Matcher[ChatMessage]:
    return _Anything()


class _Anything(BaseMatcher[ChatMessage]):
    def _matches(self, item: Any) -> bool:
        return True

    def describe_to(self, description: Description) -> None:
        description.append_text("any message at all")


def anything_but(allowed: Sequence[Matcher[ChatMessage]], what: str) -> Matcher[ChatMessage]:
    """Any message except one that ``allowed`` matches (which ``what`` names in failures)."""
    return _AnythingBut(list(allowed), what)


class _AnythingBut(BaseMatcher[ChatMessage]):
    def __init__(self, allowed: list[Matcher[ChatMessage]], what: str) -> None:
        self._allowed = allowed
        self._what = what

    def _matches(self, item: Any) -> bool:
        return not any(matcher.matches(item) for matcher in self._allowed)

    def describe_to(self, description: Description) -> None:
        description.append_text(f"a message other than {self._what}")

    def describe_mismatch(self, item: Any, mismatch_description: Description) -> None:
        mismatch_description.append_text(f"it is {self._what}")


def exactly_text(expected: str) -> Matcher[ChatMessage]:
    """Its readable text is ``expected``, character for character. Failures name the
    first differing character by code point, and clip long texts."""
    return _ExactText(expected)


class _ExactText(BaseMatcher[ChatMessage]):
    def __init__(self, expected: str) -> None:
        self._expected = expected

    def _matches(self, item: Any) -> bool:
        return isinstance(item, ChatMessage) and item.text == self._expected

    def describe_to(self, description: Description) -> None:
        description.append_text(
            f"with exactly the text {_clip(self._expected)} ({len(self._expected)} characters)"
        )

    def describe_mismatch(self, item: Any, mismatch_description: Description) -> None:
        if not isinstance(item, ChatMessage):
            mismatch_description.append_text(f"was not a chat message: {item!r}")
            return
        got, want = item.text, self._expected
        at = next((i for i, (a, b) in enumerate(zip(got, want, strict=False)) if a != b), None)
        if at is None:
            mismatch_description.append_text(
                f"its text has {len(got)} characters, not {len(want)}: {_clip(got)}"
            )
            return
        mismatch_description.append_text(
            f"its text differs at character {at + 1}: {_code_point(got[at])} instead of "
            f"{_code_point(want[at])}, in {_clip(got[max(0, at - 10) :])}"
        )


def _code_point(char: str) -> str:
    return f"U+{ord(char):04X} {char!r}"


def _clip(text: str, limit: int = 80) -> str:
    return repr(text) if len(text) <= limit else repr(text[:limit]) + "..."


class _NothingListed(BaseMatcher[Sequence[str]]):
    def _matches(self, item: Any) -> bool:
        return len(item) == 0

    def describe_to(self, description: Description) -> None:
        description.append_text("none")

    def describe_mismatch(self, item: Any, mismatch_description: Description) -> None:
        lines = "".join(f"\n       - {line}" for line in item)
        mismatch_description.append_text(f"{len(item)}:{lines}")


def nothing_listed() -> Matcher[Sequence[str]]:
    """For a list of problems, one line each: passes when empty, else lists them one per line
    (PyHamcrest's ``empty()`` would print the list's repr on one long line)."""
    return _NothingListed()
