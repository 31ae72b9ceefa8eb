"""Many at once: grids of tenants and agents conversing together, bursts of messages
sent without waiting, and newcomers arriving at a server that has been up a while.

Each kind of crowd keeps what it did (the grid's questions, the burst, the welcome)
for the Then steps that judge it.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from ..errors import ScenarioError
from ..judging.rules import misplaced_quotes, quoted_replies
from ..judging.stats import Latencies, Rate
from ..server.agents import echo_text
from ..wire.client import TenantMessageClient
from ..wire.inbox import Arrival
from ..wire.messages import SentMessage
from .connections import ConnectionKey, Connections
from .conversation import Conversation
from .exchange import Exchange
from .newcomers import Welcome, welcome_newcomers
from .roster import Roster
from .stage import Stage


@dataclass
class Crowds:
    stage: Stage
    roster: Roster
    connections: Connections
    conversation: Conversation
    questions: list[Exchange] = field(default_factory=list)
    """Every question of the last time everyone conversed at once."""
    burst: list[Exchange] = field(default_factory=list)
    welcome: Welcome | None = None

    # -- grids -------------------------------------------------------------------------

    def connect_grid(self, tenants: int, agents: int) -> None:
        """Tenant1..N, each with Agent1..M and one user (User1..N) connected to each of
        its agents, all connecting at once; failures are kept for the success rate."""
        wanted: list[tuple[str, str, str, int]] = []
        for t in range(1, tenants + 1):
            for a in range(1, agents + 1):
                self.roster.add_agent(f"Tenant{t}", f"Agent{a}")
                wanted.append((f"User{t}", f"Agent{a}", "", 1))
            self.roster.person(f"User{t}", f"Tenant{t}")
        self.connections.connect_all(wanted)

    def converse_all(self, questions_each: int) -> list[Exchange]:
        """Every open connection asks ``questions_each`` questions, all connections at
        once, each waiting for its reply before asking the next. Missing replies are
        recorded, not raised: the caller judges the rates."""
        timeout = self.stage.settings.reply_timeout

        async def converse(key: ConnectionKey, client: TenantMessageClient) -> list[Exchange]:
            person = self.roster.person(key.user)
            agent = self.roster.agent_of(person, key.agent)
            done: list[Exchange] = []
            for turn in range(1, questions_each + 1):
                text = f"{person.name} to {agent.name}, question {turn}"
                sent = await client.send_text(text, sender=person.chat_user, chat=person.group_chat)
                exchange = Exchange(person, agent, client, sent, self.stage.dialect, awaited=True)
                done.append(exchange)
                found = client.inbox.matching(exchange.expected_reply(), sent.inbox_mark)
                if not found:
                    try:
                        found = [
                            await client.inbox.wait_for(
                                exchange.expected_reply(), timeout, since=sent.inbox_mark
                            )
                        ]
                    except AssertionError:
                        continue
                exchange.reply = found[0]
            return done

        async def converse_everyone() -> list[list[Exchange]]:
            open_now = self.connections.open.items()
            return await asyncio.gather(*(converse(k, c) for k, c in open_now))

        results = self.stage.run(converse_everyone(), timeout * questions_each + 5)
        self.questions = [exchange for per_client in results for exchange in per_client]
        self.conversation.record(self.questions)
        return self.questions

    @property
    def reply_rate(self) -> Rate:
        return Rate(sum(1 for e in self.questions if e.reply is not None), len(self.questions))

    @property
    def latencies(self) -> Latencies:
        return Latencies(tuple(e.latency for e in self.questions if e.latency is not None))

    def unanswered(self) -> list[str]:
        return [f"{e.client.label}: {e.sent.text!r}" for e in self.questions if e.reply is None]

    # -- bursts ------------------------------------------------------------------------

    def send_burst(self, user: str, agent_name: str, count: int) -> list[Exchange]:
        """``count`` messages, one after the other without waiting for any reply."""
        person = self.roster.person(user)
        agent = self.roster.agent_of(person, agent_name)
        client = self.connections.connection(user, agent_name)

        async def burst() -> list[SentMessage]:
            return [
                await client.send_text(
                    f"{person.name}'s message {n} of {count}",
                    sender=person.chat_user,
                    chat=person.group_chat,
                )
                for n in range(1, count + 1)
            ]

        self.burst = [
            Exchange(person, agent, client, sent, self.stage.dialect)
            for sent in self.stage.run(burst(), self.stage.operation_timeout)
        ]
        self.conversation.record(self.burst)
        return self.burst

    def await_burst_replies(self) -> list[Arrival]:
        """As many replies as messages (in the burst's chat, from its agent), in arrival
        order; each exchange is paired with the reply in its place."""
        exchanges = self._the_burst()
        first = exchanges[0]
        timeout = self.stage.settings.reply_timeout
        for exchange in exchanges:
            exchange.awaited = True
        arrivals = self.stage.run(
            first.client.inbox.wait_for_count(
                first.expected_reply(),
                len(exchanges),
                timeout,
                since=first.sent.inbox_mark,
                context=f"after a burst of {len(exchanges)} messages, the first: {first.context()}",
            ),
            timeout,
        )
        for exchange, arrival in zip(exchanges, arrivals, strict=True):
            exchange.reply = arrival
        return arrivals

    def last_of_burst(self) -> Exchange:
        return self._the_burst()[-1]

    def misquoted_in_burst(self) -> list[str]:
        return misplaced_quotes(self._the_burst())

    def quoted_in_burst(self) -> int:
        return quoted_replies(self._the_burst())

    def echoes_out_of_place(self) -> list[str]:
        """Replies that are not the reference echo of the message in their place in the
        burst (reference server only), one line each."""
        exchanges = self._the_burst()
        return [
            f"reply #{n}: {got!r}, expected {want!r}"
            for n, e in enumerate(exchanges, start=1)
            if (got := e.reply.message.text if e.reply else None)
            != (want := echo_text(e.agent.name, e.sent.text))
        ]

    def _the_burst(self) -> list[Exchange]:
        if not self.burst:
            raise ScenarioError("no burst was sent in this scenario")
        return self.burst

    # -- newcomers ---------------------------------------------------------------------

    def welcome_newcomers(
        self, tenant_name: str, agent_name: str, every: float, span: float
    ) -> Welcome:
        """Fresh users of the tenant connect to the agent and ask, one every ``every`` s."""
        agent = self.roster.agent(tenant_name, agent_name)
        settings = self.stage.settings

        async def connect(number: int) -> TenantMessageClient:
            person = self.roster.person(f"Newcomer{number}", tenant_name)
            client = self.connections.client_for(person, agent, settings.platform)
            await client.connect(settings.connect_timeout)
            self.connections.keep(ConnectionKey(person.name, agent_name, client.platform), client)
            return client

        async def converse(number: int, client: TenantMessageClient) -> float:
            person = self.roster.person(f"Newcomer{number}")
            sent = await client.send_text(
                f"Hello, I am new here ({number})", sender=person.chat_user, chat=person.group_chat
            )
            exchange = Exchange(person, agent, client, sent, self.stage.dialect, awaited=True)
            self.conversation.record([exchange])
            exchange.reply = await client.inbox.wait_for(
                exchange.expected_reply(),
                settings.reply_timeout,
                since=sent.inbox_mark,
                context=exchange.context(),
            )
            return exchange.reply.at - sent.sent_at

        bound = span + settings.connect_timeout + settings.reply_timeout
        self.welcome = self.stage.run(
            welcome_newcomers(every=every, span=span, connect=connect, converse=converse), bound
        )
        return self.welcome

    def the_welcome(self) -> Welcome:
        if self.welcome is None:
            raise ScenarioError("no newcomers came in this scenario")
        return self.welcome
