"""Stopping maim_message 0.7.5's server without leaving anything behind.

Its own stop leaves engineio's ping timers sleeping, and the websocket close handshake
stalls for aiohttp's close timeout; these end both at once, and say goodbye (or, for a
hard stop, tear the connections down as a killed process would).
"""

from __future__ import annotations

import asyncio

from maim_message.server import WebSocketServer

GOODBYE_TIMEOUT = 1.0
"""Seconds a graceful stop waits for its goodbyes to be written."""


async def say_goodbye(server: WebSocketServer) -> None:
    """Queue Socket.IO's DISCONNECT for every client, let it reach the wire (bounded by
    :data:`GOODBYE_TIMEOUT`), then close the transports under the websockets."""
    driver = server.network_driver
    sockets = list(driver.sio.eio.sockets.values())
    for connection_uuid in list(driver.active_connections):
        await driver._cleanup_connection(connection_uuid)
    # Once a socket's websocket writer has taken every queued packet, it has
    # written them (it writes before it next yields), and closing the
    # transport flushes them. A socket without a writer gets no goodbye.
    flushed = [asyncio.ensure_future(socket.queue.join()) for socket in sockets]
    if flushed:
        _, unflushed = await asyncio.wait(flushed, timeout=GOODBYE_TIMEOUT)
        for waiter in unflushed:
            waiter.cancel()
    close_transports(server, abort=False)


def close_transports(server: WebSocketServer, *, abort: bool) -> None:
    """Close the TCP connections under the websockets.

    After a goodbye, the websocket close handshake between engineio's server
    and client stalls for aiohttp's 10 s close timeout; closing the transport
    (which flushes what is written) ends it at once.
    """
    runner = server.network_driver._runner
    if runner is None or runner.server is None:
        return
    for handler in list(runner.server.connections):
        if handler.transport is not None:
            if abort:
                handler.transport.abort()
            else:
                handler.transport.close()


async def cancel_ping_timers(server: WebSocketServer) -> None:
    """Cancel engineio's per-socket ping timers, which it starts and never keeps.

    Each would otherwise sleep out the ping interval (25 s by default) after
    its socket closed.
    """
    engine = server.network_driver.sio.eio
    timers = []
    for task in asyncio.all_tasks():
        coro = task.get_coro()
        frame = getattr(coro, "cr_frame", None)
        owner = frame.f_locals.get("self") if frame is not None else None
        if getattr(coro, "__qualname__", "") == "AsyncSocket._send_ping" and (
            getattr(owner, "server", None) is engine
        ):
            task.cancel()
            timers.append(task)
    await asyncio.gather(*timers, return_exceptions=True)
