"""TenantMessageClient: one connection of (tenant, agent, platform) to MaiMBot.

Built on maim_message 0.7.5's ``WebSocketClient`` with the api key
``"<tenant_id>:<agent_id>"``. It adds what an acceptance suite needs and the
library lacks:

* ``connect(timeout)`` tells apart, in one line and fast, a server that refuses
  the client, an address where nothing listens, and a server that does not answer
  (maim_message itself returns ``False`` after 10 s, with no reason);
* every received chat message lands in an :class:`~.inbox.Inbox` with its time;
* every sent message is tracked until the server acknowledges it;
* the harness, not the library, owns reconnection: ``reconnect(timeout)`` opens a
  fresh connection and resends what the server never acknowledged (maim_message
  0.7.5 never reconnects after a graceful stop, PROTOCOL.md defect 4);
* ``stay_connected(span)`` and ``wait_until_lost(timeout)`` wake on the link's own
  events, so a dropped connection is reported the moment it drops;
* ``drop()`` loses the connection abruptly (no goodbye), as a crashed adapter would;
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

import aiohttp
from maim_message.client import ClientConfig, WebSocketClient
from maim_message.message import Seg

from .errors import (
    ConnectFailed,
    ConnectionLost,
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
from .notifier import Notifier
from .protocol import (
    AUTH_RESULT_TYPE,
    PROTOCOL_ERROR_TYPE,
    api_key_for,
    chat_package,
    endpoint_of,
    new_package_id,
)

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
    package_id: str = ""

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


@dataclass(frozen=True)
class Reconnection:
    """How a reconnect went: how long it took, and what had to be sent again."""

    took: float
    attempts: int
    resent: tuple[SentMessage, ...]

    def describe(self) -> str:
        again = f", resent {len(self.resent)} unacknowledged message(s)" if self.resent else ""
        return f"reconnected in {self.took * 1000:.0f} ms ({self.attempts} attempt(s){again})"


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
        self.connection_id = connection_id or _new_connection_id()
        self._fixed_connection_id = connection_id is not None
        self.auth_settle = auth_settle
        self.inbox = Inbox(self.label)
        self.events: list[ConnectionEvent] = []
        self.acknowledged: dict[str, float] = {}
        """Package id -> when the server acknowledged it (``time.monotonic()``)."""
        self.reconnections: list[Reconnection] = []
        self._endpoint = endpoint_of(server_url, "server_url", ("ws", "wss"))
        self._wire: _Wire | None = None
        self._connecting: asyncio.Queue[ConnectionEvent] | None = None
        self._unacknowledged: dict[str, tuple[SentMessage, dict[str, Any]]] = {}
        self._changes = Notifier()
        self._announced_heartbeat: tuple[float, float] | None = None

    # -- state -------------------------------------------------------------------

    @property
    def is_connected(self) -> bool:
        return self._wire is not None and self._wire.is_connected()

    @property
    def is_open(self) -> bool:
        """Between a successful connect() and disconnect() (even while the link is down)."""
        return self._wire is not None

    @property
    def heartbeat(self) -> tuple[float, float] | None:
        """The ping interval and ping timeout the server announced, in seconds (kept
        after the link is gone)."""
        announced = None if self._wire is None else self._wire.heartbeat()
        if announced is not None:
            self._announced_heartbeat = announced
        return self._announced_heartbeat

    @property
    def heartbeat_window(self) -> float | None:
        """Longest this connection's link may go silent unnoticed, by the server's own
        announcement: a ping is due every interval, and its answer within the timeout.
        None before the server announced anything."""
        announced = self.heartbeat
        return None if announced is None else announced[0] + announced[1]

    def unacknowledged(self) -> list[SentMessage]:
        """Messages handed to the server that it has not acknowledged (yet)."""
        return [sent for sent, _ in self._unacknowledged.values()]

    # -- connecting --------------------------------------------------------------

    async def connect(self, timeout: float) -> None:
        """Open the connection, or raise NothingListening / ConnectTimedOut / ConnectRefused."""
        if self._wire is not None:
            raise RuntimeError(f"{self.label} is already connected")
        await self._open(timeout)
        self.inbox.opened_at = time.monotonic()

    async def _open(self, timeout: float) -> None:
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

    async def reconnect(self, timeout: float) -> Reconnection:
        """Replace this connection with a fresh one, then resend what was never acknowledged.

        For a connection that was lost (or to move a live one). While nothing
        listens at the address (a server restarting) it tries again, backing off
        from 50 ms to 0.5 s, until ``timeout``; a refusal or a handshake that
        never completes fails at once. A fresh connection id is used, unless one
        was given: a server may still hold the old one. The server ignores a
        package id it has already processed, so resending is safe.
        """
        started = time.monotonic()
        deadline = started + timeout
        await self._teardown()
        attempts, pause = 0, 0.05
        while True:
            attempts += 1
            if not self._fixed_connection_id:
                self.connection_id = _new_connection_id()
            try:
                await self._open(max(deadline - time.monotonic(), 0.01))
                break
            except NothingListening as failure:
                if time.monotonic() + pause >= deadline:
                    raise ConnectFailed(
                        f"cannot reconnect {self.label} within {timeout:.1f} s "
                        f"({attempts} attempts): {failure}"
                    ) from None
                # Nothing to wake on while no server listens: try again shortly.
                await asyncio.sleep(pause)
                pause = min(pause * 2, 0.5)
        resent = await self._resend_unacknowledged()
        reconnection = Reconnection(time.monotonic() - started, attempts, tuple(resent))
        self.reconnections.append(reconnection)
        return reconnection

    async def _resend_unacknowledged(self) -> list[SentMessage]:
        wire = self._wire
        assert wire is not None
        resent = []
        for sent, package in list(self._unacknowledged.values()):
            if not await wire.send_package(package):
                break
            resent.append(sent)
        return resent

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
        package_id = new_package_id()
        package = chat_package(
            message.to_dict(), package_id=package_id, api_key=self.api_key, platform=self.platform
        )
        sent = SentMessage(
            message_id=message.message_info.message_id,
            text=segment.data if isinstance(segment.data, str) else f"<{segment.type}>",
            sender=sender,
            chat=chat,
            platform=message.message_info.platform,
            sent_at=time.monotonic(),
            wall_time=message.message_info.time,
            inbox_mark=self.inbox.mark(),
            package_id=package_id,
        )
        # Tracked before sending: the acknowledgement may arrive before send returns.
        self._unacknowledged[package_id] = (sent, package)
        if not await wire.send_package(package):
            del self._unacknowledged[package_id]
            raise SendFailed(f"{self.label} cannot send: {self._link_state()}")
        return sent

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

        def first() -> ConnectionEvent | None:
            return next((e for e in self.events[since:] if e.kind == kind), None)

        found = await self._changes.wait_for(first, timeout)
        if found is None:
            raise NoConnectionEvent(
                f"{self.label}: no {kind!r} event within {timeout:.2f} s\n" + self.describe_events()
            )
        return found

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
            return f"the connection closed {ago:.2f} s ago: {closes[-1].detail}"
        return "the connection is not open"

    # -- watching the link ---------------------------------------------------------

    async def stay_connected(self, span: float) -> None:
        """Pass after ``span`` s on a connection that stayed up; raise ConnectionLost the
        moment it closes (a connection already down fails at once)."""
        started = time.monotonic()
        if not self.is_connected:
            raise ConnectionLost(f"{self.label} was not connected: {self._link_state()}")
        lost = await self.wait_until_lost(span)
        if lost is not None:
            raise ConnectionLost(
                f"{self.label}: the connection closed {lost.at - started:.2f} s into a "
                f"{span:.2f} s span it had to stay open ({lost.detail})"
            )

    async def wait_until_lost(self, timeout: float) -> ConnectionEvent | None:
        """The close event that ends the current link, once it comes; None if the link
        is still up after ``timeout`` s."""
        since = len(self.events)

        def lost() -> ConnectionEvent | None:
            close = next((e for e in self.events[since:] if e.kind == "close"), None)
            if close is not None or self.is_connected:
                return close
            earlier = [e for e in self.events if e.kind == "close"]
            return earlier[-1] if earlier else ConnectionEvent("close", time.monotonic())

        return await self._changes.wait_for(lost, timeout)

    # -- closing -----------------------------------------------------------------

    async def drop(self) -> None:
        """Lose the connection abruptly: the TCP connection is torn down, no goodbye
        (no Socket.IO DISCONNECT, no websocket close). The client stays open: it
        notices the loss like any other, and may reconnect."""
        if self._wire is None or not self._wire.is_connected():
            raise RuntimeError(f"{self.label} has no live connection to drop")
        self._wire.abort()

    async def disconnect(self) -> None:
        """Say goodbye and release every task the connection used."""
        await self._teardown()

    async def _teardown(self) -> None:
        wire, self._wire = self._wire, None
        if wire is not None:
            await wire.close()
            self._changes.notify()  # waits on this connection see it is gone

    # -- events from the wire (called on the loop) ------------------------------

    def _record(self, event: ConnectionEvent) -> None:
        self.events.append(event)
        if self._connecting is not None:
            self._connecting.put_nowait(event)
        self._changes.notify()

    def _on_ack(self, package_id: str) -> None:
        if self._unacknowledged.pop(package_id, None) is not None:
            self.acknowledged[package_id] = time.monotonic()

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


def _new_connection_id() -> str:
    return f"acc_{uuid.uuid4().hex}"


UNINFORMATIVE_CLOSE_CODES = (1000, 1001, 1006)
"""Websocket close codes that say nothing beyond "closed" (normal, going away, and
"abnormal": the TCP connection ended without a close frame)."""

_CLOSE_REASONS = {
    "server disconnect": "the server closed the connection, with a goodbye",
    "transport error": (
        "the link broke without a goodbye (closed under us, or silent past the heartbeat)"
    ),
}


class _Wire(WebSocketClient):  # type: ignore[misc]
    """maim_message's client, reporting what happens on its connection to its owner."""

    def __init__(self, config: ClientConfig, owner: TenantMessageClient) -> None:
        super().__init__(config)
        self._owner = owner
        self._connect_task: asyncio.Task[bool] | None = None
        self._sio: Any = None
        self._closing = False
        # The driver keeps its Socket.IO client only while connected; keep a handle
        # to it, to shut it down and to reach its transport. Its own reconnection
        # is switched off: it would reconnect after a hard kill but never after a
        # graceful stop (PROTOCOL.md defect 4), with the old connection id, behind
        # the harness's back. The owner reconnects instead.
        create = self.network_driver._create_socketio_client

        def create_and_keep(connection_config: Any) -> Any:
            self._sio = create(connection_config)
            self._sio.reconnection = False
            self._note_close_reasons(self._sio)
            return self._sio

        self.network_driver._create_socketio_client = create_and_keep
        self.close_reason = ""
        self.close_frame_code: int | None = None
        self.dropped = False

    def _note_close_reasons(self, sio: Any) -> None:
        """Keep the reason Socket.IO gives for a disconnect (maim_message drops it)."""
        trigger = sio._trigger_event

        async def trigger_and_note(event: str, namespace: str, *args: Any) -> Any:
            if event == "disconnect" and args:
                self.close_reason = str(args[-1])
            return await trigger(event, namespace, *args)

        sio._trigger_event = trigger_and_note

    def describe_close(self) -> str:
        if self.dropped:
            return "dropped by this client, without a goodbye"
        code = self._websocket_close_code()
        if self.close_reason != "server disconnect" and code not in (
            None,
            *UNINFORMATIVE_CLOSE_CODES,
        ):
            # e.g. 1009, message too big: Socket.IO passes the code on to nobody,
            # but the websocket keeps it.
            return f"closed by the server with websocket close code {describe_close_code(code)}"
        return _CLOSE_REASONS.get(self.close_reason, self.close_reason or "closed")

    def _websocket_close_code(self) -> int | None:
        if self.close_frame_code is not None:
            return self.close_frame_code
        websocket = getattr(getattr(self._sio, "eio", None), "ws", None)
        code = getattr(websocket, "close_code", None)
        return code if isinstance(code, int) else None

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

    async def send_package(self, package: dict[str, Any]) -> bool:
        """Send a package we built (so that we know its id and can resend it)."""
        if not self.connected or not self._connection_uuid:
            return False
        return bool(await self.network_driver.send_message(self._connection_uuid, package))

    def heartbeat(self) -> tuple[float, float] | None:
        engine = getattr(self._sio, "eio", None)
        if engine is None or engine.ping_interval is None:
            return None
        return float(engine.ping_interval), float(engine.ping_timeout)

    def abort(self) -> None:
        """Tear down the TCP connection under the websocket, without a goodbye."""
        websocket = getattr(getattr(self._sio, "eio", None), "ws", None)
        transport = getattr(getattr(websocket, "_conn", None), "transport", None)
        if transport is None:
            raise RuntimeError(
                f"{self._owner.label}: no websocket transport to tear down "
                "(the connection never upgraded from long-polling)"
            )
        self.dropped = True
        transport.abort()

    async def close(self) -> None:
        self._closing = True
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
        self._keep_close_frame_code()
        self._owner._on_open()

    def _keep_close_frame_code(self) -> None:
        """Remember the code of the close frame the server sent.

        aiohttp records it as ``close_code``, then answers the close; when that answer
        cannot be written (the server already reset the TCP connection, as aiohttp's
        server does after refusing a frame over its limit while the rest of the frame
        is still in our send buffer: any package over about 4 MiB here), it overwrites
        ``close_code`` with 1006. So a 1009 from the server would read "no goodbye"."""
        websocket = getattr(getattr(self._sio, "eio", None), "ws", None)
        if websocket is None:
            return
        receive = websocket.receive

        async def receive_and_note(*args: Any, **kwargs: Any) -> Any:
            message = await receive(*args, **kwargs)
            if message.type == aiohttp.WSMsgType.CLOSE and self.close_frame_code is None:
                self.close_frame_code = message.data
            return message

        websocket.receive = receive_and_note

    async def _handle_disconnect_event(self, event: Any) -> None:
        await super()._handle_disconnect_event(event)
        if not self._closing:  # our own goodbye is not news
            self._owner._on_close(event.error or self.describe_close())

    async def _handle_message_event(self, event: Any) -> None:
        package = event.payload or {}
        kind = package.get("type")
        if kind == "sys_std":
            self._owner._on_chat(package.get("payload") or {})
        elif kind == "sys_ack":
            meta = package.get("meta") or {}
            self._owner._on_ack(str(meta.get("acked_msg_id", "")))
        elif kind == AUTH_RESULT_TYPE:
            self._owner._on_verdict(package.get("payload") or {})
        elif kind == PROTOCOL_ERROR_TYPE:
            self._owner._on_protocol_error(package.get("payload") or {})
        else:
            log.debug("%s ignored a %r package", self._owner.label, kind)
