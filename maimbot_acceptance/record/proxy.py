"""The recording proxy: between maim_message clients and a server, relaying every byte.

A client connects to the proxy as it would to the server. maim_message 0.7.5's client
opens an engine.io session with one long-polling request (carrying ``x-apikey``,
``x-platform`` and ``x-uuid``), then upgrades it to a WebSocket on a new TCP
connection (checked by experiment, docs/recording.md); a client may also poll
throughout, or start on the WebSocket. The proxy does not take part in any of it: for
each client TCP connection it opens one to the server and passes the bytes on as they
come, both ways, unchanged, headers and all. Only a copy is read (wire.py, framing.py)
to tell the journal what went by, after the bytes are on their way: recording costs
the traffic no parsing, and a frame the proxy cannot read is still relayed.

One exception to "unchanged": a client's offer of WebSocket compression
(``Sec-WebSocket-Extensions``) is taken out of its upgrade request, so that the frames
stay readable; client and server then simply speak uncompressed.

Bad input: garbage from a client is relayed as it is and journalled as garbage. A
server that cannot be reached refuses the client (HTTP 502) and logs one line. Bytes
taken from one side that cannot be passed on (the other side is gone) are journalled
as lost, and that side is closed: nothing is dropped in silence. Nothing the proxy
reads can raise out of it: a client's trouble ends that client's connection only.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import socket
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from .framing import classify_binary, classify_text, split_polling_payload
from .journal import FLUSH_EVERY, Journal
from .wire import Frame, Http, Stream

log = logging.getLogger("maimbot_acceptance.record.proxy")

_EXTENSIONS = re.compile(rb"\r\nsec-websocket-extensions:[^\r\n]*", re.IGNORECASE)
_ACK, _ACK_WITHIN = '"type":"sys_ack"', 200
"""An acknowledgement: '42["message",{"ver":1,"msg_id":"...","type":"sys_ack",...'."""
HIGH_WATER = 4 * 1024 * 1024
"""Bytes queued towards a slow side before the proxy stops reading the fast one."""


@dataclass
class Session:
    """One client connection as the journal numbers it: an engine.io session, which may
    span TCP connections (a polling request, then the WebSocket)."""

    number: int
    frames: dict[str, int] = field(default_factory=lambda: {"client": 0, "server": 0})
    heartbeats: int = 0
    acks: int = 0
    closed: bool = False


class RecordingProxy:
    """Listens on ``host:port`` (0: a free port) and relays to ``server_url``."""

    def __init__(
        self,
        server_url: str,
        out_dir: str,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        connect_timeout: float = 10.0,
        record: bool = True,
    ) -> None:
        parts = urlsplit(server_url)
        if parts.scheme not in ("ws", "wss") or not parts.hostname:
            raise ValueError(f"--server {server_url!r} is not a ws:// or wss:// URL")
        if parts.scheme == "wss":
            raise ValueError(
                "--server wss://: the proxy relays plain ws:// only (TLS hides frames)"
            )
        self.server_url = server_url
        self.upstream = (parts.hostname, parts.port or 80)
        self.out_dir = out_dir
        self.host, self.requested_port = host, port
        self.connect_timeout = connect_timeout
        self.record = record
        """False: relay only (the benchmark's measure of what recording costs)."""
        self.journal: Journal | None = None
        self.sessions: list[Session] = []
        self.by_sid: dict[str, Session] = {}
        self._listener: asyncio.Server | None = None
        self._links: set[_Link] = set()
        self._flusher: asyncio.Future[None] | None = None

    async def start(self) -> RecordingProxy:
        loop = asyncio.get_running_loop()
        self._listener = await loop.create_server(
            lambda: _Link(self), self.host, self.requested_port
        )
        self.journal = Journal(
            self.out_dir, autoflush=False, server=self.server_url, listen=self.url
        )
        self._flusher = asyncio.ensure_future(self._flush_now_and_then(self.journal))
        return self

    async def _flush_now_and_then(self, journal: Journal) -> None:
        while self._listener is not None:
            await asyncio.sleep(FLUSH_EVERY)
            journal.flush()

    @property
    def port(self) -> int:
        if self._listener is None:
            raise RuntimeError("the recording proxy is not listening")
        return int(self._listener.sockets[0].getsockname()[1])

    @property
    def url(self) -> str:
        """What clients connect to: the server's URL, at the proxy's address."""
        return f"ws://{self.host}:{self.port}{urlsplit(self.server_url).path or '/ws'}"

    async def close(self) -> None:
        """Stop listening, cut every relayed connection, journal what is still open."""
        if self._listener is not None:
            self._listener.close()
            await self._listener.wait_closed()
            self._listener = None
        if self._flusher is not None:
            self._flusher.cancel()
            await asyncio.gather(self._flusher, return_exceptions=True)
        for link in list(self._links):
            link.close()  # a close, not an abort: bytes already taken are still passed on
        for _ in range(100):  # bounded: 1 s for the last bytes to go
            if not self._links:
                break
            await asyncio.sleep(0.01)
        for link in list(self._links):
            link.cut()
        for session in self.sessions:
            self.closed(session, "proxy", None, time.time())
        if self.journal is not None:
            self.journal.close()

    # -- what the links tell ---------------------------------------------------------------

    def open_session(self, request: Http, transport: str, at: float) -> Session:
        assert self.journal is not None
        session = Session(len(self.sessions) + 1)
        self.sessions.append(session)
        h = request.headers
        self.journal.write(
            "open",
            at=at,
            conn=session.number,
            api_key=h.get("x-apikey", ""),
            platform=h.get("x-platform", ""),
            uuid=h.get("x-uuid", ""),
            transport=transport,
        )
        return session

    def note(self, session: Session, sender: str, frame: str | bytes, at: float) -> None:
        assert self.journal is not None
        session.frames[sender] += 1
        if isinstance(frame, str) and _ACK in frame[:_ACK_WITHIN]:
            # maim_message acknowledges every package: plumbing, counted like heartbeats
            # (a full decode of each would double the proxy's cost per exchange).
            session.acks += 1
            return
        packet = classify_text(frame) if isinstance(frame, str) else classify_binary(frame)
        if packet.kind == "heartbeat":
            session.heartbeats += 1
        else:
            self.journal.packet(session.number, sender, packet, frame, at)

    def closed(self, session: Session, by: str, code: int | None, at: float) -> None:
        if session.closed or self.journal is None:
            return
        session.closed = True
        self.journal.write(
            "close",
            at=at,
            conn=session.number,
            by=by,
            code=code,
            frames=dict(session.frames),
            heartbeats=session.heartbeats,
            acks=session.acks,
        )

    def refused(self, request: Http | None, reason: str) -> None:
        h = request.headers if request is not None else {}
        key, platform = h.get("x-apikey", ""), h.get("x-platform", "")
        log.warning("proxy: refused client (api key %r, platform %r): %s", key, platform, reason)
        if self.journal is not None:
            self.journal.write("refused", api_key=key, platform=platform, reason=reason)

    def lost(self, session: Session | None, sender: str, size: int, why: str) -> None:
        if self.journal is not None:
            number = session.number if session else None
            fields: dict[str, Any] = {"conn": number, "from": sender}
            self.journal.write("lost", what=f"{size} bytes: {why}", **fields)


class _Side(asyncio.Protocol):
    """The proxy's connection to the server for one client connection."""

    def __init__(self, link: _Link) -> None:
        self.link = link
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        _no_delay(transport)
        transport.set_write_buffer_limits(HIGH_WATER)

    def data_received(self, data: bytes) -> None:
        self.link.from_server(data)

    def connection_lost(self, exc: Exception | None) -> None:
        self.link.server_gone()

    def pause_writing(self) -> None:
        self.link.pause_client_reading()

    def resume_writing(self) -> None:
        self.link.resume_client_reading()


class _Link(asyncio.Protocol):
    """One client TCP connection and its twin to the server: bytes both ways, a copy read."""

    def __init__(self, proxy: RecordingProxy) -> None:
        self.proxy = proxy
        self.client: asyncio.Transport | None = None
        self.server: _Side | None = None
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
        assert isinstance(transport, asyncio.Transport)
        self.client = transport
        _no_delay(transport)
        transport.set_write_buffer_limits(HIGH_WATER)
        self.proxy._links.add(self)
        self._connecting = asyncio.ensure_future(self._connect())

    async def _connect(self) -> None:
        loop = asyncio.get_running_loop()
        try:
            _, side = await asyncio.wait_for(
                loop.create_connection(lambda: _Side(self), *self.proxy.upstream),
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
        self.proxy._links.discard(self)

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


async def serve(proxy: RecordingProxy, lifetime: float | None, stop: asyncio.Event) -> None:
    """Run until ``stop`` is set or ``lifetime`` seconds have passed."""
    await proxy.start()
    try:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), lifetime)
    finally:
        await proxy.close()
