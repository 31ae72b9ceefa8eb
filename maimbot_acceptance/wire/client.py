"""TenantMessageClient: one connection of (tenant, agent, platform) to MaiMBot.

Built on maim_message 0.7.5's ``WebSocketClient`` (adapted in ``transport.py``) with the api key
its provisioner handed out (opaque: ``tenant:agent`` on api_server, a minted ``mmc_`` key on
saas; see ``dialects.py``). It adds what an acceptance suite needs and the
library lacks:

* ``connect(timeout)`` tells apart, in one line and fast, a server that refuses
  the client, an address where nothing listens, and a server that does not answer
  (maim_message itself returns ``False`` after 10 s, with no reason);
* every received chat message lands in an :class:`~.inbox.Inbox` with its time;
* every sent message is tracked until the server acknowledges it;
* the harness, not the library, owns reconnection: ``reconnect(timeout, resend=...)``
  opens a fresh connection and, if asked, resends what the server never acknowledged
  (maim_message 0.7.5 never reconnects after a graceful stop, docs/protocol.md);
* ``stay_connected(span)`` and ``wait_until_lost(timeout)`` wake on the link's own
  events, so a dropped connection is reported the moment it drops;
* ``drop()`` loses the connection abruptly (no goodbye), as a crashed adapter would;
* what happens to the connection (opened, closed and why, refused, told of an error)
  is kept in its :class:`~.events.EventLog` (``client.log``), with event-driven waits;
* ``disconnect()`` is quick and leaves no tasks behind.

All coroutines must run on the loop the client was first used on.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Mapping
from typing import Any

from maim_message.message import Seg

from ..errors import (
    ConnectFailed,
    ConnectionLost,
    ConnectRefused,
    ConnectTimedOut,
    NothingListening,
    SendFailed,
)
from .events import ConnectionEvent, EventLog, Reconnection
from .inbox import Inbox
from .messages import Chat, ChatMessage, ChatUser, SentMessage, build_message, text_segment
from .net import probe_tcp
from .protocol import chat_package, endpoint_of, new_package_id
from .transport import Wire

log = logging.getLogger(__name__)


class TenantMessageClient:
    """A connection to MaiMBot's reply backend as one tenant's agent on one platform."""

    def __init__(
        self,
        *,
        api_key: str,
        platform: str,
        server_url: str,
        tenant_id: str = "",
        agent_id: str = "",
        label: str = "",
        auth_settle: float = 0.3,
        connection_id: str | None = None,
    ) -> None:
        """
        :param api_key: the key to present, as handed out (or a bad one, to test refusals).
        :param tenant_id: the tenant the key was handed out for, "" if none; never read
            off the key.
        :param agent_id: likewise its agent: a reply's sender names it where the target's
            replies name their agent.
        :param label: how failures name this connection ("Alice (Acme) -> Helper").
        :param auth_settle: after the handshake, how long to watch for the server
            dropping the connection when it sends no verdict (the real server's
            way of refusing a key).
        :param connection_id: the ``x-uuid`` to present (to test hijacking).
        """
        self.tenant_id = tenant_id
        self.agent_id = agent_id
        self.platform = platform
        self.server_url = server_url
        self.api_key = api_key
        self.label = label or f"{self.api_key} on {platform}"
        self.connection_id = connection_id or _new_connection_id()
        self._fixed_connection_id = connection_id is not None
        self.auth_settle = auth_settle
        self.inbox = Inbox(self.label)
        self.log = EventLog(self.label)
        self.events = self.log.events
        """What happened to the connection, in order (see :attr:`log`)."""
        self.acknowledged: dict[str, float] = {}
        """Package id -> when the server acknowledged it (``time.monotonic()``)."""
        self.reconnections: list[Reconnection] = []
        self._endpoint = endpoint_of(server_url, "server_url", ("ws", "wss"))
        self._wire: Wire | None = None
        self._unacknowledged: dict[str, tuple[SentMessage, dict[str, Any]]] = {}
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
        await _probe_listener(self._endpoint, self.label, timeout)
        self.log.listener = asyncio.Queue()
        self._wire = Wire(self)
        try:
            await self._wire.start()
            await self._wire.open(self.connection_id)
            await self._await_acceptance(deadline, timeout)
            await self._wire.stop_polling()
        except BaseException:
            await self._teardown()
            raise
        finally:
            self.log.listener = None

    async def reconnect(self, timeout: float, *, resend: bool) -> Reconnection:
        """Replace this connection with a fresh one; with ``resend``, send again what the
        server never acknowledged, else give it up (a message the server closed the
        connection over would only close the new one too).

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
        if resend:
            resent = await self._resend_unacknowledged()
        else:
            resent = []
            self._unacknowledged.clear()
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

    async def _await_acceptance(self, deadline: float, timeout: float) -> None:
        """Decide from the first connection events whether the server accepted us."""
        listener = self.log.listener
        assert listener is not None
        opened_at: float | None = None
        verdict_ok = False
        while True:
            if opened_at is None:
                wait = deadline - time.monotonic()
            else:
                wait = opened_at + self.auth_settle - time.monotonic()
            try:
                event = await asyncio.wait_for(listener.get(), max(wait, 0))
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

    def _link_state(self) -> str:
        if self._wire is None:
            return "it is not connected"
        closes = self.log.closes()
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
            earlier = self.log.closes()
            return earlier[-1] if earlier else ConnectionEvent("close", time.monotonic())

        return await self.log.changes.wait_for(lost, timeout)

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
            self.log.changes.notify()  # waits on this connection see it is gone

    # -- events from the wire (called on the loop) ------------------------------

    def receive_ack(self, package_id: str) -> None:
        if self._unacknowledged.pop(package_id, None) is not None:
            self.acknowledged[package_id] = time.monotonic()

    def receive_chat(self, payload: Mapping[str, Any]) -> None:
        self.inbox.deliver(ChatMessage.from_payload(payload))

    def __repr__(self) -> str:
        return f"<TenantMessageClient {self.label} connected={self.is_connected}>"


def _new_connection_id() -> str:
    return f"acc_{uuid.uuid4().hex}"


async def _probe_listener(endpoint: tuple[str, int], label: str, timeout: float) -> None:
    # maim_message retries a refused TCP connect forever; ask the socket first.
    problem = await probe_tcp(*endpoint, timeout)
    if problem is None:
        return
    if problem.startswith("no answer"):
        raise ConnectTimedOut(f"cannot connect {label}: {problem}")
    raise NothingListening(f"cannot connect {label}: {problem}")
