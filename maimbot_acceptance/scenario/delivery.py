"""Where replies go: to every connection they should (fan-out), to one of several, and
to none they should not (silence, misdelivery); and whether the service goes on.

The rules themselves are pure functions in ``judging.rules``; this part applies them
to the scenario's connections, on the loop, over the windows the settings give.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass

from hamcrest.core.matcher import Matcher

from ..errors import NoMatchingMessage, ScenarioError, UnexpectedMessage
from ..judging.matchers import (
    addressed_to_one_of,
    every,
    from_agent,
    on_platform,
    with_some_text,
)
from ..judging.rules import misdelivered, never_to_receive
from ..targets.provisioning import Agent
from ..wire.client import TenantMessageClient
from ..wire.inbox import Arrival
from ..wire.messages import ChatMessage
from .attempts import Attempts
from .connections import ConnectionKey, Connections
from .conversation import Conversation
from .exchange import Exchange
from .roster import Person, Roster
from .stage import Stage


@dataclass
class Delivery:
    stage: Stage
    roster: Roster
    connections: Connections
    conversation: Conversation
    attempts: Attempts

    # -- replies that must reach several connections, or one of several --------------

    def await_reply_on_devices(self, user: str, agent_name: str, devices: Sequence[int]) -> None:
        """The reply to ``user``'s last question reaches each of these devices (fan-out)."""
        exchange = self.conversation.last_exchange(user, agent_name)
        platform = exchange.client.platform
        keys = [self.connections.key(user, agent_name, platform, d) for d in devices]
        timeout = self.stage.settings.reply_timeout
        expected = exchange.expected_reply(same_chat=False)

        async def on(key: ConnectionKey) -> Arrival:
            client = self.connections.connection(key.user, key.agent, key.platform, key.device)
            return await client.inbox.wait_for(
                expected, timeout, since=exchange.marks.get(key, 0), context=exchange.context()
            )

        async def on_each() -> list[Arrival]:
            return await asyncio.gather(*(on(key) for key in keys))

        self.stage.run(on_each(), timeout)
        self.conversation.positive_controls += 1

    def await_reply_on_any(self, user: str, agent_name: str) -> Arrival:
        """A reply with text from the agent ``user`` last asked, arrived since the question,
        on any one of ``user``'s connections to it (servers differ on which connection,
        and platform, gets it)."""
        exchange = self.conversation.last_exchange(user, agent_name)
        clients = self.connections.of(user, agent_name)
        timeout = self.stage.settings.reply_timeout
        expected = every(self.replies_to(exchange.person, exchange.agent), with_some_text())
        misses: list[str] = []

        async def on(client: TenantMessageClient) -> Arrival | None:
            try:
                since = exchange.marks.get(self.connections.key_of(client), 0)
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

        arrival = self.stage.run(on_any(), timeout)
        if arrival is None:
            raise NoMatchingMessage(
                "no reply on any of these connections:\n\n" + "\n\n".join(misses)
            )
        self.conversation.positive_controls += 1
        return arrival

    def await_reply_on_platform(
        self, client: TenantMessageClient, agent_name: str, platform: str
    ) -> Arrival:
        """The reply of ``agent_name`` to the last question asked of it by ``client``'s
        user arrives on ``client``, on ``platform``, with text."""
        user = self.connections.key_of(client).user
        exchange = self.conversation.last_exchange(user, agent_name)
        expected = every(
            self.replies_to(exchange.person, exchange.agent),
            on_platform(platform),
            with_some_text(),
        )
        return self._await_on(client, self.connections.key_of(client), exchange, expected)

    def await_copy(self, user: str, agent_name: str, asker: str) -> Arrival:
        """``user``'s connection to ``agent_name`` also gets the reply to ``asker``'s last
        question (every connection of the agent on that platform does)."""
        exchange = self.conversation.last_exchange(asker, agent_name)
        platform = exchange.sent.platform
        keys = [
            key
            for key in self.connections.open
            if (key.user, key.agent, key.platform) == (user, agent_name, platform)
        ]
        if not keys:
            raise ScenarioError(f"{user} has no connection to {agent_name} on {platform!r}")
        client = self.connections.open[keys[0]]
        return self._await_on(client, keys[0], exchange, exchange.expected_reply())

    def _await_on(
        self,
        client: TenantMessageClient,
        key: ConnectionKey,
        exchange: Exchange,
        expected: Matcher[ChatMessage],
    ) -> Arrival:
        """A reply to ``exchange`` on ``client`` (connection ``key``), since the question:
        where it reaches its rightful owner, so a positive control."""
        timeout = self.stage.settings.reply_timeout
        since = exchange.marks.get(key, 0)
        waiting = client.inbox.wait_for(expected, timeout, since=since, context=exchange.context())
        arrival = self.stage.run(waiting, timeout)
        self.conversation.positive_controls += 1
        return arrival

    def first_offence(
        self, clients: Sequence[TenantMessageClient]
    ) -> tuple[TenantMessageClient, list[ChatMessage]] | None:
        """The first of ``clients`` that received what it must not, with what it got."""
        for client in clients:
            unexpected = self.unexpected_for(client)
            offenders = [a.message for a in client.inbox.arrivals if unexpected.matches(a.message)]
            if offenders:
                return client, offenders
        return None

    # -- one reply per question, and nothing more ----------------------------------------

    def expect_no_further_reply(
        self, user: str, agent_name: str, after: Arrival, context: str = ""
    ) -> None:
        """Nothing more from the agent on that connection over the quiet window."""
        client = self.connections.connection(user, agent_name)
        person = self.roster.person(user)
        agent = self.roster.agent_of(person, agent_name)
        window = self.stage.settings.quiet_window
        self.stage.run(
            client.inbox.expect_nothing(
                self.replies_to(person, agent),
                window,
                since=after.seq + 1,
                context=context or f"every message had its reply by #{after.seq + 1}",
            ),
            window,
        )

    def replies_to(self, person: Person, agent: Agent) -> Matcher[ChatMessage]:
        """A reply of ``agent`` meant for ``person``: from the agent; and, where a reply's
        routing key does not name whom it answers (upstream: the platform's last
        speaker's), in one of the person's chats, since that is all that tells a reply
        to them from one to another scenario's user of the same shared agent."""
        dialect = self.stage.dialect
        reply = from_agent(agent.api_key, agent.agent_id, agent.name, dialect=dialect)
        if dialect.routing_key_names_asker:
            return reply
        return every(reply, addressed_to_one_of(person.chats))

    def expect_one_reply_per_question(self, user: str, agent_name: str) -> int:
        """Every question ``user`` put to the agent (on this connection, across
        reconnects) got one reply, and nothing more comes over the quiet window."""
        client = self.connections.connection(user, agent_name)
        asked = [e for e in self.conversation.exchanges if e.client is client]
        if not asked:
            raise ScenarioError(f"{user} has not asked {agent_name} anything yet")
        timeout = self.stage.settings.reply_timeout
        replies = self.stage.run(
            client.inbox.wait_for_count(
                self.replies_to(asked[0].person, asked[0].agent),
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

    def still_answered(self, users: Sequence[str]) -> None:
        """Every open connection of ``users`` asks once more and gets its reply: the
        server is up and still serves them. A user whose every connection the server
        has closed cannot talk: that fails, saying what happened to the connections."""
        for user in users:
            theirs = self.connections.of(user)
            if theirs and not any(c.is_connected for c in theirs):
                raise AssertionError(
                    f"{user} can no longer talk: every connection of {user} is closed\n"
                    + "\n".join(f"{c.label}:\n{c.log.describe()}" for c in theirs)
                )
        asked = [
            self.conversation.ask(
                key.user,
                key.agent,
                "Are you still there?",
                platform=key.platform,
                device=key.device,
            )
            for key, client in list(self.connections.open.items())
            if key.user in users and client.is_connected
        ]
        if not asked:
            raise AssertionError(f"{' and '.join(users)} have no open connection to ask on")
        for exchange in asked:
            self.conversation.await_reply(exchange)

    # -- silence: what must NOT arrive -------------------------------------------------

    def clients_of(self, name: str) -> list[TenantMessageClient]:
        """Every connection and connection attempt of the person called ``name``."""
        clients = self.connections.of(name)
        if name in self.attempts.made:
            clients.append(self.attempts.made[name].client)
        if not clients:
            raise ScenarioError(f"{name} has no connection and made no attempt in this scenario")
        return clients

    def unexpected_for(self, client: TenantMessageClient) -> Matcher[ChatMessage]:
        """What ``client`` must never receive (see ``judging.rules.never_to_receive``):
        its strangers are the people here who never asked its agent on its platform."""
        identity = (client.api_key, client.platform)
        askers = {
            e.person.name
            for e in self.conversation.exchanges
            if (e.client.api_key, e.client.platform) == identity
        }
        strangers = [
            chat
            for person in self.roster.people.values()
            if person.name not in askers
            for chat in person.chats
        ] + self.attempts.outsider_chats
        return never_to_receive(client, strangers, self.stage.dialect)

    def expect_silence(self, clients: Sequence[TenantMessageClient]) -> None:
        """None of ``clients`` receives anything it should not, over ONE shared window
        (userdata quiet_window). A refused connection attempt is judged on what it got;
        a connection the server closed proves nothing by its silence, and fails."""
        if not self.conversation.positive_controls:
            raise ScenarioError(
                "a 'receives nothing' check needs a reply to have reached its rightful owner "
                "earlier in the scenario (a positive control): a server that answers nobody "
                "would pass it"
            )
        closed = [c for c in clients if not self.attempts.is_attempt(c) and not c.is_connected]
        if closed:
            raise AssertionError(
                "a closed connection hears nothing, so its silence proves nothing:\n"
                + "\n".join(f"{c.label}:\n{c.log.describe()}" for c in closed)
            )
        window = self.stage.settings.quiet_window

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

        failures = [o for o in self.stage.run(watch_all(), window) if o is not None]
        for failure in failures:
            if not isinstance(failure, AssertionError):
                raise failure
        if failures:
            raise UnexpectedMessage("\n\n".join(str(f) for f in failures))

    def misdelivered(self) -> list[str]:
        """Every message, on any connection, that its agent did not send: one line each."""
        return misdelivered(self.connections.open.values(), self.stage.dialect)
