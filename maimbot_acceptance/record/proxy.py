"""The recording proxy: between maim_message clients and a server, relaying every byte.

A client connects to the proxy as it would to the server. maim_message 0.7.5's client
opens an engine.io session with one long-polling request (carrying ``x-apikey``,
``x-platform`` and ``x-uuid``), then upgrades it to a WebSocket on a new TCP
connection (checked by experiment, docs/recording.md); a client may also poll
throughout, or start on the WebSocket. The proxy does not take part in any of it: for
each client TCP connection it opens one to the server and passes the bytes on as they
come, both ways, unchanged, headers and all. Only a copy is read (byte_stream.py, framing.py)
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
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from .byte_stream import Http
from .framing import classify_binary, classify_text
from .journal import FLUSH_EVERY, Journal
from .proxy_session import Session
from .relay import RelayedConnection

log = logging.getLogger("maimbot_acceptance.record.proxy")

_ACK, _ACK_WITHIN = '"type":"sys_ack"', 200
"""An acknowledgement: '42["message",{"ver":1,"msg_id":"...","type":"sys_ack",...'."""


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
        self.links: set[RelayedConnection] = set()
        self.all_links_gone = asyncio.Event()
        self.all_links_gone.set()
        self._flusher: asyncio.Future[None] | None = None

    async def start(self) -> RecordingProxy:
        loop = asyncio.get_running_loop()
        self._listener = await loop.create_server(
            lambda: RelayedConnection(self), self.host, self.requested_port
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
        for link in list(self.links):
            link.close()  # a close, not an abort: bytes already taken are still passed on
        with contextlib.suppress(TimeoutError):  # bounded: 1 s for the last bytes to go
            await asyncio.wait_for(self.all_links_gone.wait(), 1.0)
        for link in list(self.links):
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


async def serve_proxy(
    proxy: RecordingProxy,
    lifetime: float | None,
    stop: asyncio.Event,
    ready: Callable[[], None] = lambda: None,
) -> None:
    """Run until ``stop`` is set or ``lifetime`` seconds have passed; ``ready`` is called
    once the proxy listens."""
    await proxy.start()
    ready()
    try:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), lifetime)
    finally:
        await proxy.close()
