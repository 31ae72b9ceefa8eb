"""A loopback TCP proxy that makes the link between a client and the server misbehave.

A client connects to the proxy instead of the server; the proxy opens its own
connection to the server and passes bytes both ways. On command it then behaves
like the networks a deployment meets:

* ``set_delay(s)``: every byte arrives ``s`` seconds late, in both directions, in order;
* ``cut()``: the TCP connections are torn down on both sides at once (no goodbye);
* ``black_hole()``: bytes vanish in both directions and nothing is closed: a link
  that went silent, which only a heartbeat can notice;
* ``heal()``: silenced connections are cut, and new ones flow normally.

Toxiproxy would do this but is not installable here (neither on PyPI nor in
Debian); asyncio streams do. Everything runs on the loop that started the proxy;
``close()`` leaves no task and no socket behind.

Why this is not the recording proxy's relay (record/relay.py), though both pass a
client's bytes to a server: the two want opposite cores. This one must hold each
chunk until it is due and in order, swallow bytes while keeping both sides open, and
hold back a FIN; that is a queue and a writer task per direction, whose hop costs a
little per chunk and does not matter on a link that is being made slow. The relay
must cost nothing measurable on a sub-millisecond hop (its benchmark's goal), so it
writes each chunk from the ``data_received`` callback with no task, no queue and no
await, and applies back-pressure by pausing the faster side. And they fail apart: a
dead upstream is, here, a refused connection (as a dead network looks); there, an
HTTP 502 that says why (a person recording must read it).
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

CHUNK = 64 * 1024
_EOF = b""


@dataclass(eq=False)  # kept in a set, by identity
class _Pair:
    """One client connection and the proxy's connection to the server for it."""

    client: asyncio.StreamWriter
    server: asyncio.StreamWriter
    tasks: list[asyncio.Task[None]] = field(default_factory=list)
    silenced: bool = False
    cut: asyncio.Event = field(default_factory=asyncio.Event)

    def abort(self) -> None:
        for writer in (self.client, self.server):
            writer.transport.abort()
        self.cut.set()


class LinkProxy:
    """Listens on a free loopback port and relays to ``target_host:target_port``."""

    def __init__(self, target_host: str, target_port: int, *, host: str = "127.0.0.1") -> None:
        self.target = (target_host, target_port)
        self.host = host
        self.delay = 0.0
        self.silent = False
        self._listener: asyncio.Server | None = None
        self._pairs: set[_Pair] = set()
        self._handlers: set[asyncio.Task[None]] = set()

    # -- life ------------------------------------------------------------------------

    async def start(self) -> LinkProxy:
        self._listener = await asyncio.start_server(self._accept, self.host, 0)
        return self

    @property
    def port(self) -> int:
        if self._listener is None:
            raise RuntimeError("the link proxy is not listening")
        return int(self._listener.sockets[0].getsockname()[1])

    def url_for(self, server_url: str) -> str:
        """``server_url`` with its host and port replaced by the proxy's."""
        parts = urlsplit(server_url)
        return urlunsplit(parts._replace(netloc=f"{self.host}:{self.port}"))

    @property
    def connections(self) -> int:
        """Client connections the proxy currently relays (or holds silent)."""
        return len(self._pairs)

    async def close(self) -> None:
        """Stop listening, tear down every connection, and wait for every task."""
        listener, self._listener = self._listener, None
        if listener is not None:
            listener.close()
        pumps = []
        for pair in list(self._pairs):
            pair.abort()
            pumps += pair.tasks
        for pump in pumps:
            pump.cancel()
        await asyncio.gather(*pumps, return_exceptions=True)
        if listener is not None:
            # Since Python 3.12.1 wait_closed() waits for every connection the server
            # accepted to close: only once they are torn down above can it return.
            await listener.wait_closed()
        # The connection handlers then end by themselves (cancelling them would make
        # asyncio's stream machinery print their CancelledError).
        if self._handlers:
            await asyncio.wait(self._handlers, timeout=1)

    # -- faults ----------------------------------------------------------------------

    def set_delay(self, seconds: float) -> None:
        """Hold every chunk ``seconds`` before passing it on (each direction)."""
        if seconds < 0:
            raise ValueError(f"a delay cannot be negative: {seconds}")
        self.delay = seconds

    def cut(self) -> int:
        """Tear down every relayed connection on both sides; returns how many."""
        pairs = list(self._pairs)
        for pair in pairs:
            pair.abort()
        return len(pairs)

    def black_hole(self) -> None:
        """From now on, bytes vanish both ways and no connection is closed."""
        self.silent = True
        for pair in self._pairs:
            pair.silenced = True

    def heal(self) -> None:
        """Cut the silenced connections; new ones flow normally."""
        self.silent = False
        for pair in list(self._pairs):
            if pair.silenced:
                pair.abort()

    # -- relaying --------------------------------------------------------------------

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        handler = asyncio.current_task()
        assert handler is not None
        self._handlers.add(handler)
        try:
            await self._relay(reader, writer)
        finally:
            self._handlers.discard(handler)

    async def _relay(
        self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter
    ) -> None:
        try:
            server_reader, server_writer = await asyncio.open_connection(*self.target)
        except OSError:
            # As a dead upstream looks to the client: the connection is refused.
            client_writer.transport.abort()
            return
        pair = _Pair(client_writer, server_writer, silenced=self.silent)
        self._pairs.add(pair)
        upstream: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue()
        downstream: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue()
        pair.tasks = [
            asyncio.create_task(self._read(client_reader, upstream, pair)),
            asyncio.create_task(self._write(upstream, server_writer, pair)),
            asyncio.create_task(self._read(server_reader, downstream, pair)),
            asyncio.create_task(self._write(downstream, client_writer, pair)),
        ]
        try:
            await asyncio.gather(*pair.tasks, return_exceptions=True)
        finally:
            pair.abort()
            self._pairs.discard(pair)

    async def _read(
        self,
        reader: asyncio.StreamReader,
        queue: asyncio.Queue[tuple[float, bytes]],
        pair: _Pair,
    ) -> None:
        loop = asyncio.get_running_loop()
        while True:
            try:
                data = await reader.read(CHUNK)
            except OSError:
                data = _EOF
            if data == _EOF and pair.silenced:
                # A silent network carries no FIN either: the other side stays open
                # until the link is cut.
                await pair.cut.wait()
            if data == _EOF or not pair.silenced:
                queue.put_nowait((loop.time() + self.delay, data))
            if data == _EOF:
                return

    async def _write(
        self,
        queue: asyncio.Queue[tuple[float, bytes]],
        writer: asyncio.StreamWriter,
        pair: _Pair,
    ) -> None:
        loop = asyncio.get_running_loop()
        while True:
            due, data = await queue.get()
            late = due - loop.time()
            if late > 0:
                # The simulated latency itself: the chunk is held until it is due.
                await asyncio.sleep(late)
            if data == _EOF:
                if not pair.silenced:
                    with contextlib.suppress(OSError):
                        if writer.can_write_eof():
                            writer.write_eof()
                return
            if pair.silenced:
                continue
            try:
                writer.write(data)
                await writer.drain()
            except OSError:
                return
