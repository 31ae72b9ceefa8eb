"""TenantMessageClient: one connection of (tenant, agent, platform) to MaiMBot.

A thin owner of the link's core (``link.py``: states, the acceptance decision, what the
server acknowledged and what to resend; no I/O) and, while connected, of one wire
adapter (``socketio_wire.py``: maim_message 0.7's Socket.IO; ``plain_wire.py``:
maim_message 0.6's plain WebSocket). It tells apart, fast and in one line, a refusal,
nothing listening and no answer; files what arrives in its :class:`~.inbox.Inbox` and
what happens in its :class:`~.events.EventLog`; reconnects itself (``reconnect(timeout,
resend=...)``: maim_message 0.7.5 never reconnects after a graceful stop); and its waits
wake on the link's own events. All coroutines run on the loop it was first used on.
"""

from __future__ import annotations

import asyncio
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
from .adapter import WireAdapter
from .events import ConnectionEvent, EventLog, Reconnection
from .inbox import Inbox
from .link import Acceptance, Accepted, Backoff, Decision, Link, Refused, heartbeat_of, read_package
from .messages import Chat, ChatMessage, ChatUser, SentMessage, outgoing, text_segment
from .net import probe_tcp
from .notifier import Notifier
from .plain_wire import PlainWire
from .protocol import endpoint_of
from .socketio_wire import SocketIOWire

