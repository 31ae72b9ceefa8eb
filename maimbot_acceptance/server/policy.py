"""The reference server's core, with no I/O: who may connect, who answers a message and
where the answer goes, with the fault hooks applied.

Both wire adapters (``socketio_wire.py``, ``plain_wire.py``) ask it the same questions,
so that a connection is judged, filed and routed alike on either wire, and every fault
bends both. It is the one place on the server's side that reads key shapes (through
the registry and ``wire.dialects``). Time is passed in; nothing here sends or awaits.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from maim_message.message import APIMessageBase

from ..wire.dialects import BOT_ACCOUNT_KEY
from .fault_hooks import Fault
from .registry import AgentRecord, KeyVerdict, Registry

SEEN_PACKAGES = 10_000
"""Package ids remembered to ignore a resent package (maim_message keeps them too)."""


@dataclass(frozen=True)
class ServerLink:
    """A connection the server holds: as whom it was accepted, and on which wire."""

    uuid: str
    api_key: str
    platform: str
    routing_user: str
    """Whom a reply must be for to reach it (``Policy.routing_user`` of its key)."""
    wire: str
    opened_at: float


@dataclass(frozen=True)
class Answerer:
    """Who answers a message, and where: the agent of ``key``, on ``platform``."""

    agent: AgentRecord
    key: str
    platform: str


class Policy:
    """Judges, files and routes connections; decides who answers. One event loop only."""

    def __init__(self, registry: Registry, fault: Fault) -> None:
        self.registry = registry
        self.fault = fault
        self.links: dict[str, ServerLink] = {}
        """The routing table: every accepted connection not forgotten yet."""
        self._live: set[str] = set()
        """Connection ids open right now (a ghost in the table is not)."""
        self._seen: OrderedDict[str, None] = OrderedDict()

    # -- keys (the one server-side reader of their shapes) -----------------------------

    def routing_user(self, api_key: str) -> str:
        """Whom a connection with ``api_key`` is filed under, and a reply routed to."""
        return self.registry.routing_user(api_key)

    def tenant_of(self, api_key: str) -> str:
        """The tenant a key (or a routing user) names; "" if none."""
        agent = self.registry.agent_for_key(api_key)
        if agent is not None:
            return agent.tenant_id
        return api_key.partition(":")[0] if ":" in api_key else api_key.partition("_agent_")[0]

    # -- who may connect -----------------------------------------------------------------

    def judge_connection_id(self, connection_id: str) -> KeyVerdict:
        """Whether a client may use the connection id it chose (``x-uuid``): not one open."""
        verdict = KeyVerdict(True)
        if connection_id in self._live:
            verdict = KeyVerdict(
                False, f"connection id {connection_id!r} is already in use by another connection"
            )
        return self.fault.judge_connection_id(connection_id, verdict)

    def judge_key(self, api_key: str) -> KeyVerdict:
        return self.fault.judge_key(api_key, self.registry.check_api_key(api_key))

    def judge(self, connection_id: str, api_key: str) -> KeyVerdict:
        """Both judgements, the connection id's first."""
        verdict = self.judge_connection_id(connection_id)
        return verdict if not verdict.accepted else self.judge_key(api_key)

    # -- the routing table ---------------------------------------------------------------

    def admit(
        self, connection_id: str, api_key: str, platform: str, wire: str, at: float
    ) -> ServerLink:
        """File an accepted connection."""
        link = ServerLink(connection_id, api_key, platform, self.routing_user(api_key), wire, at)
        self.links[connection_id] = link
        self._live.add(connection_id)
        self.fault.on_connect(connection_id)
        return link

    def gone(self, connection_id: str) -> None:
        """A connection closed; the table forgets it (unless a fault keeps its ghost)."""
        self._live.discard(connection_id)
        if self.fault.forgets(connection_id):
            self.links.pop(connection_id, None)

    def holds(self, connection_id: str) -> bool:
        return connection_id in self.links

    def connection_keys(self) -> dict[str, str]:
        """Every filed connection's id and its routing user."""
        return {uuid: link.routing_user for uuid, link in self.links.items()}

    def presented_keys(self) -> dict[str, str]:
        """Every filed connection's id and the api key it presented."""
        return {uuid: link.api_key for uuid, link in self.links.items()}

    def connections_by_platform(self, api_key: str) -> dict[str, list[str]]:
        """The connections of one key's routing user by platform, oldest first."""
        user = self.routing_user(api_key)
        by_platform: dict[str, list[str]] = {}
        for link in sorted(self.links.values(), key=lambda link: link.opened_at):
            if link.routing_user == user:
                by_platform.setdefault(link.platform, []).append(link.uuid)
        return by_platform

    def recipients(self, reply: APIMessageBase) -> list[ServerLink]:
        """Where a reply goes: every connection of its key's routing user on its platform."""
        user = self.routing_user(reply.message_dim.api_key)
        platform = reply.message_dim.platform
        return [
            link
            for link in self.links.values()
            if link.routing_user == user and link.platform == platform
        ]

    # -- messages ------------------------------------------------------------------------

    def first_time(self, package_id: str) -> bool:
        """Whether a package id is new (a resent package is acknowledged, not answered)."""
        if package_id in self._seen:
            return False
        self._seen[package_id] = None
        if len(self._seen) > SEEN_PACKAGES:
            self._seen.popitem(last=False)
        return True

    def answerer(self, message: APIMessageBase, link: ServerLink) -> Answerer | None:
        """Who answers ``message``, heard on ``link``: the agent of the connection's key,
        on the connection's platform (never what the message claims); None: nobody."""
        if not self.fault.hears(message, link.uuid):
            return None
        key = self.fault.speaking_key(link.api_key, message.get_api_key())
        platform = self.fault.reply_platform(link.platform, message.message_info.platform)
        agent = self.registry.agent_for_key(key)
        if agent is None or not self.names_the_bot(message, platform):
            return None
        return Answerer(agent, key, platform)

    def names_the_bot(self, message: APIMessageBase, platform: str) -> bool:
        """Upstream: a message must name the bot's account on its platform, or the bot
        cannot answer it (as 1.3.15 cannot); elsewhere any message may be answered."""
        accounts = self.registry.bot_accounts
        if self.registry.dialect != "upstream":
            return True
        config = message.message_info.additional_config or {}
        named = config.get(BOT_ACCOUNT_KEY) if isinstance(config, dict) else None
        return bool(named) and named == accounts.get(platform)


Hear = Callable[[APIMessageBase, ServerLink], Coroutine[Any, Any, None]]
"""What the backend does with a chat message heard on an accepted connection."""


@dataclass(frozen=True)
class Serving:
    """What each wire adapter serves with: the core, and the backend's terms."""

    policy: Policy
    hear: Hear
    changed: Callable[[], None]
    """Called whenever a connection comes or goes."""
    heartbeat: tuple[float, float]
    """The ping interval and ping timeout to keep."""
    max_message_size: int
    """Bytes one incoming package may take on the wire."""
    verdicts: bool = True
    """Send the verdict (``custom_auth_result``) after the handshake; False: refuse as the
    real servers do, without one."""
