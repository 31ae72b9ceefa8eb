"""What became of a message sent while a connection was down: delivered, or reported.

A message a user sends while the server is down, or the link is broken, must never
be silently lost. Either the client refuses it at once (not delivered, and it says
why), or it goes out, and then it is answered: acknowledged by the server before
the link broke, or resent by the client after it reconnected (the client resends
what the server never acknowledged). A message that went out and is never
answered is the failure this module exists to catch.
"""

from __future__ import annotations

from dataclasses import dataclass

from hamcrest.core.matcher import Matcher

from ..wire.client import TenantMessageClient
from ..wire.inbox import Arrival
from ..wire.messages import ChatMessage, SentMessage


@dataclass
class OutageMessage:
    """A message a user tried to send while the connection was down."""

    who: str
    client: TenantMessageClient
    text: str
    sent: SentMessage | None
    refused: str = ""
    reply: Arrival | None = None

    @property
    def resent(self) -> bool:
        return self.sent is not None and any(
            self.sent in reconnection.resent for reconnection in self.client.reconnections
        )

    def delivery(self) -> str:
        """How the message left (or did not leave) the client."""
        if self.sent is None:
            return f"not delivered: the client refused it at once ({self.refused})"
        if self.resent:
            return "delivered after reconnecting (resent: the server had not acknowledged it)"
        if self.sent.package_id in self.client.acknowledged:
            return "delivered (the server acknowledged it before the connection went)"
        return "handed to the connection, never acknowledged by the server, not resent"

    async def settle(self, expected: Matcher[ChatMessage], timeout: float) -> None:
        """Wait for the answer to a message that went out (one that was refused has
        none); raises NoMatchingMessage, with the transcript, if it was silently lost."""
        if self.sent is None:
            return
        self.reply = await self.client.inbox.wait_for(
            expected,
            timeout,
            since=self.sent.inbox_mark,
            context=(
                f"{self.text!r} was silently lost: it was {self.delivery()},\n"
                f"  sent as: {self.sent.describe()}"
            ),
        )

    def outcome(self) -> str:
        """One line for the report: how the message left, and when it was answered."""
        line = f"{self.who}: {self.text!r}: {self.delivery()}"
        if self.sent is not None and self.reply is not None:
            line += f"; answered {self.reply.at - self.sent.sent_at:.2f} s after it was sent"
        return line
