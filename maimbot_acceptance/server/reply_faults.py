"""Reply faults: how many replies a message gets, to which chat, quoting what.

Each is a complaint MaiBot's users keep filing (Mai-with-u/MaiBot): a second reply to
one message (#1087, #1933), the bot answering its own message reported back by the
adapter (#1858, #1861), a group without a name taken for a private chat (changelog
1.3.10), a quote of the wrong message (#136).
"""

from __future__ import annotations

import asyncio

from maim_message.message import APIMessageBase, Seg

from ..wire.messages import new_message_id, quoted_message_id
from .fault_hooks import Fault, FaultHost, Send
from .memory import Whereabouts


class RepeatReplyLater(Fault):
    name = "repeat-reply-later"
    summary = (
        "every message gets a second reply 1 s after the first (after the quiet window, "
        "within the repeat window)"
    )
    later = 1.0

    async def deliver(self, reply: APIMessageBase, send: Send) -> None:
        await send(reply)
        # Each answer runs in a task of its own; the server's stop cancels it.
        await asyncio.sleep(self.later)
        again = APIMessageBase.from_dict(reply.to_dict())
        again.message_info.message_id = new_message_id()  # a second reply, not a resend
        await send(again)


class AnswersItself(Fault):
    name = "answers-itself"
    summary = "the agent answers its own message when the adapter reports it back"

    def answers(self, where: Whereabouts, bot_account: str) -> bool:
        return True


class NamelessGroupAsPrivate(Fault):
    name = "nameless-group-as-private"
    summary = "a group message whose group has no name is taken for a private one"

    def understood(self, message: APIMessageBase) -> APIMessageBase:
        sender = message.message_info.sender_info
        group = sender.group_info if sender is not None else None
        if group is None or group.group_name:
            return message
        taken = APIMessageBase.from_dict(message.to_dict())
        taken.message_info.sender_info.group_info = None
        return taken


class QuotesPreviousMessage(Fault):
    name = "quotes-previous-message"
    summary = "a reply that quotes names the message heard before the one it answers"

    def __init__(self, host: FaultHost) -> None:
        super().__init__(host)
        self._last_heard = ""
        self._heard_before: dict[str, str] = {}
        """Message id -> the id of the message heard just before it."""

    def hears(self, message: APIMessageBase, connection_uuid: str) -> bool:
        message_id = str(message.message_info.message_id)
        if self._last_heard:
            self._heard_before[message_id] = self._last_heard
        self._last_heard = message_id
        return True

    async def deliver(self, reply: APIMessageBase, send: Send) -> None:
        segment = reply.message_segment
        earlier = self._heard_before.get(quoted_message_id(segment.to_dict()) or "")
        if earlier is not None:
            rest = [part for part in segment.data if part.type != "reply"]
            reply = replace_segment(reply, Seg("seglist", [Seg("reply", earlier), *rest]))
        await send(reply)


def replace_segment(message: APIMessageBase, segment: Seg) -> APIMessageBase:
    """A copy of ``message`` carrying ``segment``."""
    copy = APIMessageBase.from_dict(message.to_dict())
    copy.message_segment = segment
    return copy
