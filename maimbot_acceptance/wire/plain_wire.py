"""The plain-WebSocket wire under a TenantMessageClient: maim_message 0.6's API Server
protocol (upstream MaiBot 1.x), on python-websockets.

The connection is ``ws://host:port/ws`` with the headers ``x-uuid``, ``x-apikey`` and
``x-platform``; every frame is a JSON package (``protocol.chat_package``), which the
server acknowledges with a ``sys_ack`` naming its ``msg_id``. A server refuses a key by
completing the handshake, then closing the connection (upstream: code 1000, reason
``Authentication failed: 认证失败``); the reference server sends its verdict first, with
the heartbeat it keeps, as it does on Socket.IO.

The client pings at the heartbeat's interval and takes a ping unanswered within its
timeout for a lost link, at that moment (a close handshake on a dead link would only
add its own wait). Upstream announces no heartbeat: the client then pings at
:data:`DEFAULT_HEARTBEAT`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus
from websockets.protocol import State

from .adapter import WireOwner
from .net import describe_close_code

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
        self._reported = False
        self._keepalive: asyncio.Task[None] | None = None
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
                ping_interval=None,  # ours, once the heartbeat is known (settle)
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
            self._report_close(self.describe_close())

    def _report_close(self, detail: str) -> None:
        """Tell the owner, once, unless the close is our own goodbye (no news)."""
        if not self._closing and not self._reported:
            self._reported = True
            self._owner.log.closed(detail)

    def _receive(self, frame: str | bytes) -> None:
        try:
            self._owner.receive(json.loads(frame))
        except ValueError:
            log.debug("%s ignored a frame that is not JSON", self._owner.label)

    async def settle(self) -> None:
        """Accepted: watch the link with pings, at the announced heartbeat."""
        if self._ws is not None and self._keepalive is None:
            self._keepalive = asyncio.create_task(
                self._keep_alive(self._ws, *(self._owner.link.heartbeat or DEFAULT_HEARTBEAT)),
                name=f"plain wire heartbeat of {self._owner.label}",
            )

    async def _keep_alive(self, ws: ClientConnection, interval: float, timeout: float) -> None:
        try:
            while True:
                await asyncio.sleep(interval)  # the heartbeat's own beat
                pong = await ws.ping()
                await asyncio.wait_for(pong, timeout)
        except TimeoutError:
            self._report_close("the link broke without a goodbye (silent past the heartbeat)")
            ws.transport.abort()
        except ConnectionClosed:
            pass

    def is_connected(self) -> bool:
        """Open, until its close is reported (so a wait sees the close event, with why)."""
        return self._ws is not None and not self._reported and not self._closing

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
            # A server that reads a frame's header may close over it before the rest is
            # written (upstream: 1009 for one over its size limit): it was sent, and
            # refused; only a link gone without the server's goodbye took nothing.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._ws.wait_closed(), CLOSE_TIMEOUT)
            return self._ws.protocol.close_rcvd is not None
        return True

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
        return "the link broke without a goodbye (closed under us)"

    def abort(self) -> None:
        ws = self._ws
        if ws is None or not self.is_connected():
            raise RuntimeError(f"{self._owner.label}: no live plain WebSocket to tear down")
        self.dropped = True
        ws.transport.abort()

    async def close(self) -> None:
        self._closing = True
        ws, tasks = self._ws, [t for t in (self._keepalive, self._reader) if t is not None]
        if ws is not None and ws.state is State.OPEN:
            try:
                async with asyncio.timeout(2 * CLOSE_TIMEOUT):
                    await ws.close()
            except TimeoutError:
                pass
        if ws is not None:
            ws.transport.abort()  # the goodbye is said (or given up): nothing more to read
        # asyncio.wait, not gather: a reader that missed its cancellation (seen under
        # load, in the middle of its handshake) must not hang the scenario's clean-up;
        # it is cancelled once more, and the scenario's leak check names what survives.
        for task in tasks:
            task.cancel()
        if tasks:
            _, pending = await asyncio.wait(tasks, timeout=CLOSE_TIMEOUT)
            for task in pending:
                task.cancel()
