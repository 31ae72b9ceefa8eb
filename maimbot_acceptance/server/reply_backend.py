"""The reference reply backend: maim_message's WebSocketServer at ``/ws``, agents answering.

It authenticates and routes like the real MaiMBot should:

* an api key is accepted only if it names an existing agent of an existing tenant
  (the real server accepts any non-empty key: docs/protocol.md);
* a reply goes, through maim_message's own routing, to every connection of the
  answering ``tenant:agent`` on the platform it was asked on, and nowhere else;
* who answers, and on which platform, is decided by the *connection's* authenticated
  key and platform, never by what a message claims for itself (MaiMBot takes the
  platform from the message: a connection on "test" can have the answer sent to "qq");
* a connection id (``x-uuid``) already in use is refused, where maim_message 0.7.5
  would hand the live connection's replies to the newcomer (docs/protocol.md, defect 5);
* anything that is not a package (or a chat package without a chat message) gets a
  ``custom_protocol_error`` saying why, where maim_message drops it without a word;
* a package of ``max_message_size`` bytes or more (as aiohttp counts) is read whole,
  then the sender's connection is closed with WebSocket close code 1009 ("message too
  big"), which arrives (size_limit.py says why maim_message's way loses it now and then).

It also works around maim_message 0.7.5's server defects (docs/protocol.md): it starts
the network driver itself, so the listener cannot be garbage-collected, start-up
does not sleep a blind second, and a failed bind is an error.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Callable
from typing import Any

from aiohttp import web
from maim_message.message import APIMessageBase
from maim_message.server import ServerConfig, WebSocketServer

from ..wire.logs import library_logger
from ..wire.messages import new_message_id, text_of
from ..wire.net import listen
from ..wire.notifier import Notifier
from ..wire.protocol import AUTH_RESULT_TYPE
from .agents import behaviour_of
from .faults import fault_named
from .memory import Memory, Whereabouts
from .model import Model
from .registry import KeyVerdict, Registry
from .replies import bot_account, reply_to
from .screening import screen_packages
from .shutdown import cancel_ping_timers, close_transports, say_goodbye
from .size_limit import refuse_oversize_packages_whole

log = logging.getLogger(__name__)


DEFAULT_MAX_MESSAGE_SIZE = 2 * 1024 * 1024
"""Bytes one package may take on the wire. Small, so that a scenario can exceed it
cheaply; MaiMBot keeps maim_message's default of 100 MiB (MAIM_MESSAGE_MAX_MESSAGE_SIZE)."""

MAIM_MESSAGE_MAX_MESSAGE_SIZE = 104_857_600
"""maim_message 0.7.5's ``ServerConfig.max_message_size``, which MaiMBot does not change."""


class ServerStartError(RuntimeError):
    """The server could not listen where it was told to."""


class _ObservedServer(WebSocketServer):  # type: ignore[misc]
    """maim_message's server, telling its backend when its routing table changes."""

    def __init__(self, config: ServerConfig, backend: ReplyBackend) -> None:
        super().__init__(config)
        self._backend = backend

    async def _handle_connect_event(self, event: Any) -> None:
        await super()._handle_connect_event(event)
        self._backend._connections_changed()

    async def _handle_disconnect_event(self, event: Any) -> None:
        if self._backend.fault.forgets(event.metadata.uuid):
            await super()._handle_disconnect_event(event)
        self._backend._connections_changed()


