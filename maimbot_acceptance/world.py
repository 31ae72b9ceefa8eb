"""One scenario's world: its tenants, agents, users, connections and exchanges.

Steps speak in names ("Alice of Acme asks Helper ..."); the world turns names into
ids, clients and waits on the background loop, and remembers what was said, for
later steps and for the report. A fresh world per scenario means fresh tenants:
scenarios never see each other.
"""

from __future__ import annotations

import asyncio
import secrets
import time
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from hamcrest import is_not
from hamcrest.core.matcher import Matcher
from maim_message.message import Seg

from .attempts import Attempt, attempt_connection
from .client import ConnectionEvent, Reconnection, SentMessage, TenantMessageClient
from .errors import (
    ConnectFailed,
    NoMatchingMessage,
    ProvisioningError,
    ScenarioError,
    SendFailed,
    UnexpectedMessage,
)
from .inbox import Arrival
from .link_proxy import LinkProxy
from .loop import LoopThread
from .matchers import (
    a_reply,
    addressed_to_one_of,
    anything_but,
    every,
    from_agent,
    on_platform,
    quoting,
    with_some_text,
)
from .messages import Chat, ChatKind, ChatMessage, ChatUser, text_segment
from .newcomers import Welcome, welcome_newcomers
from .outage import OutageMessage
from .protocol import endpoint_of, split_api_key
from .provisioning import DEFAULT_TEMPLATE, Agent, Provisioner, Tenant
from .server import EmbeddedServer
from .settings import Settings
from .stats import Latencies, Rate

T = TypeVar("T")

BACKSTOP = 5.0
"""Extra seconds a step waits for the loop beyond a coroutine's own timeout."""


@dataclass(frozen=True)
class Person:
    """A user of a tenant, chatting through adapters connected to its agents."""

    name: str
    tenant: Tenant
    chat_user: ChatUser

    @property
    def group_chat(self) -> Chat:
        return Chat.group(f"group_{self.chat_user.user_id}", f"{self.name}'s group")

    @property
    def private_chat(self) -> Chat:
        return Chat.private_with(self.chat_user)

    def chat(self, kind: ChatKind) -> Chat:
        return self.group_chat if kind is ChatKind.GROUP else self.private_chat

    @property
    def chats(self) -> tuple[Chat, ...]:
        return (self.group_chat, self.private_chat)


@dataclass(frozen=True)
class ConnectionKey:
    user: str
    agent: str
    platform: str
    device: int = 1


@dataclass
class Exchange:
    """A question and (once it came) its reply."""

    person: Person
    agent: Agent
    client: TenantMessageClient
    sent: SentMessage
    reply: Arrival | None = None
    marks: dict[ConnectionKey, int] = field(default_factory=dict)
    """Where every connection's inbox stood when the question was sent."""
    events_mark: int = 0
    """Where the asking connection's events stood then (a close, an error follow it)."""

    @property
    def latency(self) -> float | None:
        return None if self.reply is None else self.reply.at - self.sent.sent_at

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
            tenant_id=self.agent.tenant.tenant_id,
            agent_id=self.agent.agent_id,
            agent_name=self.agent.name,
            chat=self.sent.chat if same_chat else None,
            platform=self.sent.platform,
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


def misplaced_quotes(exchanges: Sequence[Exchange]) -> list[str]:
    """Replies that quote a message other than the one they answer, one line each.

    The order witness any server gives: a quote reply (MaiMBot quotes some replies,
    the reference server every third) names the message it answers.
    """
    turn_of = {e.sent.message_id: n for n, e in enumerate(exchanges, start=1)}
    misplaced = []
    for number, exchange in enumerate(exchanges, start=1):
        reply = exchange.reply
        if reply is None or not reply.message.is_quote_reply:
            continue
        if not quoting(exchange.sent.message_id).matches(reply.message):
            quoted = reply.message.quoted_message_id
            misplaced.append(
                f"the reply to #{number} ({exchange.sent.text[:40]!r}) quotes "
                f"#{turn_of.get(quoted or '', '?')} ({quoted})"
            )
    return misplaced


