"""The reference server's limit on one package: read the package whole, then refuse it.

aiohttp refuses a websocket frame over its limit as soon as it has read the frame's
header, sends close code 1009 and closes the TCP connection with the rest of the frame
still unread. Closing a socket with unread data makes the kernel answer with a reset, and
a sender still writing its package then loses the close frame already on its way: its
next write fails and its event loop gives up on the socket before reading what arrived
(seen in 1 to 2 of 40 on loopback with packages of 4 MiB and more, and in CI with one
just over 2 MiB). So the reference server reads frames up to a far larger bound and
refuses a package over the limit once it has read all of it: the close frame goes out
on a connection with nothing left unread, and arrives.
"""

from __future__ import annotations

from typing import Any

from aiohttp import WSCloseCode
from aiohttp.web import WebSocketResponse
from engineio.async_drivers.aiohttp import WebSocket

READ_BOUND_FACTOR = 4
"""Frames up to this many times the limit are read whole before they are refused;
larger ones are cut off at their header, as aiohttp does (memory stays bounded)."""


def package_size(data: str | bytes) -> int:
    """Bytes ``data`` takes on the wire (text goes as UTF-8)."""
    return len(data) if isinstance(data, bytes) else len(data.encode("utf-8"))


def refuse_oversize_packages_whole(engine: Any, limit: int) -> None:
    """Make the Engine.IO server ``engine`` refuse websocket packages over ``limit``
    bytes with close code 1009 once each is read whole (this engine only)."""

    class WholeReadingWebSocket(WebSocket):  # type: ignore[misc]
        async def __call__(self, environ: dict[str, Any]) -> WebSocketResponse:
            # engineio's own __call__, with a read bound above the limit.
            self._sock = WebSocketResponse(max_msg_size=limit * READ_BOUND_FACTOR)
            await self._sock.prepare(environ["aiohttp.request"])
            self.environ = environ
            await self.handler(self)
            return self._sock

        async def wait(self) -> str | bytes:
            data: str | bytes = await super().wait()
            if package_size(data) > limit:
                await self._sock.close(code=WSCloseCode.MESSAGE_TOO_BIG, message=b"too big")
                raise OSError(f"a package over the limit of {limit} bytes")
            return data

    # engineio keeps its async driver as a module-wide dict: replace it on this
    # engine, never in place, so that no other server changes.
    engine._async = {**engine._async, "websocket": WholeReadingWebSocket}
