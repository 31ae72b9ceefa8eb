"""The reference server's Socket.IO wire: maim_message 0.7.5's ``WebSocketServer`` at
``/ws/``, adapted to the policy (``policy.py``), which judges, files and routes.

It keeps what maim_message does well (the Socket.IO handshake, acknowledgements, the
message dispatcher) and works around what it does wrong (docs/protocol.md): a
connection id is judged before the driver files it (a newcomer would take over a live
connection's replies), garbage is answered with a reason (``screening.py``), a package
over the limit is read whole before the 1009 (``size_limit.py``), the network driver is
started by the backend (the listener cannot be garbage-collected, no blind 1 s sleep),
and it stops without leaving tasks behind (``shutdown.py``).
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from typing import Any

from aiohttp import web
from maim_message.message import APIMessageBase
from maim_message.server import ServerConfig, WebSocketServer

from ..wire.logs import library_logger
from ..wire.protocol import AUTH_RESULT_TYPE
from .policy import Serving
from .registry import KeyVerdict
from .screening import screen_packages
from .shutdown import cancel_ping_timers, close_transports, say_goodbye
from .size_limit import refuse_oversize_packages_whole

log = logging.getLogger(__name__)

LIBRARY_HEARTBEAT = (25.0, 20.0)
"""python-engineio's ping interval and ping timeout, which maim_message keeps."""


class _ObservedServer(WebSocketServer):  # type: ignore[misc]
    """maim_message's server, telling its wire when a connection goes."""

    def __init__(self, config: ServerConfig, wire: SocketIOServerWire) -> None:
        super().__init__(config)
        self._wire = wire

    async def _handle_disconnect_event(self, event: Any) -> None:
        await super()._handle_disconnect_event(event)
        self._wire.gone(str(event.metadata.uuid))


class SocketIOServerWire:
    name = "socketio"

    def __init__(self, serving: Serving) -> None:
        """Without ``serving.verdicts`` a refused client is dropped, as MaiMBot does."""
        self._policy, self._hear, self._changed = serving.policy, serving.hear, serving.changed
        self._verdicts = serving.verdicts
        self._refused_ids: dict[str, str] = {}
        self.server = _ObservedServer(
            ServerConfig(
                path="/ws",
                on_auth=self._authenticate,
                on_auth_extract_user=self._routing_user,
                on_message=self._message,
                custom_logger=library_logger("server"),
                enable_message_cache=False,
                max_message_size=serving.max_message_size,
            ),
            self,
        )
        driver = self.server.network_driver
        self._guard_connection_ids()
        screen_packages(self.server)
        engine = driver.sio.eio
        refuse_oversize_packages_whole(engine, serving.max_message_size)
        engine.ping_interval, engine.ping_timeout = serving.heartbeat

    @property
    def app(self) -> web.Application:
        """The aiohttp application the driver serves (other wires may add routes)."""
        app: web.Application = self.server.network_driver.app
        return app

    def attach(self) -> None:
        """Route ``/ws/`` to Socket.IO (before the application is frozen)."""
        driver = self.server.network_driver
        driver.event_queue = self.server.event_queue
        driver.sio.attach(driver.app, socketio_path=driver.path.lstrip("/"))

    def started(self, runner: web.AppRunner) -> None:
        """What ``WebSocketServer.start()`` would have set, minus its unreferenced driver
        task and its one-second sleep."""
        server, driver = self.server, self.server.network_driver
        driver._runner = runner
        driver.running = True
        server.running = True
        server.dispatcher_task = asyncio.create_task(server._dispatcher_loop())

    # -- talking -------------------------------------------------------------------------

    async def send(self, connection_uuid: str, package: dict[str, Any]) -> bool:
        return bool(await self.server.network_driver.send_message(connection_uuid, package))

    async def drop(self, connection_uuid: str) -> None:
        """Close one connection from the server's side, with a goodbye."""
        await self.server.network_driver.disconnect_client(connection_uuid, "closed by the server")

    async def close_saying(self, connection_uuid: str, reason: str) -> None:
        """Withdraw a connection's acceptance, saying why (the verdict), and close it."""
        await self.server.send_custom_message(
            AUTH_RESULT_TYPE, {"accepted": False, "reason": reason}, connection_uuid=connection_uuid
        )
        await self.drop(connection_uuid)

    def gone(self, connection_uuid: str) -> None:
        self._policy.gone(connection_uuid)
        self._changed()

    # -- stopping ------------------------------------------------------------------------

    async def shut(self, *, hard: bool) -> None:
        """Stop taking Socket.IO traffic; gracefully, say goodbye to every client first
        (``hard``: the backend has torn every transport down already)."""
        await self.server.network_driver.sio.shutdown()
        if not hard:
            await say_goodbye(self.server)

    async def stop(self) -> None:
        await self.server.stop()
        await cancel_ping_timers(self.server)

    def close_transports(self, *, abort: bool) -> None:
        """Close every TCP connection of the listener (every wire's)."""
        close_transports(self.server, abort=abort)

    # -- before maim_message sees a connection -------------------------------------------

    def _guard_connection_ids(self) -> None:
        """Judge the connection id a client chose before maim_message's driver files it.

        The driver's Socket.IO ``connect`` handler registers the connection under the
        ``x-uuid`` header's id, replacing whatever held it, before any auth callback
        runs: a newcomer would take over a live connection's replies. So an id is judged
        here; a refused one is swapped for a fresh id, under which the connection is
        filed harmlessly and then refused, with the reason, by :meth:`_authenticate`.
        """
        handlers = self.server.network_driver.sio.handlers["/"]
        register = handlers["connect"]

        async def connect(sid: str, environ: dict[str, Any], auth: Any = None) -> Any:
            wanted = str(environ.get("HTTP_X_UUID") or "")
            if wanted:
                verdict = self._policy.judge_connection_id(wanted)
                if not verdict.accepted:
                    stand_in = f"refused_{uuid.uuid4().hex}"
                    environ["HTTP_X_UUID"] = stand_in
                    self._refused_ids[stand_in] = verdict.reason
            return await register(sid, environ, auth)

        handlers["connect"] = connect

    # -- maim_message callbacks ----------------------------------------------------------

    async def _authenticate(self, metadata: dict[str, Any]) -> bool:
        connection_uuid = str(metadata.get("uuid", ""))
        api_key = str(metadata.get("api_key", ""))
        refused_id = self._refused_ids.pop(connection_uuid, None)
        if refused_id is not None:
            verdict = KeyVerdict(False, refused_id)
        else:
            verdict = self._policy.judge_key(api_key)
        if not verdict.accepted:
            log.info("refused connection %s: %s", connection_uuid, verdict.reason)
        if self._verdicts:
            await self.server.send_custom_message(
                AUTH_RESULT_TYPE,
                {"accepted": verdict.accepted, "reason": verdict.reason},
                connection_uuid=connection_uuid,
            )
        if verdict.accepted:
            platform = str(metadata.get("platform", ""))
            self._policy.admit(connection_uuid, api_key, platform, self.name, time.monotonic())
            self._changed()
        return verdict.accepted

    async def _routing_user(self, metadata: dict[str, Any]) -> str:
        # maim_message files a connection under this user; routing is the policy's.
        return self._policy.routing_user(str(metadata.get("api_key", "")))

    async def _message(self, message: APIMessageBase, metadata: dict[str, Any]) -> None:
        link = self._policy.links.get(str(metadata.get("uuid", "")))
        if link is not None:
            await self._hear(message, link)
