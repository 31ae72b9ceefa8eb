"""One relayed client connection: its bytes passed on both ways, a copy read for the
journal after they are on their way (see proxy.py for the whole picture).

Built on ``asyncio.Protocol`` callbacks, not on the streams of the suite's link-fault
proxy (wire/link_proxy.py): a chunk is written on from ``data_received`` with no task,
queue or await in between, so that recording costs the traffic nothing measurable;
the link-fault proxy's docstring says why the two cores stay apart."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import socket
import time
import typing
from collections import deque
from typing import Protocol

from .byte_stream import Frame, Http, Stream
from .framing import classify_text, split_polling_payload
from .proxy_session import Session

log = logging.getLogger("maimbot_acceptance.record.proxy")

_EXTENSIONS = re.compile(rb"\r\nsec-websocket-extensions:[^\r\n]*", re.IGNORECASE)
HIGH_WATER = 4 * 1024 * 1024
"""Bytes queued towards a slow side before the proxy stops reading the fast one."""


class RelayHost(Protocol):
    """What a link needs of the proxy it belongs to."""

    links: set[RelayedConnection]
    all_links_gone: asyncio.Event
    by_sid: dict[str, Session]
    """Sessions by engine.io session id: a WebSocket upgrade joins its polling session."""
    server_url: str
    upstream: tuple[str, int]
    connect_timeout: float
    record: bool
    """Whether to read a copy of the bytes at all (a bare relay, for the benchmark)."""

    def open_session(self, request: Http, transport: str, at: float) -> Session: ...

    def note(self, session: Session, sender: str, frame: str | bytes, at: float) -> None: ...

    def closed(self, session: Session, by: str, code: int | None, at: float) -> None: ...

    def refused(self, request: Http | None, reason: str) -> None: ...

    def lost(self, session: Session | None, sender: str, size: int, why: str) -> None: ...


class ServerSide(asyncio.Protocol):
    """The proxy's connection to the server for one client connection."""

    def __init__(self, link: RelayedConnection) -> None:
        self.link = link
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # uvloop's transports are not asyncio.Transport subclasses, but behave as one.
        self.transport = typing.cast(asyncio.Transport, transport)
        _no_delay(self.transport)
        self.transport.set_write_buffer_limits(HIGH_WATER)

    def data_received(self, data: bytes) -> None:
        self.link.from_server(data)

    def connection_lost(self, exc: Exception | None) -> None:
        self.link.server_gone()

    def pause_writing(self) -> None:
        self.link.pause_client_reading()

    def resume_writing(self) -> None:
        self.link.resume_client_reading()


