"""The reference reply backend: both wires at ``/ws`` on one listener, over one policy.

It authenticates and routes like the real MaiMBot should (the decisions are the
policy's, ``policy.py``):

* an api key is accepted only if it names an existing agent of an existing tenant
  (the real server accepts any non-empty key: docs/protocol.md);
* a reply goes to every connection of the answering ``tenant:agent`` on the platform it
  was asked on, whichever wire each is on, and nowhere else;
* who answers, and on which platform, is decided by the *connection's* authenticated
  key and platform, never by what a message claims for itself;
* a connection id (``x-uuid``) already in use is refused;
* anything that is not a package gets a ``custom_protocol_error`` saying why;
* a package of ``max_message_size`` bytes or more is read whole, then the sender's
  connection is closed with WebSocket close code 1009 ("message too big").

The wires are adapters: Socket.IO through maim_message 0.7.5 at ``/ws/``
(``socketio_wire.py``) and maim_message 0.6's plain WebSocket at ``/ws``
(``plain_wire.py``). The agents' answers are ``answering.py``'s. The backend is the
faults' host (``fault_hooks.FaultHost``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from aiohttp import web
from maim_message.message import APIMessageBase

from ..wire.net import listen
from ..wire.notifier import Notifier
from ..wire.protocol import server_package
from .answering import Answering
from .faults import fault_named
from .memory import Memory
from .model import Model
from .plain_wire import PlainServerWire
from .policy import Policy, ServerLink, Serving
from .registry import Registry
from .socketio_wire import LIBRARY_HEARTBEAT, SocketIOServerWire

log = logging.getLogger(__name__)


DEFAULT_MAX_MESSAGE_SIZE = 2 * 1024 * 1024
"""Bytes one package may take on the wire. Small, so that a scenario can exceed it
cheaply; MaiMBot keeps maim_message's default of 100 MiB (MAIM_MESSAGE_MAX_MESSAGE_SIZE)."""

MAIM_MESSAGE_MAX_MESSAGE_SIZE = 104_857_600
"""maim_message 0.7.5's ``ServerConfig.max_message_size``, which MaiMBot does not change."""


