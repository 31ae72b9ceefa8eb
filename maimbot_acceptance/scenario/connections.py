"""A scenario's connections: who is connected to which agent, on which platform and
device; connecting, reconnecting, going quiet, dropping, and noticing a loss.

A connection is named by a :class:`ConnectionKey`; failures to connect are kept
beside the open connections, for success rates and for saying why a later step
finds no connection.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..errors import ConnectFailed, ScenarioError
from ..judging.stats import Rate
from ..targets.clients import ClientMaker
from ..targets.provisioning import Agent
from ..wire.client import TenantMessageClient
from ..wire.dialects import bot_account_on
from ..wire.events import ConnectionEvent, Reconnection
from ..wire.plain_wire import DEFAULT_HEARTBEAT as KEEPALIVE
from .roster import Person, Roster
from .stage import Stage


@dataclass(frozen=True)
class ConnectionKey:
    user: str
    agent: str
    platform: str
    device: int = 1


@dataclass
class Connections:
    stage: Stage
    roster: Roster
    open: dict[ConnectionKey, TenantMessageClient] = field(default_factory=dict)
    failed: dict[ConnectionKey, ConnectFailed] = field(default_factory=dict)
    dropped: dict[ConnectionKey, str] = field(default_factory=dict)
    opened: int = 0
    """Connections that came up (reconnects aside): the run's connection success rate."""
    """Connection ids of connections dropped without a goodbye."""
    _raw_sent: dict[str, tuple[TenantMessageClient, int]] = field(default_factory=dict)
    """Per user: the connection raw data went out on, and where its events stood then."""
    maker: ClientMaker = field(init=False)
    """Builds this scenario's clients, on the target's wire."""

    def __post_init__(self) -> None:
        stage = self.stage
        self.maker = ClientMaker(
            stage.server_url,
            stage.wire,
            auth_settle=stage.settings.auth_settle,
            first=stage.name,
            additional_config=bot_account_on(stage.bot_accounts),
        )

    def key(self, user: str, agent_name: str, platform: str = "", device: int = 1) -> ConnectionKey:
        return ConnectionKey(user, agent_name, platform or self.stage.settings.platform, device)

    def client_for(
        self, person: Person, agent: Agent, platform: str, server_url: str = "", **overrides: Any
    ) -> TenantMessageClient:
        label = f"{person.name} ({person.tenant.name}) -> {agent.name} on {platform!r}"
        if server_url:
            overrides["server_url"] = server_url
        return self.maker.for_agent(agent, platform, label, **overrides)

    # -- connecting ------------------------------------------------------------------

    def connect(self, user: str, agent_name: str, platform: str = "", device: int = 1) -> None:
        """Connect, raising the client's one-line ConnectFailed if it cannot."""
        failure = self.connect_all([(user, agent_name, platform, device)]).get(
            self.key(user, agent_name, platform, device)
        )
        if failure is not None:
            raise failure

    def connect_all(
        self, wanted: Sequence[tuple[str, str, str, int]]
    ) -> dict[ConnectionKey, ConnectFailed]:
        """Connect many at once; returns the failures (also kept for success rates)."""
        clients: dict[ConnectionKey, TenantMessageClient] = {}
        for user, agent_name, platform, device in wanted:
            person = self.roster.person(user)
            key = self.key(user, agent_name, platform, device)
            agent = self.roster.agent_of(person, agent_name)
            clients[key] = self.client_for(person, agent, key.platform)
        timeout = self.stage.settings.connect_timeout

        async def connect(client: TenantMessageClient) -> ConnectFailed | None:
            try:
                await client.connect(timeout)
            except ConnectFailed as failure:
                return failure
            return None

        async def connect_them() -> list[ConnectFailed | None]:
            return await asyncio.gather(*(connect(c) for c in clients.values()))

        outcomes = self.stage.run(connect_them(), timeout)
        failures: dict[ConnectionKey, ConnectFailed] = {}
        for (key, client), outcome in zip(clients.items(), outcomes, strict=True):
            if outcome is None:
                self.keep(key, client)
            else:
                failures[key] = outcome
        self.failed.update(failures)
        return failures

    def connect_through(self, user: str, agent_name: str, server_url: str) -> TenantMessageClient:
        """Connect to ``server_url`` rather than the server's own (a link proxy's)."""
        person = self.roster.person(user)
        key = self.key(user, agent_name)
        client = self.client_for(
            person, self.roster.agent_of(person, agent_name), key.platform, server_url
        )
        timeout = self.stage.settings.connect_timeout
        self.stage.run(client.connect(timeout), timeout)
        self.keep(key, client)
        return client

    def keep(self, key: ConnectionKey, client: TenantMessageClient) -> None:
        """Hold a client that has just connected: later steps find it by ``key``, the
        run's connection success rate counts it, and the scenario's end closes it."""
        self.open[key] = client
        self.opened += 1

    def reconnect(self, user: str, agent_name: str, *, resend: bool) -> Reconnection:
        """The harness reconnects the connection (maim_message 0.7.5 does not,
        docs/protocol.md, defect 4), as a chat adapter does after its connection closed.

        ``resend``: send again what the server never acknowledged. Yes after a lost
        link (nothing said meanwhile may be lost); no after the server closed the
        connection because of a message (resending it would be closed again).
        """
        client = self.connection(user, agent_name)
        timeout = self.stage.settings.connect_timeout
        return self.stage.run(client.reconnect(timeout, resend=resend), timeout)

    # -- queries ---------------------------------------------------------------------

    def connection(
        self, user: str, agent_name: str, platform: str = "", device: int = 1
    ) -> TenantMessageClient:
        key = self.key(user, agent_name, platform, device)
        try:
            return self.open[key]
        except KeyError:
            failed = f": it failed: {self.failed[key]}" if key in self.failed else ""
            raise AssertionError(
                f"{user} has no open connection to {agent_name} on {key.platform!r}{failed}"
            ) from None

    def of(self, user: str, agent_name: str | None = None) -> list[TenantMessageClient]:
        """Every connection of ``user`` (to ``agent_name``, if given)."""
        return [
            client
            for key, client in self.open.items()
            if key.user == user and agent_name in (None, key.agent)
        ]

    def sole_connection(self, user: str) -> ConnectionKey:
        """The one connection ``user`` has (for steps that speak of "Alice's connection")."""
        keys = [key for key in self.open if key.user == user]
        if len(keys) != 1:
            raise ScenarioError(f"{user} should have exactly one connection here, has {len(keys)}")
        return keys[0]

    def key_of(self, client: TenantMessageClient) -> ConnectionKey:
        for key, known in self.open.items():
            if known is client:
                return key
        raise ScenarioError(f"{client.label} is not one of this scenario's connections")

    def heartbeats_of(self, user: str) -> set[tuple[float, float]]:
        """The heartbeats (ping interval, ping timeout) the server announced to ``user``."""
        return {c.heartbeat for c in self.of(user) if c.heartbeat is not None}

    def heartbeat_window(self, user: str) -> float:
        """How long a dead link of ``user``'s may go unnoticed: the longest ping interval
        plus ping timeout the server announced to their connections (on the plain wire,
        where upstream announces none, the client's own pings: ``plain_wire``). The embedded
        server is held to the heartbeat the suite started it with (-D heartbeat): one
        announcing a lazier one does not do as configured."""
        windows = [c.heartbeat_window for c in self.of(user) if c.heartbeat_window is not None]
        if not windows:
            windows = [sum(KEEPALIVE) for c in self.of(user) if c.wire == "plain"]
        if not windows:
            raise ScenarioError(f"no connection of {user} has heard the server's heartbeat")
        settings = self.stage.settings
        if settings.uses_embedded_server:
            return min(max(windows), 2 * settings.heartbeat)
        return max(windows)

    @property
    def rate(self) -> Rate:
        return Rate(len(self.open), len(self.open) + len(self.failed))

    def failures(self) -> list[str]:
        """Why each failed connection failed, one line each."""
        return [str(failure) for failure in self.failed.values()]

    # -- a connection's life -----------------------------------------------------------

    def stay_quiet(self, user: str, span: float) -> None:
        """Every connection of ``user`` stays open, sending nothing, for ``span`` s;
        fails the moment one closes."""
        clients = self.of(user)
        if not clients:
            raise ScenarioError(f"{user} has no open connection to stay quiet on")

        async def everyone_stays() -> None:
            await asyncio.gather(*(client.stay_connected(span) for client in clients))

        self.stage.run(everyone_stays(), span)

    def drop(self, user: str, agent_name: str) -> None:
        """Lose the connection without a goodbye (as a crashed adapter would)."""
        client = self.connection(user, agent_name)
        self.dropped[self.key(user, agent_name)] = client.connection_id
        self.stage.run(client.drop(), self.stage.operation_timeout)

    def dropped_connection_id(self, user: str) -> str:
        ids = [cid for key, cid in self.dropped.items() if key.user == user]
        if len(ids) != 1:
            raise ScenarioError(f"{user} should have dropped one connection here, did {len(ids)}")
        return ids[0]

    def await_loss(
        self, user: str, agent_name: str, broken_at: float, within: float
    ) -> ConnectionEvent:
        """The client's own notice that its connection is gone, at most ``within`` s after
        it broke (at ``broken_at``, ``time.monotonic()``), however long the steps between
        took."""
        client = self.connection(user, agent_name)
        remaining = max(broken_at + within - time.monotonic(), 0.0)
        lost = self.stage.run(client.wait_until_lost(remaining), remaining)
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

    # -- raw data and the server's reaction --------------------------------------------

    def send_raw(self, user: str, agent_name: str, data: Any) -> None:
        """Put ``data`` on the connection as it is (the server's reaction is read later)."""
        client = self.connection(user, agent_name)
        self._raw_sent[user] = (client, len(client.events))
        self.stage.run(client.send_raw(data), self.stage.operation_timeout)

    def await_reaction_to_raw(self, user: str, kind: str) -> ConnectionEvent:
        """The first event of ``kind`` on the connection ``user`` last sent raw data on."""
        if user not in self._raw_sent:
            raise ScenarioError(f"{user}'s adapter has put nothing raw on a connection yet")
        client, mark = self._raw_sent[user]
        return self.await_event(client, kind, mark)

    def await_event(self, client: TenantMessageClient, kind: str, since: int) -> ConnectionEvent:
        timeout = self.stage.settings.reply_timeout
        return self.stage.run(client.log.wait_for(kind, timeout, since=since), timeout)

    # -- the end -------------------------------------------------------------------------

    def close(self, also: Sequence[TenantMessageClient] = ()) -> list[str]:
        """Disconnect every connection (and ``also``); what did not go cleanly, one line each."""
        clients = [*self.open.values(), *also]
        self.open.clear()

        async def disconnect_all() -> list[BaseException | None]:
            return await asyncio.gather(*(c.disconnect() for c in clients), return_exceptions=True)

        outcomes = self.stage.run(disconnect_all(), self.stage.operation_timeout)
        leaks = [
            f"{client.label} did not disconnect: {outcome!r}"
            for client, outcome in zip(clients, outcomes, strict=True)
            if outcome is not None
        ]
        return leaks + [f"{c.label} is still open" for c in clients if c.is_open]
