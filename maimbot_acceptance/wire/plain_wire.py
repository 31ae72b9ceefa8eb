"""The plain-WebSocket wire under a TenantMessageClient: maim_message 0.6's API Server
protocol (upstream MaiBot 1.x), on python-websockets.

The connection is ``ws://host:port/ws`` with the headers ``x-uuid``, ``x-apikey`` and
``x-platform``; every frame is a JSON package (``protocol.chat_package``), which the
server acknowledges with a ``sys_ack`` naming its ``msg_id``. A server refuses a key by
completing the handshake, then closing the connection (upstream: code 1000, reason
``Authentication failed: 认证失败``); the reference server sends its verdict first, with
the heartbeat it keeps, as it does on Socket.IO.

No heartbeat is announced by upstream: the client then pings every
:data:`DEFAULT_HEARTBEAT` interval itself, so a silent link is still noticed.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus
from websockets.protocol import State

from .adapter import WireOwner
from .net import describe_close_code
from .protocol import AUTH_RESULT_TYPE, PROTOCOL_ERROR_TYPE

log = logging.getLogger(__name__)

DEFAULT_HEARTBEAT = (20.0, 20.0)
"""Ping interval and pong timeout when the server announces none (python-websockets'
defaults, which maim_message 0.6.8's own client uses)."""

CLOSE_TIMEOUT = 1.0
"""Seconds to wait for the server's answer to our close (a silent link never gives one)."""


def connection_headers(connection_id: str, api_key: str, platform: str) -> dict[str, str]:
    """What maim_message 0.6's API Server reads a client's identity from."""
    return {"x-uuid": connection_id, "x-apikey": api_key, "x-platform": platform}


class PlainWire:
    """One plain-WebSocket connection, reporting what happens on it to its owner."""

    name = "plain"

    def __init__(self, owner: WireOwner) -> None:
        self._owner = owner
        self._ws: ClientConnection | None = None
        self._reader: asyncio.Task[None] | None = None
        self._closing = False
        self._announced: tuple[float, float] | None = None
        self.dropped = False

    async def open(self, connection_id: str) -> None:
        headers = connection_headers(connection_id, self._owner.api_key, self._owner.platform)
        self._reader = asyncio.create_task(
            self._run(headers), name=f"plain wire of {self._owner.label}"
        )
        await asyncio.sleep(0)

    async def _run(self, headers: dict[str, str]) -> None:
        owner = self._owner
        try:
            self._ws = await connect(
                owner.server_url,
                additional_headers=headers,
                open_timeout=None,  # the owner's deadline bounds the handshake
                ping_interval=None,  # started once the heartbeat is known (settle)
                close_timeout=CLOSE_TIMEOUT,
                max_size=None,
                compression=None,  # a package's size on the wire is its size
                proxy=None,
            )
        except InvalidStatus as refused:
            owner.log.closed(f"HTTP {refused.response.status_code} instead of a WebSocket upgrade")
            return
        except (OSError, InvalidHandshake) as failure:
            owner.log.closed(f"the handshake failed: {failure}")
            return
        owner.log.opened()
        try:
            async for frame in self._ws:
                self._receive(frame)
        except ConnectionClosed:
            pass
        finally:
            if not self._closing:  # our own goodbye is not news
                owner.log.closed(self.describe_close())

    def _receive(self, frame: str | bytes) -> None:
        owner = self._owner
        try:
            package = json.loads(frame)
        except ValueError:
            log.debug("%s ignored a frame that is not JSON", owner.label)
            return
        if not isinstance(package, dict):
            return
        kind = package.get("type")
        payload = package.get("payload") or {}
        if kind == "sys_std":
            owner.receive_chat(payload)
        elif kind == "sys_ack":
            owner.receive_ack(str((package.get("meta") or {}).get("acked_msg_id", "")))
        elif kind == AUTH_RESULT_TYPE:
            self._note_heartbeat(payload.get("heartbeat"))
            owner.log.judged(payload)
        elif kind == PROTOCOL_ERROR_TYPE:
            owner.log.told_of_error(payload)
        else:
            log.debug("%s ignored a %r package", owner.label, kind)

    def _note_heartbeat(self, announced: Any) -> None:
        if isinstance(announced, list) and len(announced) == 2:
            self._announced = (float(announced[0]), float(announced[1]))

    async def settle(self) -> None:
        """Accepted: keep the link alive with pings, at the announced heartbeat."""
        ws = self._ws
        if ws is not None and ws.keepalive_task is None:
            ws.ping_interval, ws.ping_timeout = self._announced or DEFAULT_HEARTBEAT
            ws.start_keepalive()

    def is_connected(self) -> bool:
        return self._ws is not None and self._ws.state is State.OPEN and not self._closing

    async def send_package(self, package: dict[str, Any]) -> bool:
        return await self.send_raw(json.dumps(package, ensure_ascii=False))

    async def send_raw(self, data: Any) -> bool:
        """Text and bytes go as they are (a text or a binary frame); anything else as JSON."""
        if self._ws is None or not self.is_connected():
            return False
        frame = data if isinstance(data, str | bytes) else json.dumps(data, ensure_ascii=False)
        try:
            await self._ws.send(frame)
        except ConnectionClosed:
            return False
        return True

    def heartbeat(self) -> tuple[float, float] | None:
        return self._announced

    def describe_close(self) -> str:
        ws = self._ws
        if self.dropped:
            return "dropped by this client, without a goodbye"
        if ws is None:
            return "closed"
        received = ws.protocol.close_rcvd
        if received is not None:
            said = f": {received.reason}" if received.reason else ""
            return (
                "the server closed the connection, with a goodbye "
                f"(close code {describe_close_code(received.code)}){said}"
            )
        sent = ws.protocol.close_sent
        if sent is not None and sent.reason == "keepalive ping timeout":
            return "the link broke without a goodbye (silent past the heartbeat)"
        return "the link broke without a goodbye (closed under us)"

    def abort(self) -> None:
        ws = self._ws
        if ws is None or not self.is_connected():
            raise RuntimeError(f"{self._owner.label}: no live plain WebSocket to tear down")
        self.dropped = True
        ws.transport.abort()

    async def close(self) -> None:
        self._closing = True
        if self._ws is not None and self._ws.state is State.OPEN:
            await self._ws.close()
        if self._reader is not None:
            if self._ws is None:
                self._reader.cancel()  # still opening
            await asyncio.gather(self._reader, return_exceptions=True)