class ServerStartError(RuntimeError):
    """The server could not listen where it was told to."""


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
        verdicts: bool = True,
    ) -> None:
        """
        :param port: 0 picks a free port; read the real one from :attr:`port`.
        :param quote_every: every n-th reply is a quote ``seglist`` (as the real
            server sometimes answers); 0 turns quotes off.
        :param heartbeat: ping interval, and ping timeout, in whole seconds
            (python-engineio announces them truncated to seconds); None: the
            library's defaults (25 s and 20 s).
        :param fault: name of a deliberate misbehaviour (see faults.py); empty: none.
        :param max_message_size: bytes one incoming package may take on the wire.
        :param memory: what the agents remember (kept across restarts by its owner).
        :param model_url: the model the agents send each reply's prompt to (the LLM
            tap, ``http://host:port/v1``); empty: none.
        :param verdicts: tell each client its verdict (and, on the plain wire, the
            heartbeat) right after the handshake; False: refuse as the real servers do.
        """
        self.registry = registry
        self.host = host
        self._requested_port = port
        self._bound_port: int | None = None
        self._site: web.TCPSite | None = None
        self._running = False
        self._changes = Notifier()
        fault_ = fault_named(fault, self)
        self.policy = Policy(registry, fault_)
        self.answering = Answering(
            memory if memory is not None else Memory(),
            Model(model_url),
            fault_,
            quote_every=quote_every,
            dialect=registry.dialect,
        )
        beat = LIBRARY_HEARTBEAT if heartbeat is None else (heartbeat, heartbeat)
        self.heartbeat = fault_.heartbeat(*beat)
        """The ping interval and ping timeout this server uses, in seconds."""
        serving = Serving(
            self.policy,
            self._hear,
            self._changes.notify,
            self.heartbeat,
            max_message_size,
            verdicts,
        )
        self.socketio = SocketIOServerWire(serving)
        self.plain = PlainServerWire(serving)
        self._wires: dict[str, SocketIOServerWire | PlainServerWire] = {
            wire.name: wire for wire in (self.socketio, self.plain)
        }

    @property
    def port(self) -> int:
        if self._bound_port is None:
            raise RuntimeError("the reply backend is not listening")
        return self._bound_port

    @property
    def url(self) -> str:
        return f"ws://{self.host}:{self.port}/ws"

    def holds(self, connection_uuid: str) -> bool:
        """Whether the server still has this connection in its routing table."""
        return self.policy.holds(connection_uuid)

    async def wait_until(self, condition: Callable[[], bool], timeout: float) -> bool:
        """Whether ``condition`` (re-checked whenever a connection comes or goes)
        became true within ``timeout`` s."""
        return await self._changes.wait_for(lambda: True if condition() else None, timeout) is True

    # -- the faults' host (fault_hooks.FaultHost) ------------------------------------------

    def connection_keys(self) -> dict[str, str]:
        return self.policy.connection_keys()

    def presented_keys(self) -> dict[str, str]:
        return self.policy.presented_keys()

    def connections_by_platform(self, api_key: str) -> dict[str, list[str]]:
        return self.policy.connections_by_platform(api_key)

    def tenant_of(self, api_key: str) -> str:
        return self.policy.tenant_of(api_key)

    def routing_user(self, api_key: str) -> str:
        return self.policy.routing_user(api_key)

    def forget_tenants(self) -> None:
        """Forget every tenant and agent (as a server that keeps them in memory only)."""
        self.registry.tenants.clear()

    async def drop(self, connection_uuid: str) -> None:
        """Close one connection from the server's side, with a goodbye."""
        link = self.policy.links.get(connection_uuid)
        if link is not None:
            await self._wires[link.wire].drop(connection_uuid)

    async def close_saying(self, connection_uuid: str, reason: str) -> None:
        """Withdraw a connection's acceptance, saying why, and close it."""
        link = self.policy.links.get(connection_uuid)
        if link is not None:
            await self._wires[link.wire].close_saying(connection_uuid, reason)

    async def send_to_connection(self, connection_uuid: str, message: APIMessageBase) -> bool:
        """Send a message to one connection, bypassing routing (faults use this)."""
        link = self.policy.links.get(connection_uuid)
        return link is not None and await self._send(link, message)

    # -- hearing and answering -----------------------------------------------------------

    async def _hear(self, message: APIMessageBase, link: ServerLink) -> None:
        answerer = self.policy.answerer(message, link)
        if answerer is None:
            log.info("message on %s unanswered (no agent, or not heard)", link.uuid)
            return
        await self.answering.answer(message, answerer, self._route)

    async def _route(self, reply: APIMessageBase) -> None:
        """Every connection of the reply's key on its platform, on its own wire."""
        for link in self.policy.recipients(reply):
            await self._send(link, reply)

    async def _send(self, link: ServerLink, message: APIMessageBase) -> bool:
        package = server_package(
            message.to_dict(), target_user=link.routing_user, platform=link.platform
        )
        return await self._wires[link.wire].send(link.uuid, package)

    # -- life ----------------------------------------------------------------------------

    async def start(self) -> None:
        """Listen; raise ServerStartError if the address cannot be bound."""
        self.socketio.attach()
        self.plain.attach(self.socketio.app)
        runner = web.AppRunner(self.socketio.app, access_log=None)
        self._site, self._bound_port = await listen(
            runner, self.host, self._requested_port, what="reply backend", error=ServerStartError
        )
        self.socketio.started(runner)
        self._running = True
        self.policy.fault.on_start()

    async def stop_listening(self) -> None:
        """Accept no new connections; those already open carry on."""
        if self._site is not None:
            await self._site.stop()
            self._site = None

    async def stop(self, *, hard: bool = False) -> None:
        """Close every connection and the listener; leave no task behind.

        Gracefully (the default) the server says goodbye to every client first.
        ``hard`` is how a killed process goes: its TCP connections are torn down
        with no goodbye at all.
        """
        if not self._running:
            return
        self._running = False
        if hard:
            self.socketio.close_transports(abort=True)
        await self.plain.shut(hard=hard)
        await self.socketio.shut(hard=hard)
        await self.policy.fault.on_stop()
        await self.answering.model.close()
        await self.socketio.stop()
        self._bound_port = None
        self._site = None
