"""TenantMessageClient: one connection of (tenant, agent, platform) to MaiMBot.

Built on maim_message 0.7.5's ``WebSocketClient`` with the api key
``"<tenant_id>:<agent_id>"``. It adds what an acceptance suite needs and the
library lacks:

* ``connect(timeout)`` tells apart, in one line and fast, a server that refuses
  the client, an address where nothing listens, and a server that does not answer
  (maim_message itself returns ``False`` after 10 s, with no reason);
* every received chat message lands in an :class:`~.inbox.Inbox` with its time;
* what happens to the connection (opened, closed and why, refused, told of an error)
  is kept as :class:`ConnectionEvent` s, with an event-driven wait for them;
* ``disconnect()`` is quick and leaves no tasks behind.

All coroutines must run on the loop the client was first used on.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from maim_message.client import ClientConfig, WebSocketClient
from maim_message.message import Seg

from .errors import (
    ConnectRefused,
    ConnectTimedOut,
    NoConnectionEvent,
    NothingListening,
    SendFailed,
)
from .inbox import Inbox
from .logs import library_logger
from .messages import Chat, ChatMessage, ChatUser, build_message, text_segment
from .net import describe_close_code, probe_tcp
from .protocol import AUTH_RESULT_TYPE, PROTOCOL_ERROR_TYPE, api_key_for, endpoint_of

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SentMessage:
    """What a client handed to the server, and where its inbox stood at that moment."""

    message_id: str
    text: str
    sender: ChatUser
    chat: Chat
    platform: str
    sent_at: float
    wall_time: float
    inbox_mark: int

    def describe(self) -> str:
        clock = time.strftime("%H:%M:%S", time.localtime(self.wall_time))
        return (
            f"{self.sender.nickname} sent {self.text[:60]!r} (message {self.message_id}) "
            f"in the {self.chat.describe()} on {self.platform!r} at {clock}"
            f".{int(self.wall_time * 1000) % 1000:03d}"
        )


@dataclass(frozen=True)
class ConnectionEvent:
    """Something that happened to the connection, for transcripts and reconnect logic."""

    kind: str  # "open" | "close" | "verdict" | "error" (the server refused something we sent)
    at: float
    detail: str = ""
    accepted: bool = True


class TenantMessageClient:
    """A connection to MaiMBot's reply backend as one tenant's agent on one platform."""

    def __init__(
        self,
        *,
        tenant_id: str,
        agent_id: str,
        platform: str,
        server_url: str,
        label: str = "",
        auth_settle: float = 0.3,
        api_key: str | None = None,
        connection_id: str | None = None,
    ) -> None:
        """
        :param label: how failures name this connection ("Alice (Acme) -> Helper").
        :param auth_settle: after the handshake, how long to watch for the server
            dropping the connection when it sends no verdict (the real server's
            way of refusing a key).
        :param api_key: override the ``tenant:agent`` key (to test refusals).
        :param connection_id: the ``x-uuid`` to present (to test hijacking).
        """
        self.tenant_id = tenant_id
        self.agent_id = agent_id
        self.platform = platform
        self.server_url = server_url
        self.api_key = api_key if api_key is not None else api_key_for(tenant_id, agent_id)
        self.label = label or f"{self.api_key} on {platform}"
        self.connection_id = connection_id or f"acc_{uuid.uuid4().hex}"
        self.auth_settle = auth_settle
        self.inbox = Inbox(self.label)
        self.events: list[ConnectionEvent] = []
        self._endpoint = endpoint_of(server_url, "server_url", ("ws", "wss"))
        self._wire: _Wire | None = None
        self._connecting: asyncio.Queue[ConnectionEvent] | None = None
        self._event_wakers: list[asyncio.Future[None]] = []

    # -- state -------------------------------------------------------------------

    @property
    def is_connected(self) -> bool:
        return self._wire is not None and self._wire.is_connected()

    @property
    def is_open(self) -> bool:
        """Between a successful connect() and disconnect() (even while the link is down)."""
        return self._wire is not None

    # -- connecting --------------------------------------------------------------

    async def connect(self, timeout: float) -> None:
        """Open the connection, or raise NothingListening / ConnectTimedOut / ConnectRefused."""
        if self._wire is not None:
            raise RuntimeError(f"{self.label} is already connected")
        deadline = time.monotonic() + timeout
        await self._probe_listener(timeout)
        self._connecting = asyncio.Queue()
        self._wire = _Wire(self._config(), self)
        try:
            await self._wire.start()
            await self._wire.open(self.connection_id)
            await self._await_acceptance(deadline, timeout)
            await self._wire.stop_polling()
        except BaseException:
            await self._teardown()
            raise
        finally:
            self._connecting = None
        self.inbox.opened_at = time.monotonic()

    async def _probe_listener(self, timeout: float) -> None:
        # maim_message retries a refused TCP connect forever; ask the socket first.
        problem = await probe_tcp(*self._endpoint, timeout)
        if problem is None:
            return
        if problem.startswith("no answer"):
            raise ConnectTimedOut(f"cannot connect {self.label}: {problem}")
        raise NothingListening(f"cannot connect {self.label}: {problem}")

    async def _await_acceptance(self, deadline: float, timeout: float) -> None:
        """Decide from the first connection events whether the server accepted us."""
        assert self._connecting is not None
        opened_at: float | None = None
        verdict_ok = False
        while True:
            if opened_at is None:
                wait = deadline - time.monotonic()
            else:
                wait = opened_at + self.auth_settle - time.monotonic()
            try:
                event = await asyncio.wait_for(self._connecting.get(), max(wait, 0))
            except TimeoutError:
                if opened_at is not None:
                    return  # no verdict, still connected after the settle window
                raise ConnectTimedOut(
                    f"cannot connect {self.label}: {self.server_url} accepted TCP but did not "
                    f"complete the Socket.IO handshake within {timeout:.1f} s"
                ) from None
            if event.kind == "verdict" and not event.accepted:
                raise self._refused(event.detail or "no reason given")
            if event.kind == "close":
                if opened_at is None:
                    raise self._refused(f"the handshake was rejected ({event.detail})")
                after = event.at - opened_at
                raise self._refused(
                    f"the server closed the connection {after:.2f} s after the handshake, "
                    "without a reason"
                )
            if event.kind == "verdict":
                verdict_ok = True
            if event.kind == "open":
                opened_at = event.at
            if opened_at is not None and verdict_ok:
                return

    def _refused(self, reason: str) -> ConnectRefused:
        return ConnectRefused(
            f"server refused {self.label} (api key {self.api_key!r}, "
            f"platform {self.platform!r}): {reason}"
        )

    def _config(self) -> ClientConfig:
        return ClientConfig(
            url=self.server_url,
            api_key=self.api_key,
            platform=self.platform,
            ssl_enabled=self.server_url.startswith("wss://"),
            # Our own inbox keeps what arrives; the library's resend cache would
            # replay messages after a reconnect and hide losses from the suite.
            enable_message_cache=False,
            custom_logger=library_logger("client"),
        )

    # -- talking -----------------------------------------------------------------

    async def send_text(self, text: str, *, sender: ChatUser, chat: Chat) -> SentMessage:
        """Say ``text`` in ``chat`` as ``sender``; returns what was sent (incl. message id)."""
        return await self.send(text_segment(text), sender=sender, chat=chat)

    async def send(
        self,
        segment: Seg,
        *,
        sender: ChatUser,
        chat: Chat,
        platform: str | None = None,
        routing_key: str | None = None,
    ) -> SentMessage:
        """Send any segment. ``platform`` / ``routing_key`` override what the message
        claims (the connection's own values otherwise), to test servers against lies."""
        wire = self._wire
        if wire is None or not wire.is_connected():
            raise SendFailed(f"{self.label} cannot send: {self._link_state()}")
        message = build_message(
            segment=segment,
            api_key=routing_key or self.api_key,
            platform=platform or self.platform,
            sender=sender,
            chat=chat,
        )
        mark = self.inbox.mark()
        sent_at = time.monotonic()
        if not await wire.send_message(message):
            raise SendFailed(f"{self.label} cannot send: {self._link_state()}")
        return SentMessage(
            message_id=message.message_info.message_id,
            text=segment.data if isinstance(segment.data, str) else f"<{segment.type}>",
            sender=sender,
            chat=chat,
            platform=message.message_info.platform,
            sent_at=sent_at,
            wall_time=message.message_info.time,
            inbox_mark=mark,
        )

    async def send_raw(self, data: Any) -> None:
        """Put ``data`` on the connection as it is, package or not (to test servers
        against garbage); maim_message's driver emits it as a Socket.IO message."""
        wire = self._wire
        if wire is None or not wire.is_connected():
            raise SendFailed(f"{self.label} cannot send: {self._link_state()}")
        if not await wire.network_driver.send_message(self.connection_id, data):
            raise SendFailed(f"{self.label} cannot send: {self._link_state()}")

    # -- what happened to the connection ----------------------------------------

    async def wait_for_event(self, kind: str, timeout: float, *, since: int = 0) -> ConnectionEvent:
        """The first event of ``kind`` at or after position ``since`` of :attr:`events`;
        fail after ``timeout`` s with every event the connection had."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            found = [e for e in self.events[since:] if e.kind == kind]
            if found:
                return found[0]
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise NoConnectionEvent(
                    f"{self.label}: no {kind!r} event within {timeout:.2f} s\n"
                    + self.describe_events()
                )
            waker: asyncio.Future[None] = loop.create_future()
            self._event_wakers.append(waker)
            await asyncio.wait([waker], timeout=remaining)

    def describe_events(self) -> str:
        if not self.events:
            return "  Nothing happened to this connection."
        start = self.events[0].at
        lines = [f"  What happened to this connection ({len(self.events)}):"]
        for number, event in enumerate(self.events, start=1):
            verdict = (
                "" if event.kind != "verdict" else (" accepted" if event.accepted else " refused")
            )
            detail = f": {event.detail}" if event.detail else ""
            lines.append(
                f"   {number:>3}  +{event.at - start:.3f} s  {event.kind}{verdict}{detail}"
            )
        return "\n".join(lines)

    def _link_state(self) -> str:
        if self._wire is None:
            return "it is not connected"
        closes = [e for e in self.events if e.kind == "close"]
        if closes:
            ago = time.monotonic() - closes[-1].at
            return f"the server closed the connection {ago:.2f} s ago ({closes[-1].detail})"
        return "the connection is not open"

    # -- closing -----------------------------------------------------------------

    async def disconnect(self) -> None:
        """Say goodbye and release every task the connection used."""
        await self._teardown()

    async def _teardown(self) -> None:
        wire, self._wire = self._wire, None
        if wire is not None:
            await wire.close()

    # -- events from the wire (called on the loop) ------------------------------

    def _record(self, event: ConnectionEvent) -> None:
        self.events.append(event)
        if self._connecting is not None:
            self._connecting.put_nowait(event)
        wakers, self._event_wakers = self._event_wakers, []
        for waker in wakers:
            if not waker.done():
                waker.set_result(None)

    def _on_open(self) -> None:
        self._record(ConnectionEvent("open", time.monotonic()))

    def _on_close(self, error: str | None) -> None:
        self._record(ConnectionEvent("close", time.monotonic(), error or "closed by the server"))

    def _on_verdict(self, verdict: Mapping[str, Any]) -> None:
        accepted = bool(verdict.get("accepted"))
        reason = str(verdict.get("reason") or "")
        self._record(ConnectionEvent("verdict", time.monotonic(), reason, accepted))

    def _on_protocol_error(self, payload: Mapping[str, Any]) -> None:
        reason = str(payload.get("reason") or "no reason given")
        self._record(ConnectionEvent("error", time.monotonic(), reason, accepted=False))

    def _on_chat(self, payload: Mapping[str, Any]) -> None:
        self.inbox.deliver(ChatMessage.from_payload(payload))

    def __repr__(self) -> str:
        return f"<TenantMessageClient {self.label} connected={self.is_connected}>"


class _Wire(WebSocketClient):  # type: ignore[misc]
    """maim_message's client, reporting what happens on its connection to its owner."""

    def __init__(self, config: ClientConfig, owner: TenantMessageClient) -> None:
        super().__init__(config)
        self._owner = owner
        self._connect_task: asyncio.Task[bool] | None = None
        self._sio: Any = None
        # The driver keeps its Socket.IO client only while connected; a client that
        # is reconnecting is referenced by nothing we can reach, and its reconnect
        # loop survives the driver's own cleanup. Keep a handle to shut it down.
        create = self.network_driver._create_socketio_client

        def create_and_keep(connection_config: Any) -> Any:
            self._sio = create(connection_config)
            return self._sio

        self.network_driver._create_socketio_client = create_and_keep

    async def open(self, connection_id: str) -> None:
        """Start connecting with this ``x-uuid``; the owner waits on the events itself.

        ``WebSocketClient.connect()`` polls every 100 ms for up to 10 s; it runs in
        the background here and is cancelled once the owner has decided.
        """
        self._connection_uuid = connection_id
        self._connect_task = asyncio.create_task(super().connect())
        await asyncio.sleep(0)

    async def stop_polling(self) -> None:
        """End the library's connect() poll once the owner has decided."""
        if self._connect_task is not None:
            self._connect_task.cancel()
            await asyncio.gather(self._connect_task, return_exceptions=True)
            self._connect_task = None

    async def close(self) -> None:
        await self.stop_polling()
        if self._sio is not None:
            # Disconnect (or stop reconnecting) ourselves first: the library's
            # disconnect() sleeps 0.5 s whenever the socket is still registered,
            # and never stops a reconnect loop.
            self._sio.reconnection = False
            await self._sio.shutdown()
        await self.stop()

    async def _handle_connect_event(self, event: Any) -> None:
        await super()._handle_connect_event(event)
        self._owner._on_open()

    async def _handle_disconnect_event(self, event: Any) -> None:
        await super()._handle_disconnect_event(event)
        self._owner._on_close(event.error or self._close_reason())

    def _close_reason(self) -> str | None:
        """Why the server closed the websocket, from its close code (e.g. 1009, message
        too big); Socket.IO passes the code on to nobody, but the socket keeps it."""
        engine = getattr(self._sio, "eio", None)
        websocket = getattr(engine, "ws", None)
        code = getattr(websocket, "close_code", None) if websocket is not None else None
        if not isinstance(code, int):
            return None
        return f"closed by the server with websocket close code {describe_close_code(code)}"

    async def _handle_message_event(self, event: Any) -> None:
        package = event.payload or {}
        kind = package.get("type")
        if kind == "sys_std":
            self._owner._on_chat(package.get("payload") or {})
        elif kind == AUTH_RESULT_TYPE:
            self._owner._on_verdict(package.get("payload") or {})
        elif kind == PROTOCOL_ERROR_TYPE:
            self._owner._on_protocol_error(package.get("payload") or {})
        elif kind != "sys_ack":
            log.debug("%s ignored a %r package", self._owner.label, kind)
