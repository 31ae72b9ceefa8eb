"""What is said in a scenario: asking, and waiting for what comes back.

Every question is an :class:`~.exchange.Exchange`, kept in order for later steps and
for the report. Its other jobs live beside it: the exchange and the reply it expects
(exchange.py), why an awaited reply is missing (missing_reply.py), what was said
while a connection was down (said_while_down.py).

What is left is the meeting point of a conversation, and its imports say so: to ask,
it needs who (roster), on which connection (connections), what (wire.messages) and
the loop (stage); to wait, the inbox's arrivals and the connection's events (wire),
and the rules a reply is judged by (judging, and the reference echo agent's exact
text from server.agents).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from hamcrest.core.matcher import Matcher
from maim_message.message import Seg

from ..errors import NoMatchingMessage, NotApplicable, ScenarioError
from ..judging.matchers import exactly_text, with_text
from ..judging.rules import misplaced_quotes, quoted_replies
from ..server.agents import echo_text
from ..wire.events import ConnectionEvent
from ..wire.inbox import Arrival
from ..wire.messages import Chat, ChatKind, ChatMessage, ChatUser, text_segment
from .connections import Connections
from .exchange import Exchange
from .missing_reply import where_else
from .roster import Place, Roster
from .stage import Stage


@dataclass
class Conversation:
    stage: Stage
    roster: Roster
    connections: Connections
    exchanges: list[Exchange] = field(default_factory=list)
    _last_answered: Exchange | None = field(default=None, init=False)
    dialogue: list[Exchange] = field(default_factory=list)
    """The turns of the last conversation held turn by turn."""
    positive_controls: int = 0
    """Replies that arrived where they should; a silence check needs at least one."""
    _reported: int = 0

    # -- asking ----------------------------------------------------------------------

    def ask(
        self,
        user: str,
        agent_name: str,
        text: str,
        kind: ChatKind | Place = ChatKind.GROUP,
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
        kind: ChatKind | Place | Chat = ChatKind.GROUP,
        platform: str = "",
        device: int = 1,
        claimed_platform: str | None = None,
        claimed_key: str | None = None,
        sender: ChatUser | None = None,
    ) -> Exchange:
        """Send any segment on one of ``user``'s connections, in the chat ``kind`` names
        (roster.chat_at); ``claimed_*`` put another platform or routing key into the
        message than the connection's own; ``sender``: someone else speaks through
        ``user``'s adapter (the bot itself, when the platform reports its message back)."""
        person = self.roster.person(user)
        client = self.connections.connection(user, agent_name, platform, device)
        agent = self.roster.agent_of(person, agent_name)
        marks = {key: other.inbox.mark() for key, other in self.connections.open.items()}
        events_mark = len(client.events)
        sent = self.stage.run(
            client.send(
                segment,
                sender=sender or person.chat_user,
                chat=self.roster.chat_at(user, kind),
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

    def hold(
        self,
        user: str,
        agent_name: str,
        turns: Sequence[tuple[str, str | None]],
        place: ChatKind | Place = ChatKind.GROUP,
    ) -> None:
        """Say each turn's text at ``place`` and wait for its reply (reading ``answer``,
        if given) before the next: the conversation is kept as :attr:`dialogue`."""
        self.dialogue = []
        for text, answer in turns:
            exchange = self.ask(user, agent_name, text, place)
            self.await_reply(exchange, also=None if answer is None else with_text(answer))
            self.dialogue.append(exchange)

    def misquoted_turns(self) -> list[str]:
        return misplaced_quotes(self.dialogue)

    def quoted_turns(self) -> int:
        return quoted_replies(self.dialogue)

    def require_quotes(self) -> int:
        """How many of the dialogue's replies quoted a message; NotApplicable when none
        did (a target that never quotes leaves its quotes unchecked, not held)."""
        quoted = self.quoted_turns()
        if not quoted:
            raise NotApplicable(
                f"not checked: none of the {len(self.dialogue)} replies quoted a message "
                "(servers quote some replies, at their own choice)"
            )
        return quoted

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
            others = [c for c in self.connections.open.values() if c is not exchange.client]
            elsewhere = self.stage.run(where_else(exchange, expected, others), 0)
            raise NoMatchingMessage(f"{missing}\n{elsewhere}") from None
        self._last_answered = exchange
        self.positive_controls += 1
        return exchange.reply

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
