"""Small network facts: is anything listening at an address? And listening at one."""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit, urlunsplit

import aiohttp
from aiohttp import web
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidHandshake

REPLY_BACKEND_PATH = "/ws"
"""Where MaiMBot (and the reference server) serve the reply backend."""
LIBRARY_DEFAULT_PATH = "/socket.io"
"""Where maim_message's client knocks when the URL names no path."""


async def listen(
    runner: web.AppRunner, host: str, port: int, *, what: str, error: type[Exception]
) -> tuple[web.TCPSite, int]:
    """Set ``runner`` up and listen at ``host:port`` (0: a free port); the site and the
    port it bound. An address that cannot be bound cleans the runner up and raises
    ``error`` naming ``what`` could not listen there, and the system's reason."""
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    try:
        await site.start()
    except OSError as failure:
        await runner.cleanup()
        reason = failure.strerror or failure
        raise error(f"{what} cannot listen on {host}:{port}: {reason}") from None
    return site, int(runner.addresses[0][1])


async def probe_tcp(host: str, port: int, timeout: float) -> str | None:
    """Open and close a TCP connection; None if it worked, else why not (one phrase)."""
    try:
        _, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
    except TimeoutError:
        return f"no answer from {host}:{port} within {timeout:.1f} s"
    except ConnectionRefusedError:
        return f"nothing is listening at {host}:{port} (connection refused)"
    except OSError as error:
        return f"nothing is listening at {host}:{port} ({error})"
    writer.close()
    return None


CLOSE_CODES = {
    1000: "normal closure",
    1001: "going away",
    1006: "abnormal closure",
    1008: "policy violation",
    1009: "message too big",
    1011: "internal error",
}
"""WebSocket close codes a chat server is likely to send (RFC 6455, section 7.4.1)."""


async def probe_reply_backend_path(url: str, timeout: float) -> str | None:
    """Why nothing at ``url``'s path answers a Socket.IO handshake, when the server says
    so (404); None otherwise (any other answer, say 400 or 401, is no news: the path is
    there). maim_message's client logs a 404 in its own words and retries until
    the connect timeout: the suite says it first, in one line, with the likely fix."""
    if await _socketio_status(url, timeout) != 404:
        return None  # no answer: what the connection itself then meets says more
    parts = urlsplit(url)
    path = parts.path.rstrip("/") or LIBRARY_DEFAULT_PATH
    suggestion = urlunsplit(parts._replace(path=REPLY_BACKEND_PATH, query=""))
    return (
        f"nothing answers the Socket.IO handshake at the path {path!r} (404 Not Found); "
        f"MaiMBot serves its reply backend at {REPLY_BACKEND_PATH}: try {suggestion}"
    )


async def _socketio_status(url: str, timeout: float) -> int | None:
    """The HTTP status ``url``'s path answers a Socket.IO handshake with; None: no answer."""
    parts = urlsplit(url)
    path = parts.path.rstrip("/") or LIBRARY_DEFAULT_PATH
    scheme = "https" if parts.scheme == "wss" else "http"
    # No Engine.IO query: the server's Socket.IO path answers 400 without opening a
    # session (nothing for the server, or a recording proxy, to account for); 404 means
    # no Socket.IO there at all.
    handshake = urlunsplit((scheme, parts.netloc, f"{path}/", "", ""))
    try:
        async with (
            aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout)) as session,
            session.get(handshake) as response,
        ):
            return response.status
    except (aiohttp.ClientError, TimeoutError):
        return None


async def probe_wire(url: str, timeout: float) -> tuple[str, str | None]:
    """Which wire the reply backend at ``url`` speaks: "socketio" when its path answers
    a Socket.IO handshake (any status but 404), else "plain" when it upgrades to a
    plain WebSocket (maim_message 0.6's API Server: upstream MaiBot 1.x); ``("", why)``
    when neither. The plain probe presents no key: a server closes it at once."""
    status = await _socketio_status(url, timeout)
    if status is not None and status != 404:
        return "socketio", None
    problem = (
        await probe_reply_backend_path(url, timeout)
        if status == 404
        else f"no HTTP answer at {url} within {timeout:.1f} s"
    )
    try:
        async with connect(url, open_timeout=timeout, proxy=None, compression=None):
            pass
    except (OSError, InvalidHandshake, TimeoutError):
        return "", problem
    return "plain", None


def describe_close_code(code: int) -> str:
    """``1009 (message too big)``; an unknown code stands alone."""
    name = CLOSE_CODES.get(code)
    return f"{code} ({name})" if name else str(code)