class ReplyBackend:
    def __init__(
        self,
        registry: Registry,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        quote_every: int = 3,
        heartbeat: float | None = None,
        fault: str = "",
        max_message_size: int = DEFAULT_MAX_MESSAGE_SIZE,
        memory: Memory | None = None,
        model_url: str = "",
    ) -> None:
        """
        :param port: 0 picks a free port; read the real one from :attr:`port`.
        :param quote_every: every n-th reply is a quote ``seglist`` (as the real
            server sometimes answers); 0 turns quotes off.
        :param heartbeat: Socket.IO ping interval, and ping timeout, in whole seconds
            (python-engineio announces them truncated to seconds); None: the
            library's defaults (25 s and 20 s).
        :param fault: name of a deliberate misbehaviour (see faults.py); empty: none.
        :param max_message_size: bytes one incoming package may take on the wire.
        :param memory: what the agents remember (kept across restarts by its owner).
        :param model_url: the model the agents send each reply's prompt to (the LLM
            tap, ``http://host:port/v1``); empty: none.
        """
        self.registry = registry
        self.memory = memory if memory is not None else Memory()
        self.model = Model(model_url)
        self._turns: dict[tuple[str, str, str], asyncio.Lock] = {}
        self.host = host
        self.quote_every = quote_every
        self.replies_sent = 0
        self._requested_port = port
        self._bound_port: int | None = None
        self._refused_ids: dict[str, str] = {}
        self._site: web.TCPSite | None = None
        self._changes = Notifier()
        self._server = _ObservedServer(
            ServerConfig(
                host=host,
                port=port,
                path="/ws",
                on_auth=self._authenticate,
                on_auth_extract_user=self._routing_user,
                on_message=self._answer,
                custom_logger=library_logger("server"),
                enable_message_cache=False,
                max_message_size=max_message_size,
            ),
            self,
        )
        self.fault = fault_named(fault, self)
        self._guard_connection_ids()
        screen_packages(self._server)
        engine = self._server.network_driver.sio.eio
        refuse_oversize_packages_whole(engine, max_message_size)
        interval = engine.ping_interval if heartbeat is None else heartbeat
        timeout = engine.ping_timeout if heartbeat is None else heartbeat
        engine.ping_interval, engine.ping_timeout = self.fault.heartbeat(interval, timeout)

    @property
    def heartbeat(self) -> tuple[float, float]:
        """The ping interval and ping timeout this server uses, in seconds."""
        engine = self._server.network_driver.sio.eio
        return float(engine.ping_interval), float(engine.ping_timeout)

    @property
    def port(self) -> int:
        if self._bound_port is None:
            raise RuntimeError("the reply backend is not listening")
        return self._bound_port

    @property
    def url(self) -> str:
        return f"ws://{self.host}:{self.port}/ws"

    def connection_keys(self) -> dict[str, str]:
        """Every authenticated connection's id and the routing user it is filed under
        (its ``tenant:agent`` key; on saas ``<tenant>_<agent>_<version>``)."""
        return dict(self._server.connection_users)

    def presented_keys(self) -> dict[str, str]:
        """Every authenticated connection's id and the api key it presented."""
        metadata = self._server.network_driver.connection_metadata
        return {u: metadata[u].api_key for u in self._server.connection_users if u in metadata}

    def routing_user(self, api_key: str) -> str:
        return self.registry.routing_user(api_key)

    def tenant_of(self, api_key: str) -> str:
        """The tenant a key (or a routing user) names; "" if none."""
        agent = self.registry.agent_for_key(api_key)
        if agent is not None:
            return agent.tenant_id
        return api_key.partition(":")[0] if ":" in api_key else api_key.partition("_agent_")[0]

    def connections_by_platform(self, api_key: str) -> dict[str, list[str]]:
        """The connections of one key's routing user by platform, oldest first."""
        metadata = self._server.network_driver.connection_metadata

        def opened(connection_uuid: str) -> float:
            found = metadata.get(connection_uuid)
            return found.connected_at if found is not None else 0.0

        by_platform = self._server.user_connections.get(self.registry.routing_user(api_key), {})
        return {platform: sorted(uuids, key=opened) for platform, uuids in by_platform.items()}

    def holds(self, connection_uuid: str) -> bool:
        """Whether the server still has this connection, open or in its routing table."""
        return (
            connection_uuid in self._server.network_driver.active_connections
            or connection_uuid in self._server.connection_users
        )

    async def wait_until(self, condition: Callable[[], bool], timeout: float) -> bool:
        """Whether ``condition`` (re-checked whenever a connection comes or goes)
        became true within ``timeout`` s."""
        return await self._changes.wait_for(lambda: True if condition() else None, timeout) is True

    def _connections_changed(self) -> None:
        self._changes.notify()

    def forget_tenants(self) -> None:
        """Forget every tenant and agent (as a server that keeps them in memory only)."""
        self.registry.tenants.clear()

    async def drop(self, connection_uuid: str) -> None:
        """Close one connection from the server's side, with a goodbye."""
        await self._server.network_driver.disconnect_client(connection_uuid, "closed by the server")

    async def close_saying(self, connection_uuid: str, reason: str) -> None:
        """Withdraw a connection's acceptance, saying why, and close it."""
        await self._server.send_custom_message(
            AUTH_RESULT_TYPE, {"accepted": False, "reason": reason}, connection_uuid=connection_uuid
        )
        await self.drop(connection_uuid)

    async def send_to_connection(self, connection_uuid: str, message: APIMessageBase) -> bool:
        """Send a message to one connection, bypassing routing (faults use this)."""
        package = {
            "ver": 1,
            "msg_id": f"msg_{new_message_id()}",
            "type": "sys_std",
            "meta": {"sender_user": "server", "timestamp": time.time()},
            "payload": message.to_dict(),
        }
        return bool(await self._server.network_driver.send_message(connection_uuid, package))

    # -- life --------------------------------------------------------------------

    async def start(self) -> None:
        """Listen; raise ServerStartError if the address cannot be bound."""
        server = self._server
        driver = server.network_driver
        driver.event_queue = server.event_queue
        driver.sio.attach(driver.app, socketio_path=driver.path.lstrip("/"))
        runner = web.AppRunner(driver.app, access_log=None)
        self._site, self._bound_port = await listen(
            runner, self.host, self._requested_port, what="reply backend", error=ServerStartError
        )
        # What WebSocketServer.start() would have set, minus its unreferenced
        # driver task and its one-second sleep.
        driver._runner = runner
        driver.running = True
        server.running = True
        server.dispatcher_task = asyncio.create_task(server._dispatcher_loop())
        self.fault.on_start()

    async def stop_listening(self) -> None:
        """Accept no new connections; those already open carry on."""
        if self._site is not None:
            await self._site.stop()
            self._site = None

    async def stop(self, *, hard: bool = False) -> None:
        """Close every connection and the listener; leave no task behind.

        Gracefully (the default) the server says goodbye to every client first.
        ``hard`` is how a killed process goes: its TCP connections are torn down
        with no Socket.IO or websocket goodbye at all.
        """
        server = self._server
        if not server.running:
            return
        driver = server.network_driver
        if hard:
            close_transports(server, abort=True)
        await driver.sio.shutdown()
        if not hard:
            await say_goodbye(server)
        await self.fault.on_stop()
        await self.model.close()
        await server.stop()
        await cancel_ping_timers(server)
        self._bound_port = None
        self._site = None

    # -- before maim_message sees a connection ------------------------------------

    def _guard_connection_ids(self) -> None:
        """Judge the connection id a client chose before maim_message's driver files it.

        The driver's Socket.IO ``connect`` handler registers the connection under the
        ``x-uuid`` header's id, replacing whatever held it, before any auth callback
        runs: a newcomer would take over a live connection's replies. So an id is judged
        here; a refused one is swapped for a fresh id, under which the connection is
        filed harmlessly and then refused, with the reason, by :meth:`_authenticate`.
        """
        driver = self._server.network_driver
        handlers = driver.sio.handlers["/"]
        register = handlers["connect"]

        async def connect(sid: str, environ: dict[str, Any], auth: Any = None) -> Any:
            wanted = str(environ.get("HTTP_X_UUID") or "")
            if wanted:
                verdict = self._connection_id_verdict(wanted)
                verdict = self.fault.judge_connection_id(wanted, verdict)
                if not verdict.accepted:
                    stand_in = f"refused_{uuid.uuid4().hex}"
                    environ["HTTP_X_UUID"] = stand_in
                    self._refused_ids[stand_in] = verdict.reason
            return await register(sid, environ, auth)

        handlers["connect"] = connect

    def _connection_id_verdict(self, connection_id: str) -> KeyVerdict:
        if connection_id in self._server.network_driver.active_connections:
            return KeyVerdict(
                False, f"connection id {connection_id!r} is already in use by another connection"
            )
        return KeyVerdict(True)

    # -- maim_message callbacks --------------------------------------------------

    async def _authenticate(self, metadata: dict[str, Any]) -> bool:
        api_key = str(metadata.get("api_key", ""))
        refused_id = self._refused_ids.pop(str(metadata.get("uuid", "")), None)
        if refused_id is not None:
            verdict = KeyVerdict(False, refused_id)
        else:
            verdict = self.fault.judge_key(api_key, self.registry.check_api_key(api_key))
        if not verdict.accepted:
            log.info("refused connection %s: %s", metadata.get("uuid"), verdict.reason)
        await self._server.send_custom_message(
            AUTH_RESULT_TYPE,
            {"accepted": verdict.accepted, "reason": verdict.reason},
            connection_uuid=metadata.get("uuid"),
        )
        if verdict.accepted:
            self.fault.on_connect(str(metadata.get("uuid", "")))
        return verdict.accepted

    async def _routing_user(self, metadata: dict[str, Any]) -> str:
        # maim_message routes a reply to the connections whose user id equals this: the
        # key itself ("tenant:agent") as on api_server; on saas the key's tenant, agent
        # and version, as saas files them (registry.routing_user).
        return self.registry.routing_user(str(metadata.get("api_key", "")))

    async def _answer(self, message: APIMessageBase, metadata: dict[str, Any]) -> None:
        if not self.fault.hears(message, str(metadata.get("uuid", ""))):
            return
        key = self.fault.speaking_key(str(metadata.get("api_key", "")), message.get_api_key())
        platform = self.fault.reply_platform(
            str(metadata.get("platform", "")), message.message_info.platform
        )
        agent = self.registry.agent_for_key(key)
        if agent is None:
            log.info("no agent for key %r: message %s unanswered", key, metadata.get("uuid"))
            return
        message = self.fault.understood(message)
        segment = message.message_segment
        heard = text_of(segment.to_dict())
        where = Whereabouts.of(message, agent, platform)
        if not self.fault.answers(where, bot_account(agent, self.registry.dialect)):
            return
        memory = self.memory.take_in(where, heard, self.fault.memory_key)
        # One model consultation at a time per chat, in the order the messages came:
        # each reply then starts out in that order, as it did before the model was
        # asked (a burst's replies keep the burst's order).
        async with self._turns.setdefault((key, platform, where.chat), asyncio.Lock()):
            # The reply's words are the agent's own (reference scenarios read them
            # exactly); the model is asked so that the prompt built from memory can be
            # witnessed at the tap.
            await self.model.ask(memory.prompt(where, heard))
        for text in behaviour_of(agent)(agent, heard, segment.type, memory):
            self.replies_sent += 1
            quoting = bool(self.quote_every) and self.replies_sent % self.quote_every == 0
            reply = reply_to(
                message, agent, key, platform, text, quoting=quoting, dialect=self.registry.dialect
            )
            await self.fault.deliver(reply, self._route)

    async def _route(self, reply: APIMessageBase) -> None:
        """maim_message's routing: every connection of the reply's key on its platform."""
        await self._server.send_message(reply)