@dataclass
class World:
    settings: Settings
    loop: LoopThread
    provisioner: Provisioner
    server_url: str
    tenants: dict[str, Tenant] = field(default_factory=dict)
    agents: dict[tuple[str, str], Agent] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    connections: dict[ConnectionKey, TenantMessageClient] = field(default_factory=dict)
    failed_connections: dict[ConnectionKey, ConnectFailed] = field(default_factory=dict)
    exchanges: list[Exchange] = field(default_factory=list)
    last_answered: Exchange | None = None
    _reported: int = 0
    attempts: dict[str, Attempt] = field(default_factory=dict)
    positive_controls: int = 0
    """Replies that arrived where they should; a silence check needs at least one."""
    server: EmbeddedServer | None = None
    """The server itself when the suite runs it (to stop, kill and restart it)."""
    links: dict[ConnectionKey, LinkProxy] = field(default_factory=dict)
    outage_messages: list[OutageMessage] = field(default_factory=list)
    dropped: dict[ConnectionKey, str] = field(default_factory=dict)
    """Connection ids of connections dropped without a goodbye."""
    _down_port: int | None = None
    _token: str = field(default_factory=lambda: secrets.token_hex(3))

    # -- running on the loop -------------------------------------------------------

    @property
    def operation_timeout(self) -> float:
        """Bound of harness operations with no knob of their own (provisioning, sends,
        disconnects, restarting the embedded server): the connect timeout."""
        return self.settings.connect_timeout

    def run(self, coro: Coroutine[Any, Any, T], timeout: float) -> T:
        return self.loop.run(coro, timeout + BACKSTOP)

    # -- the cast ------------------------------------------------------------------

    def add_tenant(self, name: str) -> Tenant:
        if name not in self.tenants:
            self.tenants[name] = self.run(
                self.provisioner.create_tenant(name), self.operation_timeout
            )
        return self.tenants[name]

    def add_agent(self, tenant_name: str, agent_name: str, template_id: str = "") -> Agent:
        tenant = self.add_tenant(tenant_name)
        key = (tenant_name, agent_name)
        if key not in self.agents:
            template = template_id or DEFAULT_TEMPLATE
            self.agents[key] = self.run(
                self.provisioner.create_agent(tenant, agent_name, template), self.operation_timeout
            )
        return self.agents[key]

    def tenant(self, name: str) -> Tenant:
        try:
            return self.tenants[name]
        except KeyError:
            raise ProvisioningError(
                f"tenant {name!r} was never introduced (known: {', '.join(self.tenants) or 'none'})"
            ) from None

    def agent(self, tenant_name: str, agent_name: str) -> Agent:
        try:
            return self.agents[(tenant_name, agent_name)]
        except KeyError:
            known = ", ".join(a for t, a in self.agents if t == tenant_name) or "none"
            raise ProvisioningError(
                f"tenant {tenant_name!r} has no agent {agent_name!r} in this scenario "
                f"(its agents: {known})"
            ) from None

    def person(self, name: str, tenant_name: str | None = None) -> Person:
        """A user by name; naming the tenant introduces them."""
        known = self.people.get(name)
        if known is not None:
            if tenant_name and known.tenant.name != tenant_name:
                raise ProvisioningError(
                    f"{name} is a user of {known.tenant.name}, not {tenant_name}"
                )
            return known
        if tenant_name is None:
            raise ProvisioningError(
                f"user {name!r} was never introduced (say '{name} of <tenant>')"
            )
        user_id = f"user_{name.lower()}_{self._token}"
        person = Person(name, self.tenant(tenant_name), ChatUser(user_id, name))
        self.people[name] = person
        return person

    def agent_of(self, person: Person, agent_name: str) -> Agent:
        return self.agent(person.tenant.name, agent_name)

    # -- connections ---------------------------------------------------------------

    def client_for(
        self,
        person: Person,
        agent: Agent,
        platform: str,
        server_url: str = "",
        **overrides: Any,
    ) -> TenantMessageClient:
        label = f"{person.name} ({person.tenant.name}) -> {agent.name} on {platform!r}"
        return TenantMessageClient(
            tenant_id=agent.tenant.tenant_id,
            agent_id=agent.agent_id,
            platform=platform,
            server_url=server_url or self.server_url,
            label=label,
            auth_settle=self.settings.auth_settle,
            **overrides,
        )

    def connect(self, user: str, agent_name: str, platform: str = "", device: int = 1) -> None:
        """Connect, raising the client's one-line ConnectFailed if it cannot."""
        failure = self.connect_all([(user, agent_name, platform, device)]).get(
            ConnectionKey(user, agent_name, platform or self.settings.platform, device)
        )
        if failure is not None:
            raise failure

    def connect_all(
        self, wanted: Sequence[tuple[str, str, str, int]]
    ) -> dict[ConnectionKey, ConnectFailed]:
        """Connect many at once; returns the failures (also kept for success rates)."""
        clients: dict[ConnectionKey, TenantMessageClient] = {}
        for user, agent_name, platform, device in wanted:
            person = self.person(user)
            key = ConnectionKey(user, agent_name, platform or self.settings.platform, device)
            clients[key] = self.client_for(person, self.agent_of(person, agent_name), key.platform)

        async def connect(client: TenantMessageClient) -> ConnectFailed | None:
            try:
                await client.connect(self.settings.connect_timeout)
            except ConnectFailed as failure:
                return failure
            return None

        async def connect_them() -> list[ConnectFailed | None]:
            return await asyncio.gather(*(connect(c) for c in clients.values()))

        outcomes = self.run(connect_them(), self.settings.connect_timeout)
        failures: dict[ConnectionKey, ConnectFailed] = {}
        for (key, client), outcome in zip(clients.items(), outcomes, strict=True):
            if outcome is None:
                self.connections[key] = client
            else:
                failures[key] = outcome
        self.failed_connections.update(failures)
        return failures

    def connection(
        self, user: str, agent_name: str, platform: str = "", device: int = 1
    ) -> TenantMessageClient:
        key = ConnectionKey(user, agent_name, platform or self.settings.platform, device)
        try:
            return self.connections[key]
        except KeyError:
            raise AssertionError(
                f"{user} has no open connection to {agent_name} on {key.platform!r}"
                + (
                    f": it failed: {self.failed_connections[key]}"
                    if key in self.failed_connections
                    else ""
                )
            ) from None

    def connect_over_link(self, user: str, agent_name: str) -> LinkProxy:
        """Connect through a link proxy of the scenario's own (to slow, cut or silence)."""
        person = self.person(user)
        key = ConnectionKey(user, agent_name, self.settings.platform)
        link = self.run(
            LinkProxy(*endpoint_of(self.server_url, "server_url", ("ws", "wss"))).start(),
            self.operation_timeout,
        )
        self.links[key] = link
        client = self.client_for(
            person, self.agent_of(person, agent_name), key.platform, link.url_for(self.server_url)
        )
        self.run(client.connect(self.settings.connect_timeout), self.settings.connect_timeout)
        self.connections[key] = client
        return link

    def sole_connection(self, user: str) -> ConnectionKey:
        """The one connection ``user`` has (for steps that speak of "Alice's connection")."""
        keys = [key for key in self.connections if key.user == user]
        if len(keys) != 1:
            raise ScenarioError(f"{user} should have exactly one connection here, has {len(keys)}")
        return keys[0]

    def link_of(self, user: str) -> LinkProxy:
        links = [link for key, link in self.links.items() if key.user == user]
        if len(links) != 1:
            raise ScenarioError(f"{user} should have one disturbable network, has {len(links)}")
        return links[0]

    def disturb(self, user: str, how: Callable[[LinkProxy], object]) -> float:
        """Apply ``how`` to ``user``'s link proxy (on the loop, where it lives); returns
        when, in ``time.monotonic()``, the disturbance began."""
        link = self.link_of(user)

        async def apply() -> float:
            how(link)
            return time.monotonic()

        return self.run(apply(), self.operation_timeout)

    @property
    def connection_rate(self) -> Rate:
        return Rate(len(self.connections), len(self.connections) + len(self.failed_connections))

    # -- talking -------------------------------------------------------------------

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
        person = self.person(user)
        client = self.connection(user, agent_name, platform, device)
        agent = self.agent_of(person, agent_name)
        marks = {key: other.inbox.mark() for key, other in self.connections.items()}
        events_mark = len(client.events)
        sent = self.run(
            client.send(
                segment,
                sender=person.chat_user,
                chat=person.chat(kind),
                platform=claimed_platform,
                routing_key=claimed_key,
            ),
            self.operation_timeout,
        )
        exchange = Exchange(person, agent, client, sent, marks=marks, events_mark=events_mark)
        self.exchanges.append(exchange)
        return exchange

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
        timeout = self.settings.reply_timeout if timeout is None else timeout
        expected = exchange.expected_reply(same_chat=same_chat, also=also)
        try:
            exchange.reply = self.run(
                exchange.client.inbox.wait_for(
                    expected, timeout, since=exchange.sent.inbox_mark, context=exchange.context()
                ),
                timeout,
            )
        except NoMatchingMessage as missing:
            elsewhere = self.run(self._look_elsewhere(exchange, expected), 0)
            raise NoMatchingMessage(f"{missing}\n{elsewhere}") from None
        self.last_answered = exchange
        self.positive_controls += 1
        return exchange.reply

    async def _look_elsewhere(self, exchange: Exchange, expected: Matcher[ChatMessage]) -> str:
        """After a missing reply: is the asking connection still open, and did the
        reply reach another connection of the scenario instead (a routing fault)?
        (A coroutine only to read the inboxes on the loop they belong to.)"""
        asked_at = exchange.sent.sent_at
        lines = [f"  {_link_since(exchange.client, asked_at)}"]
        others = [c for c in self.connections.values() if c is not exchange.client]
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

    def last_reply(self) -> Arrival:
        """The reply most recently awaited."""
        if self.last_answered is None or self.last_answered.reply is None:
            raise ScenarioError("no reply has been awaited yet in this scenario")
        return self.last_answered.reply

    def last_exchange(self, user: str, agent_name: str | None = None) -> Exchange:
        for exchange in reversed(self.exchanges):
            if exchange.person.name == user and agent_name in (None, exchange.agent.name):
                return exchange
        raise ScenarioError(f"{user} has not asked {agent_name or 'any agent'} anything yet")

    def connect_grid(self, tenants: int, agents: int) -> None:
        """Tenant1..N, each with Agent1..M and one user (User1..N) connected to each of
        its agents, all connecting at once; failures are kept for the success rate."""
        wanted: list[tuple[str, str, str, int]] = []
        for t in range(1, tenants + 1):
            for a in range(1, agents + 1):
                self.add_agent(f"Tenant{t}", f"Agent{a}")
                wanted.append((f"User{t}", f"Agent{a}", "", 1))
            self.person(f"User{t}", f"Tenant{t}")
        self.connect_all(wanted)

    def misdelivered(self) -> list[str]:
        """Every message, on any connection, that its agent did not send: one line each."""
        return [
            f"{client.label} got #{arrival.seq + 1}: {arrival.message.describe()}"
            for client in self.connections.values()
            for arrival in client.inbox.arrivals
            if not from_agent(client.tenant_id, client.agent_id).matches(arrival.message)
        ]

    def converse_all(self, questions_each: int) -> list[Exchange]:
        """Every open connection asks ``questions_each`` questions, all connections at
        once, each waiting for its reply before asking the next. Missing replies are
        recorded, not raised: the caller judges the rates."""
        timeout = self.settings.reply_timeout

        async def converse(key: ConnectionKey, client: TenantMessageClient) -> list[Exchange]:
            person = self.person(key.user)
            agent = self.agent_of(person, key.agent)
            done: list[Exchange] = []
            for turn in range(1, questions_each + 1):
                text = f"{person.name} to {agent.name}, question {turn}"
                sent = await client.send_text(text, sender=person.chat_user, chat=person.group_chat)
                exchange = Exchange(person, agent, client, sent)
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
            return await asyncio.gather(*(converse(k, c) for k, c in self.connections.items()))

        results = self.run(converse_everyone(), timeout * questions_each + 5)
        exchanges = [exchange for per_client in results for exchange in per_client]
        self.exchanges.extend(exchanges)
        return exchanges

    def unreported(self, *, answered_only: bool) -> list[Exchange]:
        """Exchanges not yet shown in the reports (in order), now marked shown."""
        news = self.exchanges[self._reported :]
        if answered_only:
            news = news[: next((i for i, e in enumerate(news) if e.reply is None), len(news))]
        self._reported += len(news)
        return news

    @staticmethod
    def reply_rate(exchanges: Sequence[Exchange]) -> Rate:
        return Rate(sum(1 for e in exchanges if e.reply is not None), len(exchanges))

    @staticmethod
    def latencies(exchanges: Sequence[Exchange]) -> Latencies:
        return Latencies(tuple(e.latency for e in exchanges if e.latency is not None))

    # -- replies that must reach several connections, or one of several -----------

    def await_reply_on_each(self, exchange: Exchange, keys: Sequence[ConnectionKey]) -> None:
        """The reply to ``exchange`` reaches every one of these connections (fan-out)."""
        timeout = self.settings.reply_timeout
        expected = exchange.expected_reply(same_chat=False)

        async def on(key: ConnectionKey) -> Arrival:
            client = self.connection(key.user, key.agent, key.platform, key.device)
            since = exchange.marks.get(key, 0)
            return await client.inbox.wait_for(
                expected, timeout, since=since, context=exchange.context()
            )

        async def on_each() -> list[Arrival]:
            return await asyncio.gather(*(on(key) for key in keys))

        self.run(on_each(), timeout)
        self.positive_controls += 1

    def await_reply_on_any(
        self, exchange: Exchange, clients: Sequence[TenantMessageClient]
    ) -> Arrival:
        """A reply with text from the agent asked, arrived since the question, on any one of
        ``clients`` (servers differ on which connection, and platform, gets it)."""
        timeout = self.settings.reply_timeout
        agent = exchange.agent
        expected = every(
            from_agent(agent.tenant.tenant_id, agent.agent_id, agent.name), with_some_text()
        )
        misses: list[str] = []

        async def on(client: TenantMessageClient) -> Arrival | None:
            try:
                since = exchange.marks.get(self.key_of(client), 0)
                return await client.inbox.wait_for(
                    expected, timeout, since=since, context=exchange.context()
                )
            except NoMatchingMessage as miss:
                misses.append(str(miss))
                return None

        async def on_any() -> Arrival | None:
            waits = [asyncio.ensure_future(on(client)) for client in clients]
            try:
                for next_done in asyncio.as_completed(waits):
                    arrival = await next_done
                    if arrival is not None:
                        return arrival
                return None
            finally:
                for wait in waits:
                    wait.cancel()
                await asyncio.gather(*waits, return_exceptions=True)

        arrival = self.run(on_any(), timeout)
        if arrival is None:
            raise NoMatchingMessage(
                "no reply on any of these connections:\n\n" + "\n\n".join(misses)
            )
        self.positive_controls += 1
        return arrival

    def await_on(
        self, client: TenantMessageClient, expected: Matcher[ChatMessage], since: int
    ) -> Arrival:
        """A message ``expected`` arrives on ``client`` after position ``since``."""
        timeout = self.settings.reply_timeout
        arrival = self.run(client.inbox.wait_for(expected, timeout, since=since), timeout)
        self.positive_controls += 1
        return arrival

    def still_answered(self, users: Sequence[str]) -> None:
        """Every open connection of ``users`` asks once more and gets its reply: the
        server is up and still serves them. A user whose every connection the server
        has closed cannot talk: that fails, saying what happened to the connections."""
        for user in users:
            theirs = [c for key, c in self.connections.items() if key.user == user]
            if theirs and not any(c.is_connected for c in theirs):
                raise AssertionError(
                    f"{user} can no longer talk: every connection of {user} is closed\n"
                    + "\n".join(f"{c.label}:\n{c.describe_events()}" for c in theirs)
                )
        asked = [
            self.ask(
                key.user,
                key.agent,
                "Are you still there?",
                platform=key.platform,
                device=key.device,
            )
            for key, client in list(self.connections.items())
            if key.user in users and client.is_connected
        ]
        if not asked:
            raise AssertionError(f"{' and '.join(users)} have no open connection to ask on")
        for exchange in asked:
            self.await_reply(exchange)

    def key_of(self, client: TenantMessageClient) -> ConnectionKey:
        for key, known in self.connections.items():
            if known is client:
                return key
        raise ScenarioError(f"{client.label} is not one of this scenario's connections")

    # -- silence: what must NOT arrive -------------------------------------------------

    def clients_of(self, name: str) -> list[TenantMessageClient]:
        """Every connection and connection attempt of the person called ``name``."""
        clients = [c for key, c in self.connections.items() if key.user == name]
        if name in self.attempts:
            clients.append(self.attempts[name].client)
        if not clients:
            raise ScenarioError(f"{name} has no connection and made no attempt in this scenario")
        return clients

    def unexpected_for(self, client: TenantMessageClient) -> Matcher[ChatMessage]:
        """What ``client`` must never receive.

        A reply reaches every connection of its agent on its platform, so ``client`` may
        get any reply of its own agent there, except one addressed to someone in this
        scenario who never asked that agent there: that answers a message the server
        should not have routed here (a spoofed key, a claimed platform). Replies to
        people outside the scenario belong to other scenarios (a cast shares agents).
        """
        identity = (client.tenant_id, client.agent_id, client.platform)
        askers = {
            e.person.name
            for e in self.exchanges
            if (e.client.tenant_id, e.client.agent_id, e.client.platform) == identity
        }
        strangers = [
            chat
            for person in self.people.values()
            if person.name not in askers
            for chat in person.chats
        ]
        allowed = every(from_agent(client.tenant_id, client.agent_id), on_platform(client.platform))
        if strangers:
            allowed = every(allowed, is_not(addressed_to_one_of(strangers)))
        return anything_but(
            [allowed], "a reply of its own agent, on its platform, to someone who asked it there"
        )

    def expect_silence(self, clients: Sequence[TenantMessageClient]) -> None:
        """None of ``clients`` receives anything it should not, over ONE shared window
        (userdata quiet_window). A refused connection attempt is judged on what it got;
        a connection the server closed proves nothing by its silence, and fails."""
        if not self.positive_controls:
            raise ScenarioError(
                "a 'receives nothing' check needs a reply to have reached its rightful owner "
                "earlier in the scenario (a positive control): a server that answers nobody "
                "would pass it"
            )
        attempted = {id(attempt.client) for attempt in self.attempts.values()}
        closed = [c for c in clients if id(c) not in attempted and not c.is_connected]
        if closed:
            raise AssertionError(
                "a closed connection hears nothing, so its silence proves nothing:\n"
                + "\n".join(f"{c.label}:\n{c.describe_events()}" for c in closed)
            )
        window = self.settings.quiet_window

        async def watch(client: TenantMessageClient) -> None:
            open_now = client.is_open
            await client.inbox.expect_nothing(
                self.unexpected_for(client),
                window if open_now else 0,
                context="it may receive replies of its own agent, on its platform, to people who "
                "asked that agent there, and nothing else"
                + ("" if open_now else " (its connection is closed: what it got counts)"),
            )

        async def watch_all() -> list[BaseException | None]:
            return await asyncio.gather(*(watch(c) for c in clients), return_exceptions=True)

        failures = [o for o in self.run(watch_all(), window) if o is not None]
        for failure in failures:
            if not isinstance(failure, AssertionError):
                raise failure
        if failures:
            raise UnexpectedMessage("\n\n".join(str(f) for f in failures))

    # -- attempts: connections whose outcome is the point ------------------------------

    def attempt_with_key(self, who: str, api_key: str, platform: str = "") -> Attempt:
        """``who`` (no tenant of the scenario) tries to connect with this api key."""
        tenant_id, agent_id = split_api_key(api_key) or ("?", "?")
        client = TenantMessageClient(
            tenant_id=tenant_id,
            agent_id=agent_id,
            platform=platform or self.settings.platform,
            server_url=self.server_url,
            label=f"{who} (api key {api_key!r})",
            auth_settle=self.settings.auth_settle,
            api_key=api_key,
        )
        return self._attempt(who, client)

    def attempt_as(self, user: str, agent_name: str, **overrides: Any) -> Attempt:
        """``user`` tries to connect to their tenant's agent, with client overrides
        (e.g. ``connection_id``)."""
        person = self.person(user)
        client = self.client_for(
            person, self.agent_of(person, agent_name), self.settings.platform, **overrides
        )
        return self._attempt(user, client)

    def _attempt(self, who: str, client: TenantMessageClient) -> Attempt:
        timeout = self.settings.connect_timeout
        attempt = self.run(attempt_connection(who, client, timeout), timeout)
        self.attempts[who] = attempt
        return attempt

    # -- bad input ---------------------------------------------------------------------

    def send_raw(self, user: str, agent_name: str, data: Any) -> int:
        """Put ``data`` on the connection as it is; returns the position in the
        connection's events from which the server's reaction is to be read."""
        client = self.connection(user, agent_name)
        mark = len(client.events)
        self.run(client.send_raw(data), self.operation_timeout)
        return mark

    def await_event(
        self, client: TenantMessageClient, kind: str, since: int, timeout: float
    ) -> ConnectionEvent:
        return self.run(client.wait_for_event(kind, timeout, since=since), timeout)

    def reconnect(self, user: str, agent_name: str, platform: str = "", device: int = 1) -> None:
        """Close what is left of a connection (and its library's reconnect loop), then
        connect anew, as a chat adapter restarts after the server closed on it."""
        key = ConnectionKey(user, agent_name, platform or self.settings.platform, device)
        old = self.connections.pop(key, None)
        if old is not None:
            self.run(old.disconnect(), self.operation_timeout)
        self.connect(user, agent_name, key.platform, device)

    # -- connection life -----------------------------------------------------------

    def stay_quiet(self, user: str, span: float) -> None:
        """Every connection of ``user`` stays open, sending nothing, for ``span`` s;
        fails the moment one closes."""
        clients = [c for k, c in self.connections.items() if k.user == user]
        if not clients:
            raise ScenarioError(f"{user} has no open connection to stay quiet on")

        async def everyone_stays() -> None:
            await asyncio.gather(*(client.stay_connected(span) for client in clients))

        self.run(everyone_stays(), span)

    def drop(self, user: str, agent_name: str) -> None:
        """Lose the connection without a goodbye (as a crashed adapter would)."""
        client = self.connection(user, agent_name)
        key = ConnectionKey(user, agent_name, client.platform)
        self.dropped[key] = client.connection_id
        self.run(client.drop(), self.operation_timeout)

    def await_loss(
        self, user: str, agent_name: str, broken_at: float, within: float
    ) -> ConnectionEvent:
        """The client's own notice that its connection is gone, at most ``within`` s after
        it broke (at ``broken_at``, ``time.monotonic()``), however long the steps between
        took."""
        client = self.connection(user, agent_name)
        remaining = max(broken_at + within - time.monotonic(), 0.0)
        lost = self.run(client.wait_until_lost(remaining), remaining)
        if lost is None or lost.at - broken_at > within:
            noticed = (
                "still took it for open"
                if lost is None
                else f"noticed only {lost.at - broken_at:.2f} s after"
            )
            raise AssertionError(
                f"{client.label}: {within:.2f} s after the connection broke, the client "
                f"{noticed} (the server announced a heartbeat of {client.heartbeat} s: "
                "ping interval, ping timeout)"
            )
        return lost

    def restore(self, user: str, agent_name: str) -> Reconnection:
        """The harness reconnects (maim_message 0.7.5 does not, PROTOCOL.md defect 4)."""
        client = self.connection(user, agent_name)
        timeout = self.settings.connect_timeout
        return self.run(client.reconnect(timeout), timeout)

    def try_ask(self, user: str, agent_name: str, text: str) -> OutageMessage:
        """Ask while the connection may be down: a refusal is recorded, not raised."""
        person = self.person(user)
        client = self.connection(user, agent_name)
        who = f"{person.name} to {agent_name}"
        try:
            sent = self.run(
                client.send_text(text, sender=person.chat_user, chat=person.group_chat),
                self.operation_timeout,
            )
        except SendFailed as refusal:
            attempt = OutageMessage(who, client, text, None, refused=str(refusal))
        else:
            attempt = OutageMessage(who, client, text, sent)
            self.exchanges.append(Exchange(person, self.agent_of(person, agent_name), client, sent))
        self.outage_messages.append(attempt)
        return attempt

    def settle_outage_messages(self) -> list[str]:
        """What became of each message sent while down (see outage.py), one line each;
        raises if one that went out is never answered."""
        timeout = self.settings.reply_timeout
        for attempt in self.outage_messages:
            exchange = next((e for e in self.exchanges if e.sent is attempt.sent), None)
            if exchange is not None:
                self.run(attempt.settle(exchange.expected_reply(), timeout), timeout)
                exchange.reply = attempt.reply
        return [attempt.outcome() for attempt in self.outage_messages]

    # -- the server itself (when the suite runs it) ----------------------------------

    def _control(self) -> EmbeddedServer:
        if self.server is None:
            raise ScenarioError("this step needs the embedded reference server (server_control)")
        return self.server

    def stop_server(self, *, hard: bool) -> float:
        """Stop (or kill) the reply backend; returns when it began (``time.monotonic()``)."""
        server = self._control()
        stopped_at = time.monotonic()
        self._down_port = server.run(server.server.stop_backend(hard=hard), self.operation_timeout)
        return stopped_at

    def start_server_again(self) -> None:
        server = self._control()
        if self._down_port is None:
            raise ScenarioError("the server was not stopped in this scenario")
        server.run(server.server.start_backend(self._down_port), self.operation_timeout)
        self._down_port = None

    def server_holds(self, connection_id: str) -> bool:
        server = self._control()

        async def holds() -> bool:
            return server.server.backend.holds(connection_id)

        return server.run(holds(), self.operation_timeout)

    def server_lets_go(self, connection_id: str, within: float) -> bool:
        """Whether the server forgets the connection within ``within`` s (wakes on change)."""
        server = self._control()
        backend = server.server.backend
        return server.run(
            backend.wait_until(lambda: not backend.holds(connection_id), within), within + 5
        )

    # -- bursts and newcomers ----------------------------------------------------------

    def send_burst(self, user: str, agent_name: str, count: int) -> list[Exchange]:
        """``count`` messages, one after the other without waiting for any reply."""
        person = self.person(user)
        agent = self.agent_of(person, agent_name)
        client = self.connection(user, agent_name)

        async def burst() -> list[SentMessage]:
            return [
                await client.send_text(
                    f"{person.name}'s message {n} of {count}",
                    sender=person.chat_user,
                    chat=person.group_chat,
                )
                for n in range(1, count + 1)
            ]

        exchanges = [
            Exchange(person, agent, client, sent)
            for sent in self.run(burst(), self.operation_timeout)
        ]
        self.exchanges.extend(exchanges)
        return exchanges

    def await_burst_replies(self, exchanges: Sequence[Exchange]) -> list[Arrival]:
        """As many replies as messages (in the burst's chat, from its agent), in arrival
        order; each exchange is paired with the reply in its place."""
        first = exchanges[0]
        timeout = self.settings.reply_timeout
        arrivals = self.run(
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

    def expect_no_further_reply(
        self, user: str, agent_name: str, after: Arrival, context: str = ""
    ) -> None:
        """Nothing more from the agent on that connection over the quiet window."""
        client = self.connection(user, agent_name)
        agent = self.agent_of(self.person(user), agent_name)
        window = self.settings.quiet_window
        self.run(
            client.inbox.expect_nothing(
                from_agent(agent.tenant.tenant_id, agent.agent_id, agent.name),
                window,
                since=after.seq + 1,
                context=context or f"every message had its reply by #{after.seq + 1}",
            ),
            window,
        )

    def expect_one_reply_per_question(self, user: str, agent_name: str) -> int:
        """Every question ``user`` put to the agent (on this connection, across
        reconnects) got one reply, and nothing more comes over the quiet window."""
        client = self.connection(user, agent_name)
        asked = [e for e in self.exchanges if e.client is client]
        if not asked:
            raise ScenarioError(f"{user} has not asked {agent_name} anything yet")
        agent = asked[0].agent
        timeout = self.settings.reply_timeout
        replies = self.run(
            client.inbox.wait_for_count(
                from_agent(agent.tenant.tenant_id, agent.agent_id, agent.name),
                len(asked),
                timeout,
                context=f"{user} asked {len(asked)} question(s)",
            ),
            timeout,
        )
        self.expect_no_further_reply(
            user,
            agent_name,
            after=replies[-1],
            context=(
                f"{user} asked {agent_name} {len(asked)} question(s) on this connection: "
                f"a reply beyond those {len(asked)} (the last was #{replies[-1].seq + 1}) is "
                "one too many"
            ),
        )
        return len(asked)

    def welcome_newcomers(
        self, tenant_name: str, agent_name: str, every: float, span: float
    ) -> Welcome:
        """Fresh users of the tenant connect to the agent and ask, one every ``every`` s."""
        agent = self.agent(tenant_name, agent_name)

        async def connect(number: int) -> TenantMessageClient:
            person = self.person(f"Newcomer{number}", tenant_name)
            client = self.client_for(person, agent, self.settings.platform)
            await client.connect(self.settings.connect_timeout)
            self.connections[ConnectionKey(person.name, agent_name, client.platform)] = client
            return client

        async def converse(number: int, client: TenantMessageClient) -> float:
            person = self.person(f"Newcomer{number}")
            sent = await client.send_text(
                f"Hello, I am new here ({number})", sender=person.chat_user, chat=person.group_chat
            )
            exchange = Exchange(person, agent, client, sent)
            self.exchanges.append(exchange)
            exchange.reply = await client.inbox.wait_for(
                exchange.expected_reply(),
                self.settings.reply_timeout,
                since=sent.inbox_mark,
                context=exchange.context(),
            )
            return exchange.reply.at - sent.sent_at

        bound = span + self.settings.connect_timeout + self.settings.reply_timeout
        return self.run(
            welcome_newcomers(every=every, span=span, connect=connect, converse=converse), bound
        )

    # -- the end -------------------------------------------------------------------

    def close(self) -> list[str]:
        """Disconnect everyone, close links, bring a stopped server back; return what
        leaked. Each stage runs whatever the one before it did: a server left down would
        fail every scenario after this one."""
        leaks: list[str] = []
        # Links first: a client whose link is black-holed would otherwise wait out the
        # websocket close handshake (10 s) through it.
        for stage in (self._close_links, self._disconnect_everyone, self._restore_server):
            try:
                leaks += stage()
            except Exception as error:
                leaks.append(f"cleaning up ({stage.__name__.strip('_')}) failed: {error!r}")
        return leaks

    def _disconnect_everyone(self) -> list[str]:
        clients = list(self.connections.values())
        clients += [a.client for a in self.attempts.values() if a.client.is_open]
        self.connections.clear()

        async def disconnect_all() -> list[BaseException | None]:
            return await asyncio.gather(*(c.disconnect() for c in clients), return_exceptions=True)

        outcomes = self.run(disconnect_all(), self.operation_timeout)
        leaks = [
            f"{client.label} did not disconnect: {outcome!r}"
            for client, outcome in zip(clients, outcomes, strict=True)
            if outcome is not None
        ]
        return leaks + [f"{c.label} is still open" for c in clients if c.is_open]

    def _close_links(self) -> list[str]:
        links = list(self.links.values())
        self.links.clear()

        async def close_links() -> None:
            await asyncio.gather(*(link.close() for link in links))

        self.run(close_links(), self.operation_timeout)
        return []

    def _restore_server(self) -> list[str]:
        if self._down_port is None:
            return []
        # The next scenario needs the server this one stopped.
        self.start_server_again()
        return []


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
