"""What is said in a scenario: questions, the replies they get, and the waits for them.

Every question is an :class:`Exchange`, kept in order for later steps and for the
report. A missing reply fails saying where else it went and what the connection
did meanwhile.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from hamcrest.core.matcher import Matcher
from maim_message.message import Seg

from ..errors import NoMatchingMessage, ScenarioError, SendFailed
from ..judging.matchers import a_reply, addressed_to_one_of, every, exactly_text, with_text
from ..judging.outage import OutageMessage
from ..judging.rules import misplaced_quotes, quoted_replies
from ..server.agents import echo_text
from ..targets.provisioning import Agent
from ..wire.client import TenantMessageClient
from ..wire.dialects import Dialect
from ..wire.events import ConnectionEvent
from ..wire.inbox import Arrival
from ..wire.messages import ChatKind, ChatMessage, SentMessage, text_segment
from .connections import ConnectionKey, Connections
from .roster import Person, Roster
from .stage import Stage


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


@dataclass
class Conversation:
    stage: Stage
    roster: Roster
    connections: Connections
    exchanges: list[Exchange] = field(default_factory=list)
    _last_answered: Exchange | None = None
    dialogue: list[Exchange] = field(default_factory=list)
    """The turns of the last conversation held turn by turn."""
    positive_controls: int = 0
    """Replies that arrived where they should; a silence check needs at least one."""
    said_while_down: list[OutageMessage] = field(default_factory=list)
    _reported: int = 0

    # -- asking ----------------------------------------------------------------------

    def ask(
        self,
        user: str,
        agent_name: str,
        text: str,
        kind: ChatKind = ChatKind.GROUP,
        platform: str = "",
        device: int = 1,
    ) -> Exchange:
        return self.say(
            user, agent_name, text_segment(text), kind=kind, platform=platform, device=device
        )

    def say(
        self,
        user: str,
        agent_name: str,
        segment: Seg,
        *,
        kind: ChatKind = ChatKind.GROUP,
        platform: str = "",
        device: int = 1,
        claimed_platform: str | None = None,
        claimed_key: str | None = None,
    ) -> Exchange:
        """Send any segment on one of ``user``'s connections; ``claimed_*`` put another
        platform or routing key into the message than the connection's own."""
        person = self.roster.person(user)
        client = self.connections.connection(user, agent_name, platform, device)
        agent = self.roster.agent_of(person, agent_name)
        marks = {key: other.inbox.mark() for key, other in self.connections.open.items()}
        events_mark = len(client.events)
        sent = self.stage.run(
            client.send(
                segment,
                sender=person.chat_user,
                chat=person.chat(kind),
                platform=claimed_platform,
                routing_key=claimed_key,
            ),
            self.stage.operation_timeout,
        )
        exchange = Exchange(
            person, agent, client, sent, self.stage.dialect, marks=marks, events_mark=events_mark
        )
        self.record([exchange])
        return exchange

    def record(self, exchanges: Sequence[Exchange]) -> None:
        """Keep exchanges made elsewhere (by crowds), for the scenario's report and its
        end-of-scenario check that nothing went unanswered."""
        self.exchanges.extend(exchanges)

    def since_last_message(self) -> float:
        """Seconds since the scenario's last message went out (0 before any)."""
        if not self.exchanges:
            return 0.0
        return time.monotonic() - self.exchanges[-1].sent.sent_at

    def pause(self, seconds: float) -> None:
        """Say nothing for ``seconds``: a recorded conversation replayed at its own pace.
        A deliberate pause, not a wait for anything (it is bounded by the replay's
        replay_max_pause)."""
        if seconds > 0:
            self.stage.run(asyncio.sleep(seconds), seconds)

    def await_reaction(self, exchange: Exchange) -> str:
        """What the server did with what was sent, within one quiet_window: a reply (an
        error reply too), a closed connection, or nothing. Waiting for it also keeps the
        next message of the scenario from forming a burst with this one."""
        window = self.stage.settings.quiet_window
        client = exchange.client

        async def first_reaction() -> str:
            replied = asyncio.ensure_future(
                client.inbox.first_arrival(window, since=exchange.sent.inbox_mark)
            )
            lost = asyncio.ensure_future(client.wait_until_lost(window))
            pending: set[asyncio.Future[Any]] = {replied, lost}
            try:
                while pending:
                    done, pending = await asyncio.wait(pending, return_when="FIRST_COMPLETED")
                    arrival = replied.result() if replied in done else None
                    if arrival is not None:
                        return f"answered: {arrival.message.describe()}"
                    close = lost.result() if lost in done else None
                    if close is not None:
                        return f"the connection closed: {close.detail}"
                return f"nothing within {window:g} s"
            finally:
                for task in pending:
                    task.cancel()
                await asyncio.gather(*pending, return_exceptions=True)

        return self.stage.run(first_reaction(), window)

    def hold(self, user: str, agent_name: str, turns: Sequence[tuple[str, str | None]]) -> None:
        """Say each turn's text and wait for its reply (reading ``answer``, if given)
        before the next: the conversation is kept as :attr:`dialogue`."""
        self.dialogue = []
        for text, answer in turns:
            exchange = self.ask(user, agent_name, text)
            self.await_reply(exchange, also=None if answer is None else with_text(answer))
            self.dialogue.append(exchange)

    def misquoted_turns(self) -> list[str]:
        return misplaced_quotes(self.dialogue)

    def quoted_turns(self) -> int:
        return quoted_replies(self.dialogue)

    # -- the replies -------------------------------------------------------------------

    def await_reply(
        self,
        exchange: Exchange,
        *,
        same_chat: bool = True,
        also: Matcher[ChatMessage] | None = None,
        timeout: float | None = None,
    ) -> Arrival:
        """Wait for the reply to ``exchange`` (see Exchange.expected_reply), up to
        ``timeout`` s (default: the reply_timeout knob; a replay says its own)."""
        timeout = self.stage.settings.reply_timeout if timeout is None else timeout
        expected = exchange.expected_reply(same_chat=same_chat, also=also)
        exchange.awaited = True
        try:
            exchange.reply = self.stage.run(
                exchange.client.inbox.wait_for(
                    expected, timeout, since=exchange.sent.inbox_mark, context=exchange.context()
                ),
                timeout,
            )
        except NoMatchingMessage as missing:
            elsewhere = self.stage.run(self._look_elsewhere(exchange, expected), 0)
            raise NoMatchingMessage(f"{missing}\n{elsewhere}") from None
        self._last_answered = exchange
        self.positive_controls += 1
        return exchange.reply

    async def _look_elsewhere(self, exchange: Exchange, expected: Matcher[ChatMessage]) -> str:
        """After a missing reply: is the asking connection still open, and did the
        reply reach another connection of the scenario instead (a routing fault)?
        (A coroutine only to read the inboxes on the loop they belong to.)"""
        asked_at = exchange.sent.sent_at
        lines = [f"  {_link_since(exchange.client, asked_at)}"]
        others = [c for c in self.connections.open.values() if c is not exchange.client]
        strays = [
            f"    {client.label} got it as #{arrival.seq + 1}, {arrival.at - asked_at:.3f} s "
            f"after the send: {arrival.message.describe()}"
            for client in others
            for arrival in client.inbox.arrivals
            if arrival.at >= asked_at and expected.matches(arrival.message)
        ]
        if strays:
            lines.append("  The expected reply arrived on ANOTHER connection of this scenario:")
            lines += strays
        elif others:
            names = "; ".join(client.label for client in others)
            lines.append(
                f"  None of this scenario's other {len(others)} connection(s) got it either "
                f"({names})."
            )
        else:
            lines.append("  This scenario has no other connection it could have reached.")
        return "\n".join(lines)

    def await_echo(self, user: str) -> Arrival:
        """The reply to ``user``'s last message is the reference echo agent's, quoting
        the message character for character (reference server only)."""
        exchange = self.last_exchange(user)
        echo = exactly_text(echo_text(exchange.agent.name, exchange.sent.text))
        return self.await_reply(exchange, also=echo)

    def await_closed_after(self, user: str, agent_name: str) -> ConnectionEvent:
        """The server closes the connection ``user`` last asked ``agent_name`` on."""
        exchange = self.last_exchange(user, agent_name)
        return self.connections.await_event(exchange.client, "close", exchange.events_mark)

    def last_answered(self) -> Exchange:
        """The exchange whose reply was most recently awaited."""
        if self._last_answered is None:
            raise ScenarioError("no reply has been awaited yet in this scenario")
        return self._last_answered

    def last_reply(self) -> Arrival:
        """The reply most recently awaited."""
        return self.last_answered().answer()

    def last_exchange(self, user: str, agent_name: str | None = None) -> Exchange:
        for exchange in reversed(self.exchanges):
            if exchange.person.name == user and agent_name in (None, exchange.agent.name):
                return exchange
        raise ScenarioError(f"{user} has not asked {agent_name or 'any agent'} anything yet")

    def unreported(self, *, answered_only: bool) -> list[Exchange]:
        """Exchanges not yet shown in the reports (in order), now marked shown."""
        news = self.exchanges[self._reported :]
        if answered_only:
            news = news[: next((i for i, e in enumerate(news) if e.reply is None), len(news))]
        self._reported += len(news)
        return news

    # -- while the connection may be down -------------------------------------------------

    def try_ask(self, user: str, agent_name: str, text: str) -> OutageMessage:
        """Ask while the connection may be down: a refusal is recorded, not raised."""
        person = self.roster.person(user)
        client = self.connections.connection(user, agent_name)
        who = f"{person.name} to {agent_name}"
        try:
            sent = self.stage.run(
                client.send_text(text, sender=person.chat_user, chat=person.group_chat),
                self.stage.operation_timeout,
            )
        except SendFailed as refusal:
            attempt = OutageMessage(who, client, text, None, refused=str(refusal))
        else:
            attempt = OutageMessage(who, client, text, sent)
            agent = self.roster.agent_of(person, agent_name)
            self.exchanges.append(Exchange(person, agent, client, sent, self.stage.dialect))
        self.said_while_down.append(attempt)
        return attempt

    def settle_said_while_down(self) -> list[str]:
        """What became of each message sent while down (see outage.py), one line each;
        raises if one that went out is never answered."""
        timeout = self.stage.settings.reply_timeout
        for attempt in self.said_while_down:
            exchange = next((e for e in self.exchanges if e.sent is attempt.sent), None)
            if exchange is not None:
                self.stage.run(attempt.settle(exchange.expected_reply(), timeout), timeout)
                exchange.reply = attempt.reply
        return [attempt.outcome() for attempt in self.said_while_down]


def _link_since(client: TenantMessageClient, since: float) -> str:
    """Whether the connection stayed open from ``since`` (monotonic) until now."""
    closes = [event for event in client.events if event.kind == "close" and event.at >= since]
    if closes:
        first = closes[0]
        state = "it is open again" if client.is_connected else "it is still closed"
        return (
            f"The server closed this connection {first.at - since:.2f} s after the send "
            f"({first.detail}); {state}."
        )
    if client.is_connected:
        return "This connection stayed open throughout the wait."
    return "The connection is not open."
