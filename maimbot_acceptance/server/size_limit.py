"""The reference server's limit on one package: read the package whole, then refuse it.

aiohttp refuses a websocket frame over its limit as soon as it has read the frame's
header, sends close code 1009 and closes the TCP connection with the rest of the frame
still unread. Closing a socket with unread data makes the kernel answer with a reset, and
a sender still writing its package then loses the close frame already on its way: its
next write fails and its event loop gives up on the socket before reading what arrived
(seen in 1 to 2 of 40 on loopback with packages of 4 MiB and more, and in CI with one
just over 2 MiB). So the reference server reads frames up to a larger bound and refuses
a package at the limit once it has read all of it: the close frame goes out on a
connection with nothing left unread, and arrives. As after any close it sends, aiohttp
then waits for the sender's answer to the close, up to the server's heartbeat.
"""

from __future__ import annotations

from typing import Any

from aiohttp import WSCloseCode
from aiohttp.web import WebSocketResponse
from engineio.async_drivers.aiohttp import WebSocket

MIB = 1024 * 1024


def read_bound(limit: int) -> int:
    """Frames up to this many bytes are read whole before they are refused; larger ones
    are cut off at their header, as aiohttp does (memory per connection stays bounded)."""
    return min(4 * limit, limit + 8 * MIB)


def is_over(data: str | bytes, limit: int) -> bool:
    """Whether ``data`` takes ``limit`` bytes or more on the wire (text goes as UTF-8),
    counted as aiohttp counts: a frame of exactly ``limit`` bytes is refused too."""
    if isinstance(data, bytes) or len(data) >= limit or 4 * len(data) < limit:
        return len(data) >= limit  # UTF-8 takes 1 to 4 bytes a character
    return len(data.encode("utf-8")) >= limit


def refuse_oversize_packages_whole(engine: Any, limit: int) -> None:
    """Make the Engine.IO server ``engine`` refuse websocket packages at ``limit`` bytes
    or more with close code 1009 once each is read whole (this engine only)."""

    class WholeReadingWebSocket(WebSocket):  # type: ignore[misc]
        async def __call__(self, environ: dict[str, Any]) -> WebSocketResponse:
            # python-engineio 4.15.1's own __call__ (pinned), with a larger read bound.
            self._sock = WebSocketResponse(max_msg_size=read_bound(limit))
            await self._sock.prepare(environ["aiohttp.request"])
            self.environ = environ
            await self.handler(self)
            return self._sock

        async def wait(self) -> str | bytes:
            data: str | bytes = await super().wait()
            if is_over(data, limit):
                await self._sock.close(code=WSCloseCode.MESSAGE_TOO_BIG, message=b"too big")
                raise OSError(f"a package of {limit} bytes or more")
            return data

    # engineio keeps its async driver as a module-wide dict, shared by every server in
    # the process: give this engine a copy, never change the dict itself.
    engine._async = {**engine._async, "websocket": WholeReadingWebSocket}