WIRE_NAMES = {"socketio": "Socket.IO", "plain": "plain WebSocket"}
"""The wires a client speaks: maim_message 0.7's Socket.IO, maim_message 0.6's plain WebSocket."""


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
        wire: str = "socketio",
        additional_config: Mapping[str, Any] | None = None,
    ) -> None:
        """
        :param api_key: the key to present, as handed out (or a bad one, to test refusals).
        :param tenant_id: the tenant the key was handed out for, "" if none; never read
            off the key.
        :param agent_id: likewise its agent: a reply's sender names it where the target's
            replies name their agent.
        :param label: how failures name this connection ("Alice (Acme) -> Helper").
        :param auth_settle: after the handshake, how long to watch for the server
            dropping the connection when it sends no verdict (the real servers' way of
            refusing a key).
        :param connection_id: the ``x-uuid`` to present (to test hijacking).
        :param wire: "socketio" or "plain" (see :data:`WIRE_NAMES`).
        :param additional_config: put in every outgoing message's ``message_info``.
        """
        if wire not in WIRE_NAMES:
            raise ValueError(f"unknown wire {wire!r} (known: {', '.join(WIRE_NAMES)})")
        self.tenant_id, self.agent_id = tenant_id, agent_id
        self.api_key, self.platform, self.server_url = api_key, platform, server_url
        self.wire = wire
        self.additional_config = dict(additional_config or {})
        self.label = label or f"{self.api_key} on {platform}"
        self.connection_id = connection_id or _new_connection_id()
        self._fixed_connection_id = connection_id is not None
        self.auth_settle = auth_settle
        self.inbox = Inbox(self.label)
        self.log = EventLog(self.label)
        self.events = self.log.events
        """What happened to the connection, in order (see :attr:`log`)."""
        self.link = Link(self.label, auth_settle)
        self.log.observer = self.link.feed
        self.acknowledged = self.link.outbox.acknowledged
        """Package id -> when the server acknowledged it (``time.monotonic()``)."""
        self.reconnections: list[Reconnection] = []
        self._endpoint = endpoint_of(server_url, "server_url", ("ws", "wss"))
        self._adapter: WireAdapter | None = None

    # -- state -------------------------------------------------------------------

    @property
    def is_connected(self) -> bool:
        return self.link.is_up and self._adapter is not None and self._adapter.is_connected()

    @property
    def is_open(self) -> bool:
        """Between a successful connect() and disconnect() (even while the link is down)."""
        return self._adapter is not None

    @property
    def heartbeat(self) -> tuple[float, float] | None:
        """The ping interval and ping timeout the server announced, in seconds (kept
        after the link is gone)."""
        return self.link.heartbeat

    @property
    def heartbeat_window(self) -> float | None:
        """Longest this link may go silent unnoticed (None: no heartbeat announced)."""
        return self.link.heartbeat_window

    def unacknowledged(self) -> list[SentMessage]:
        """Messages handed to the server that it has not acknowledged (yet)."""
        return self.link.outbox.unacknowledged()

    # -- connecting --------------------------------------------------------------

    async def connect(self, timeout: float) -> None:
        """Open the connection, or raise NothingListening / ConnectTimedOut / ConnectRefused."""
        if self._adapter is not None:
            raise RuntimeError(f"{self.label} is already connected")
        await self._open(timeout)
        self.inbox.opened_at = time.monotonic()

    async def _open(self, timeout: float) -> None:
        acceptance = self.link.begin(time.monotonic() + timeout)
        await _probe_listener(self._endpoint, self.label, timeout)
        adapter = self._adapter = PlainWire(self) if self.wire == "plain" else SocketIOWire(self)
        try:
            await adapter.open(self.connection_id)
            decided = await _decided(self.link, acceptance, self.log.changes)
            if isinstance(decided, Refused):
                raise ConnectRefused(
                    f"server refused {self.label} (api key {self.api_key!r}, "
                    f"platform {self.platform!r}): {decided.reason}"
                )
            if not isinstance(decided, Accepted):
                raise ConnectTimedOut(
                    f"cannot connect {self.label}: {self.server_url} accepted TCP but did not "
                    f"complete the {WIRE_NAMES[self.wire]} handshake within {timeout:.1f} s"
                )
            await adapter.settle()
        except BaseException:
            await self.disconnect()
            raise

    async def reconnect(self, timeout: float, *, resend: bool) -> Reconnection:
        """Replace this connection with a fresh one; with ``resend``, send again what the
        server never acknowledged, else give it up (a message the server closed the
        connection over would only close the new one too).

        While nothing listens at the address (a server restarting) it tries again,
        backing off from 50 ms to 0.5 s, until ``timeout``; a refusal or a handshake
        that never completes fails at once. A fresh connection id is used, unless one
        was given: a server may still hold the old one. The server ignores a package
        id it has already processed, so resending is safe.
        """
        started = time.monotonic()
        deadline = started + timeout
        await self.disconnect()
        attempts, backoff = 0, Backoff()
        while True:
            attempts += 1
            if not self._fixed_connection_id:
                self.connection_id = _new_connection_id()
            try:
                await self._open(max(deadline - time.monotonic(), 0.01))
                break
            except NothingListening as failure:
                pause = backoff.next_pause()
                if time.monotonic() + pause >= deadline:
                    raise ConnectFailed(
                        f"cannot reconnect {self.label} within {timeout:.1f} s "
                        f"({attempts} attempts): {failure}"
                    ) from None
                # Nothing to wake on while no server listens: try again shortly.
                await asyncio.sleep(pause)
        resent: list[SentMessage] = []
        for sent, package in self.link.outbox.to_resend() if resend else []:
            if not await self._up().send_package(package):
                break
            resent.append(sent)
        if not resend:
            self.link.outbox.give_up()
        reconnection = Reconnection(time.monotonic() - started, attempts, tuple(resent))
        self.reconnections.append(reconnection)
        return reconnection

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
        adapter = self._up()
        sent, package = outgoing(
            segment,
            sender=sender,
            chat=chat,
            api_key=self.api_key,
            platform=self.platform,
            claims=(routing_key or self.api_key, platform or self.platform),
            additional_config=self.additional_config,
            inbox_mark=self.inbox.mark(),
        )
        self.link.outbox.track(sent, package)  # the ack may come before send returns
        if not await adapter.send_package(package):
            self.link.outbox.untrack(sent.package_id)
            raise SendFailed(f"{self.label} cannot send: {self.link.why_not_up(time.monotonic())}")
        return sent

    async def send_raw(self, data: Any) -> None:
        """Put ``data`` on the connection as it is, package or not (to test servers
        against garbage)."""
        if not await self._up().send_raw(data):
            raise SendFailed(f"{self.label} cannot send: {self.link.why_not_up(time.monotonic())}")

    def _up(self) -> WireAdapter:
        """The adapter of a link that is up; SendFailed saying why there is none."""
        if self._adapter is None or not self.is_connected:
            raise SendFailed(f"{self.label} cannot send: {self.link.why_not_up(time.monotonic())}")
        return self._adapter

    # -- watching the link ---------------------------------------------------------

    async def stay_connected(self, span: float) -> None:
        """Pass after ``span`` s on a connection that stayed up; raise ConnectionLost the
        moment it closes (a connection already down fails at once)."""
        if not self.is_connected:
            why = self.link.why_not_up(time.monotonic())
            raise ConnectionLost(f"{self.label} was not connected: {why}")
        await self.log.stay_open(span, lambda: self.is_connected)

    async def wait_until_lost(self, timeout: float) -> ConnectionEvent | None:
        """The close event that ends the current link, once it comes; None if the link
        is still up after ``timeout`` s."""
        return await self.log.wait_until_lost(timeout, lambda: self.is_connected)

    # -- closing -----------------------------------------------------------------

    async def drop(self) -> None:
        """Lose the connection abruptly: the TCP connection is torn down, no goodbye.
        The client stays open: it notices the loss like any other, and may reconnect."""
        if self._adapter is None or not self.is_connected:
            raise RuntimeError(f"{self.label} has no live connection to drop")
        self.link.drop()
        self._adapter.abort()

    async def disconnect(self) -> None:
        """Say goodbye and release every task the connection used."""
        adapter, self._adapter = self._adapter, None
        if adapter is not None:
            await adapter.close()
            self.link.closed_by_us()
            self.log.changes.notify()  # waits on this connection see it is gone

    # -- what the adapter reads off the wire (called on the loop) -------------------

    def receive(self, package: Any) -> None:
        """A package from the server, on either wire: the core sorts it, the client
        files it (inbox, outbox, event log)."""
        incoming = read_package(package)
        if incoming.kind == "chat":
            self.inbox.deliver(ChatMessage.from_payload(incoming.payload))
        elif incoming.kind == "ack":
            self.link.outbox.ack(incoming.package_id, time.monotonic())
        elif incoming.kind == "verdict":
            self.link.heartbeat = heartbeat_of(incoming.payload) or self.link.heartbeat
            self.log.judged(incoming.payload)
        elif incoming.kind == "error":
            self.log.told_of_error(incoming.payload)


async def _decided(link: Link, acceptance: Acceptance, changes: Notifier) -> Decision:
    """The link core's decision, from the events the adapter reports (``link.feed``)
    or, when nothing more happens, at its wake-up time (which an open moves)."""
    while acceptance.decision is None:
        wake = acceptance.wake_at()
        remaining = wake - time.monotonic()
        if remaining <= 0:
            return link.time_is_up()

        def changed(wake: float = wake) -> bool | None:
            return True if acceptance.decision or acceptance.wake_at() != wake else None

        await changes.wait_for(changed, remaining)
    return acceptance.decision


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