class RelayedConnection(asyncio.Protocol):
    """One client TCP connection and its twin to the server: bytes both ways, a copy read."""

    def __init__(self, proxy: RelayHost) -> None:
        self.proxy = proxy
        self.client: asyncio.Transport | None = None
        self.server: ServerSide | None = None
        self.waiting = bytearray()
        """Client bytes that came before the server connection was up."""
        self.up = Stream()
        self.down = Stream()
        self.requests: deque[Http] = deque()
        self.first: Http | None = None
        self.session: Session | None = None
        self.close_seen: tuple[str, int | None, float] | None = None
        self.failed = ""
        self._connecting: asyncio.Task[None] | None = None

    # -- client side -------------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.client = typing.cast(asyncio.Transport, transport)
        _no_delay(self.client)
        self.client.set_write_buffer_limits(HIGH_WATER)
        self.proxy.links.add(self)
        self.proxy.all_links_gone.clear()
        self._connecting = asyncio.ensure_future(self._connect())

    async def _connect(self) -> None:
        loop = asyncio.get_running_loop()
        try:
            _, side = await asyncio.wait_for(
                loop.create_connection(lambda: ServerSide(self), *self.proxy.upstream),
                self.proxy.connect_timeout,
            )
        except (OSError, TimeoutError) as error:
            self.failed = f"server {self.proxy.server_url} unreachable: {_why(error)}"
            self._refuse_when_asked()
            # A client that never finishes its request is refused all the same, in time.
            loop.call_later(self.proxy.connect_timeout, self._refuse_when_asked, True)
            return
        self.server = side
        if self.waiting:
            self._send_up(bytes(self.waiting))
            self.waiting.clear()

    def data_received(self, data: bytes) -> None:
        at = time.time()
        if not self.up.websocket:
            data = _EXTENSIONS.sub(b"", data, count=1)
        if self.server is not None:
            self._send_up(data)
        elif not self.failed:
            self.waiting += data
        self._read("client", data, at)
        if self.failed:
            self._refuse_when_asked()

    def _send_up(self, data: bytes) -> None:
        assert self.server is not None and self.server.transport is not None
        if self.server.transport.is_closing():
            self.proxy.lost(self.session, "client", len(data), "the server connection is gone")
            self.cut()
            return
        self.server.transport.write(data)

    def connection_lost(self, exc: Exception | None) -> None:
        self._ended("client")
        if self.server is not None and self.server.transport is not None:
            self.server.transport.close()
        if self._connecting is not None:
            self._connecting.cancel()
        self.proxy.links.discard(self)
        if not self.proxy.links:
            self.proxy.all_links_gone.set()

    def pause_writing(self) -> None:
        if self.server is not None and self.server.transport is not None:
            self.server.transport.pause_reading()

    def resume_writing(self) -> None:
        if self.server is not None and self.server.transport is not None:
            self.server.transport.resume_reading()

    def pause_client_reading(self) -> None:
        if self.client is not None:
            self.client.pause_reading()

    def resume_client_reading(self) -> None:
        if self.client is not None:
            self.client.resume_reading()

    # -- server side -------------------------------------------------------------------

    def from_server(self, data: bytes) -> None:
        at = time.time()
        if self.client is None or self.client.is_closing():
            self.proxy.lost(self.session, "server", len(data), "the client connection is gone")
            return
        self.client.write(data)
        self._read("server", data, at)

    def server_gone(self) -> None:
        self._ended("server")
        if self.client is not None:
            self.client.close()

    def close(self) -> None:
        for transport in (self.client, self.server.transport if self.server else None):
            if transport is not None:
                transport.close()

    def cut(self) -> None:
        for transport in (self.client, self.server.transport if self.server else None):
            if transport is not None:
                transport.abort()

    def _refuse_when_asked(self, now: bool = False) -> None:
        """Answer 502 once the client's request is in (``now``: whatever came)."""
        if self.client is None or self.client.is_closing():
            return
        if self.first is None and not now:
            return  # its request is still coming; the next bytes will bring it
        self.proxy.refused(self.first, self.failed)
        body = f"recording proxy: {self.failed}\n".encode()
        self.client.write(
            b"HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/plain\r\nConnection: close\r\n"
            + f"Content-Length: {len(body)}\r\n\r\n".encode()
            + body
        )
        self.client.close()

    # -- the copy --------------------------------------------------------------------------

    def _read(self, sender: str, data: bytes, at: float) -> None:
        if not self.proxy.record:
            return
        try:
            stream = self.up if sender == "client" else self.down
            for item in stream.feed(data):
                if isinstance(item, Http):
                    self._http(sender, item, at)
                else:
                    self._frame(sender, item, at)
        except Exception as error:  # the journal's trouble, never the traffic's
            log.warning("proxy: could not read a %s's bytes: %s", sender, _why(error))

    def _http(self, sender: str, message: Http, at: float) -> None:
        proxy = self.proxy
        if sender == "client":
            self.first = self.first or message
            self.requests.append(message)
            sid = message.query.get("sid")
            if sid and sid in proxy.by_sid:
                self.session = proxy.by_sid[sid]
            if self.session is not None and message.body:
                self._polled("client", message.body, at)
            return
        request = self.requests.popleft() if self.requests else None
        if request is None:
            return
        if message.status == 101 and request.upgrades:
            self.down.switch_to_websocket()
            if self.session is None:
                self.session = proxy.open_session(request, "websocket", at)
            return
        if message.status != 200 or request.method != "GET" or not message.body:
            return
        if self.session is None and request.query.get("transport") == "polling":
            packets = split_polling_payload(message.body.decode("utf-8", "replace"))
            opening = classify_text(packets[0]) if packets else None
            if opening is not None and opening.what == "engine.io open":
                self.session = proxy.open_session(request, "polling", at)
                sid = opening.data.get("sid") if isinstance(opening.data, dict) else None
                if isinstance(sid, str):
                    proxy.by_sid[sid] = self.session
        if self.session is not None:
            self._polled("server", message.body, at)

    def _polled(self, sender: str, payload: bytes, at: float) -> None:
        assert self.session is not None
        for packet in split_polling_payload(payload.decode("utf-8", "replace")):
            self.proxy.note(self.session, sender, packet, at)

    def _frame(self, sender: str, frame: Frame, at: float) -> None:
        if self.session is None:
            return
        if frame.opcode == 8:
            self.close_seen = self.close_seen or (sender, frame.close_code, at)
        elif frame.is_text:
            self.proxy.note(self.session, sender, frame.payload.decode("utf-8", "replace"), at)
        else:
            self.proxy.note(self.session, sender, frame.payload, at)

    def _ended(self, side: str) -> None:
        """The WebSocket of a session ended: journal by whom, with which close code."""
        if self.session is None or not self.down.websocket:
            return
        by, code, at = self.close_seen or (side, None, time.time())
        self.proxy.closed(self.session, by, code, at)


def _no_delay(transport: asyncio.Transport) -> None:
    sock = transport.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def _why(error: BaseException) -> str:
    text = str(error) or type(error).__name__
    return text.splitlines()[0][:200]
