"""One question and its reply: what was asked, of whom, on which connection, and what
reply it expects.

An :class:`Exchange` is the unit every part of the world that asks (the conversation,
crowds, canaries) hands to every part that judges (delivery, the reports): it knows
who asked which agent, where the connections' inboxes stood when it was sent, and
which reply counts as its answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hamcrest.core.matcher import Matcher

from ..errors import ScenarioError
from ..judging.matchers import a_reply, addressed_to_one_of, every
from ..targets.provisioning import Agent
from ..wire.client import TenantMessageClient
from ..wire.dialects import Dialect
from ..wire.inbox import Arrival
from ..wire.messages import ChatMessage, SentMessage
from .connections import ConnectionKey
from .roster import Person


@dataclass
class Exchange:
    """A question and (once it came) its reply."""

    person: Person
    agent: Agent
    client: TenantMessageClient
    sent: SentMessage
    dialect: Dialect
    """What the target's replies guarantee (whether their sender names the agent)."""
    reply: Arrival | None = None
    marks: dict[ConnectionKey, int] = field(default_factory=dict)
    """Where every connection's inbox stood when the question was sent."""
    events_mark: int = 0
    """Where the asking connection's events stood then (a close, an error follow it)."""
    awaited: bool = False
    """A step waited for its reply: the run's reply success rate counts it."""

    def answer(self) -> Arrival:
        """The reply; asking for it before it came is the scenario's mistake."""
        if self.reply is None:
            raise ScenarioError(f"no reply yet to: {self.sent.describe()}")
        return self.reply

    def answered_after(self) -> float:
        """Seconds from the question to its reply (which must have come)."""
        return self.answer().at - self.sent.sent_at

    @property
    def latency(self) -> float | None:
        """:meth:`answered_after`, or None while there is no reply."""
        return None if self.reply is None else self.answered_after()

    def expected_reply(
        self, *, same_chat: bool = True, also: Matcher[ChatMessage] | None = None
    ) -> Matcher[ChatMessage]:
        """A reply from the agent asked, on the platform asked on, with text; addressed
        to the chat the question was asked in (``same_chat=False``: to any chat of the
        asker's, so that a later step can say which); and ``also``.

        Either way a reply to another scenario's users is never taken for this one
        (with a cast, scenarios share agents, and a late reply may reach the next one).
        """
        reply = a_reply(
            api_key=self.agent.api_key,
            agent_id=self.agent.agent_id,
            agent_name=self.agent.name,
            chat=self.sent.chat if same_chat else None,
            platform=self.sent.platform,
            dialect=self.dialect,
        )
        if not same_chat:
            reply = every(reply, addressed_to_one_of(self.person.chats))
        return reply if also is None else every(reply, also)

    def context(self) -> str:
        return (
            f"after {self.sent.describe()}\n"
            f"  to {self.agent.name} ({self.agent.api_key}): the server had accepted the "
            "connection and the send succeeded"
        )
