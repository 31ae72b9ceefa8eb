"""The reference server: MaiMBot's two endpoints, with deterministic agents.

Start it in-process (``EmbeddedServer``, what ``behave`` does when no
``server_url`` is given) or on its own (``python -m maimbot_acceptance.server``).
Both endpoints bind to loopback by default; port 0 means "any free port".
"""

from __future__ import annotations

from dataclasses import dataclass

from aiohttp import web

from ..wire.cast import Cast
from ..wire.loop import OnItsOwnLoop
from ..wire.net import listen
from .config_api import config_api_app
from .maimconfig_api import maimconfig_app
from .memory import KEEP, Memory
from .registry import Registry
from .reply_backend import DEFAULT_MAX_MESSAGE_SIZE, ReplyBackend, ServerStartError


@dataclass(frozen=True)
class ServerOptions:
    host: str = "127.0.0.1"
    port: int = 0
    config_port: int = 0
    config_api: bool = True
    quote_every: int = 3
    heartbeat: float | None = None
    fault: str = ""
    cast: Cast | None = None
    """Tenants and agents that exist from the start, with the cast's ids (echo agents)."""
    max_message_size: int = DEFAULT_MAX_MESSAGE_SIZE
    model_url: str = ""
    """Where the agents send each reply's prompt (an LLM tap's ``/v1``); empty: nowhere."""
    memory: int = KEEP
    """Entries the agents keep of each chat, person and knowledge base; 0: they forget."""
    shared_memory_groups: tuple[str, ...] = ()
    """Group ids whose chats share one memory on purpose (MaiBot's shared_memory_groups)."""
    dialect: str = "reference"
    """"reference" (api_server-like: ``tenant:agent`` keys, the v1 config API), "saas"
    (MaimConfig's v2 API, minted ``mmc_`` keys, replies from one global bot account) or
    "upstream" (MaiBot 1.x's shapes, keys and bot accounts from a cast, no control plane,
    but every reply to its asker's client only)."""
    verdicts: bool = True
    """Tell each client its verdict after the handshake; False: refuse as the real
    servers do (see ``ReplyBackend``)."""


class ReferenceServer:
    def __init__(self, options: ServerOptions = ServerOptions(), registry: Registry | None = None):
        self.options = options
        self.registry = registry or Registry(options.dialect)
        self.memory = Memory(options.memory)
        """Outlives a restart of the reply backend, as a deployment's database does."""
        if options.shared_memory_groups:
            self.memory.share(list(options.shared_memory_groups))
        if options.cast is not None:
            seed(self.registry, options.cast)
        self.backend = self._new_backend(options.port)
        self._config_runner: web.AppRunner | None = None
        self._config_port: int | None = None

    def _new_backend(self, port: int) -> ReplyBackend:
        return ReplyBackend(
            self.registry,
            host=self.options.host,
            port=port,
            quote_every=self.options.quote_every,
            heartbeat=self.options.heartbeat,
            fault=self.options.fault,
            max_message_size=self.options.max_message_size,
            memory=self.memory,
            model_url=self.options.model_url,
            verdicts=self.options.verdicts,
        )

    @property
    def server_url(self) -> str:
        return self.backend.url

    @property
    def config_url(self) -> str | None:
        if self._config_port is None:
            return None
        return f"http://{self.options.host}:{self._config_port}"

    async def start(self) -> None:
        await self.backend.start()
        if not self.options.config_api:
            return
        control_plane = maimconfig_app if self.registry.dialect == "saas" else config_api_app
        app = control_plane(self.registry, self._keys_revoked)
        runner = web.AppRunner(app, access_log=None)
        host, port = self.options.host, self.options.config_port
        try:
            _, self._config_port = await listen(
                runner, host, port, what="config API", error=ServerStartError
            )
        except ServerStartError:
            await self.backend.stop()
            raise
        self._config_runner = runner

    async def _keys_revoked(self, revoked: dict[str, str]) -> None:
        """The control plane took keys back: their open connections are the backend's."""
        if revoked:
            await self.backend.policy.fault.keys_revoked(revoked)

    async def stop_backend(self, *, hard: bool = False) -> int:
        """Take the reply backend down (see ReplyBackend.stop); returns its port.

        The config API stays up, as a deployment's database outlives a restart of
        its reply backend.
        """
        port = self.backend.port
        await self.backend.stop(hard=hard)
        return port

    async def start_backend(self, port: int) -> None:
        """Bring a fresh reply backend up on ``port`` (the one it had, for a restart)."""
        backend = self._new_backend(port)
        await backend.start()
        self.backend = backend

    async def stop(self) -> None:
        if self._config_runner is not None:
            await self._config_runner.cleanup()
            self._config_runner = None
            self._config_port = None
        await self.backend.stop()


UPSTREAM_AGENT = "Helper"
"""The name of the bot behind an upstream key (the agent the features ask most)."""


def seed(registry: Registry, cast: Cast) -> None:
    """Create the cast's tenants and agents, as a deployment would have them already;
    upstream's: a key per API client, each with a bot of its own (so that a reply goes
    to the client that asked, as upstream's does not), the bot's accounts per platform."""
    if cast.dialect == "upstream":
        registry.bot_accounts = dict(cast.bot_accounts)
        account = cast.bot_accounts.get(cast.platform, "bot")
        for tenant in cast.tenants.values():
            bot = registry.add_agent(
                tenant.tenant_id, account, UPSTREAM_AGENT, "echo", tenant_name=tenant.name
            )
            registry.add_key(bot, tenant.key, f"cast-{tenant.name}")
        return
    for tenant in cast.tenants.values():
        for name, agent_id in tenant.agents.items():
            agent = registry.add_agent(
                tenant.tenant_id, agent_id, name, "echo", tenant_name=tenant.name
            )
            if name in tenant.keys:
                registry.add_key(agent, tenant.keys[name], f"cast-{name}")


class EmbeddedServer(OnItsOwnLoop):
    """A reference server on its own event-loop thread, apart from the clients' loop."""

    def __init__(self, options: ServerOptions = ServerOptions()) -> None:
        self.server = ReferenceServer(options)
        super().__init__(self.server, "reference-server")
