"""The recording proxy: between maim_message clients and a server, relaying every frame.

A client connects to the proxy as it would to the server. maim_message 0.7.5's client
opens an engine.io session with one long-polling request (carrying ``x-apikey``,
``x-platform`` and ``x-uuid``), then upgrades it to a WebSocket (checked by experiment,
docs/recording.md); a client may also poll throughout, or start on the WebSocket. The
proxy relays all of it unchanged, with the request headers, to the same path on the
server, and tells the journal what went by (framing.py decodes it).

Bad input: whatever a client sends is relayed as it is and journalled as garbage if
it is not a maim_message package. A server that cannot be reached refuses the client
(HTTP 502) and logs one line. A frame the proxy took from one side and could not pass
on is journalled as lost, and the side that sent it is disconnected (1011): the proxy
never acknowledges a frame it then drops in silence.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import aiohttp
from aiohttp import WSMsgType, web

from .framing import classify_binary, classify_text, split_polling_payload
from .journal import Journal

log = logging.getLogger("maimbot_acceptance.record.proxy")

HOP_BY_HOP = frozenset(
    h.lower()
    for h in (
        "Connection",
        "Keep-Alive",
        "Proxy-Authenticate",
        "Proxy-Authorization",
        "TE",
        "Trailer",
        "Transfer-Encoding",
        "Upgrade",
        "Host",
        "Content-Length",
        "Sec-WebSocket-Key",
        "Sec-WebSocket-Version",
        "Sec-WebSocket-Extensions",
        "Sec-WebSocket-Accept",
        "Content-Encoding",
    )
)
"""Headers that belong to one hop; every other header (x-apikey, x-platform, x-uuid,
Authorization, Cookie, ...) is passed on."""


def _passable(code: int) -> bool:
    """A close code one may send on (1005, 1006, 1015 only describe a link, never travel)."""
    return code in (1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011) or 3000 <= code < 5000


@dataclass
class Connection:
    """One client connection (an engine.io session) as the journal numbers it."""

    number: int
    api_key: str
    platform: str
    uuid: str
    frames: dict[str, int] = field(default_factory=lambda: {"client": 0, "server": 0})
    heartbeats: int = 0
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
    ) -> None:
        parts = urlsplit(server_url)
        if parts.scheme not in ("ws", "wss") or not parts.hostname:
            raise ValueError(f"--server {server_url!r} is not a ws:// or wss:// URL")
        http = "https" if parts.scheme == "wss" else "http"
        self.server_url = server_url
        self.upstream = f"{http}://{parts.netloc}"
        self.out_dir = out_dir
        self.host, self.requested_port = host, port
        self.connect_timeout = connect_timeout
        self.journal: Journal | None = None
        self._runner: web.AppRunner | None = None
        self._site: web.TCPSite | None = None
        self._session: aiohttp.ClientSession | None = None
        self._by_sid: dict[str, Connection] = {}
        self._connections: list[Connection] = []
        self._sockets: set[web.WebSocketResponse | aiohttp.ClientWebSocketResponse] = set()

    # -- life ------------------------------------------------------------------------

    async def start(self) -> RecordingProxy:
        app = web.Application(client_max_size=0)  # the server judges sizes, not the proxy
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        self._site = web.TCPSite(self._runner, self.host, self.requested_port)
        await self._site.start()
        # Long polls wait for the server's next packet: no read timeout, only a connect one.
        self._session = aiohttp.ClientSession(
            timeout=aiohttp.ClientTimeout(total=None, sock_connect=self.connect_timeout),
            connector=aiohttp.TCPConnector(limit=0),
            auto_decompress=False,
        )
        self.journal = Journal(self.out_dir, server=self.server_url, listen=self.url)
        return self

    @property
    def port(self) -> int:
        server = self._site._server if self._site is not None else None
        if server is None:
            raise RuntimeError("the recording proxy is not listening")
        return int(server.sockets[0].getsockname()[1])  # type: ignore[attr-defined]

    @property
    def url(self) -> str:
        """What clients connect to: the server's URL, at the proxy's address."""
        path = urlsplit(self.server_url).path or "/ws"
        return f"ws://{self.host}:{self.port}{path}"

    async def close(self) -> None:
        """Stop listening, close every relayed WebSocket, journal the closes."""
        for socket in list(self._sockets):
            with contextlib.suppress(Exception):
                await socket.close(code=aiohttp.WSCloseCode.GOING_AWAY, message=b"proxy stops")
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        if self._session is not None:
            await self._session.close()
            self._session = None
        for connection in self._connections:
            self._closed(connection, "proxy", None)
        if self.journal is not None:
            self.journal.close()

    # -- requests ----------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        try:
            if request.headers.get("Upgrade", "").lower() == "websocket":
                return await self._websocket(request)
            return await self._http(request)
        except (ConnectionResetError, asyncio.CancelledError):
            raise
        except Exception as error:  # the proxy outlives any one request's trouble
            log.warning("proxy: %s %s failed: %s", request.method, request.path_qs, _why(error))
            return web.Response(status=502, text=f"recording proxy: {_why(error)}\n")

    def _passed_headers(self, request: web.Request) -> dict[str, str]:
        return {k: v for k, v in request.headers.items() if k.lower() not in HOP_BY_HOP}

    async def _http(self, request: web.Request) -> web.StreamResponse:
        """A long-polling request (or anything else a client asks over HTTP)."""
        assert self._session is not None and self.journal is not None
        body = await request.read()
        sid = request.query.get("sid")
        connection = self._by_sid.get(sid) if sid else None
        at = time.time()
        try:
            answer = await self._session.request(
                request.method,
                self.upstream + request.path_qs,
                data=body,
                headers=self._passed_headers(request),
                allow_redirects=False,
            )
        except (aiohttp.ClientError, OSError, TimeoutError) as error:
            self._refuse(request, error, connection)
            return web.Response(
                status=502, text=f"recording proxy: server unreachable: {_why(error)}\n"
            )
        async with answer:
            content = await answer.read()
        if body and connection is not None and answer.status == 200:
            self._polled(connection, "client", body, at)
        if answer.status == 200 and request.method == "GET" and content:
            if connection is None and request.query.get("transport") == "polling":
                connection = self._handshake(request, content, "polling")
            if connection is not None:
                self._polled(connection, "server", content, time.time())
        headers = {k: v for k, v in answer.headers.items() if k.lower() not in HOP_BY_HOP}
        return web.Response(status=answer.status, body=content, headers=headers)

    def _handshake(self, request: web.Request, content: bytes, transport: str) -> Connection | None:
        """An engine.io open packet from the server: a new session, numbered and journalled."""
        first = split_polling_payload(content.decode("utf-8", "replace"))[:1]
        packet = classify_text(first[0]) if first else None
        if packet is None or packet.what != "engine.io open" or not isinstance(packet.data, dict):
            return None
        connection = self._open(request, transport)
        sid = packet.data.get("sid")
        if isinstance(sid, str):
            self._by_sid[sid] = connection
        return connection

    def _open(self, request: web.Request, transport: str) -> Connection:
        assert self.journal is not None
        headers = request.headers
        connection = Connection(
            number=len(self._connections) + 1,
            api_key=headers.get("x-apikey", ""),
            platform=headers.get("x-platform", ""),
            uuid=headers.get("x-uuid", ""),
        )
        self._connections.append(connection)
        self.journal.write(
            "open",
            conn=connection.number,
            api_key=connection.api_key,
            platform=connection.platform,
            uuid=connection.uuid,
            transport=transport,
        )
        return connection

    def _refuse(self, request: web.Request, error: BaseException, known: Connection | None) -> None:
        assert self.journal is not None
        reason = f"server {self.server_url} unreachable: {_why(error)}"
        log.warning(
            "proxy: refused client (api key %r, platform %r): %s",
            request.headers.get("x-apikey", ""),
            request.headers.get("x-platform", ""),
            reason,
        )
        self.journal.write(
            "refused",
            conn=known.number if known else None,
            api_key=request.headers.get("x-apikey", ""),
            platform=request.headers.get("x-platform", ""),
            reason=reason,
        )

    def _polled(self, connection: Connection, sender: str, payload: bytes, at: float) -> None:
        for packet_text in split_polling_payload(payload.decode("utf-8", "replace")):
            self._note(connection, sender, packet_text, at)

    def _note(self, connection: Connection, sender: str, frame: str | bytes, at: float) -> None:
        assert self.journal is not None
        connection.frames[sender] += 1
        packet = classify_text(frame) if isinstance(frame, str) else classify_binary(frame)
        if packet.kind == "heartbeat":
            connection.heartbeats += 1
        else:
            self.journal.packet(connection.number, sender, packet, frame, at)

    # -- WebSockets ------------------------------------------------------------------

    async def _websocket(self, request: web.Request) -> web.StreamResponse:
        assert self._session is not None
        sid = request.query.get("sid")
        try:
            upstream = await self._session.ws_connect(
                self.upstream + request.path_qs,
                headers=self._passed_headers(request),
                max_msg_size=0,
                autoclose=False,
                autoping=True,
                compress=0,
            )
        except aiohttp.WSServerHandshakeError as refusal:
            # The server said no (an unknown session, a refused key): say it on.
            return web.Response(status=refusal.status, text=f"{refusal.message}\n")
        except (aiohttp.ClientError, OSError, TimeoutError) as error:
            self._refuse(request, error, self._by_sid.get(sid) if sid else None)
            return web.Response(
                status=502, text=f"recording proxy: server unreachable: {_why(error)}\n"
            )
        connection = self._by_sid.get(sid) if sid else None
        if connection is None:
            connection = self._open(request, "websocket")
        client = web.WebSocketResponse(
            max_msg_size=0, autoclose=False, autoping=True, compress=False
        )
        self._sockets.update((client, upstream))
        try:
            await client.prepare(request)
            await self._relay(connection, client, upstream)
        finally:
            self._sockets.difference_update((client, upstream))
            with contextlib.suppress(Exception):
                await upstream.close()
        return client

    async def _relay(
        self,
        connection: Connection,
        client: web.WebSocketResponse,
        upstream: aiohttp.ClientWebSocketResponse,
    ) -> None:
        outcome: dict[str, tuple[str, int | None, float]] = {}
        pumps = [
            asyncio.create_task(self._pump(connection, "client", client, upstream, outcome)),
            asyncio.create_task(self._pump(connection, "server", upstream, client, outcome)),
        ]
        try:
            await asyncio.wait(pumps, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for pump in pumps:
                pump.cancel()
            await asyncio.gather(*pumps, return_exceptions=True)
        by, code, at = next(iter(outcome.values()), ("proxy", None, time.time()))
        self._closed(connection, by, code, at)

    async def _pump(
        self,
        connection: Connection,
        sender: str,
        source: web.WebSocketResponse | aiohttp.ClientWebSocketResponse,
        sink: web.WebSocketResponse | aiohttp.ClientWebSocketResponse,
        outcome: dict[str, tuple[str, int | None, float]],
    ) -> None:
        """Pass ``source``'s frames to ``sink`` until ``source`` closes, then close
        ``sink`` with the same code."""
        assert self.journal is not None
        while True:
            message = await source.receive()
            at = time.time()
            if message.type in (WSMsgType.TEXT, WSMsgType.BINARY):
                try:
                    if message.type == WSMsgType.TEXT:
                        await sink.send_str(message.data)
                    else:
                        await sink.send_bytes(message.data)
                except Exception as error:
                    # Taken from the sender, not passed on: say so, and end the link.
                    self.journal.write(
                        "lost",
                        at=at,
                        conn=connection.number,
                        **{"from": sender},
                        what=f"a frame of {len(message.data)} bytes: {_why(error)}",
                    )
                    outcome.setdefault("end", ("proxy", 1011, at))
                    with contextlib.suppress(Exception):
                        await source.close(code=1011, message=b"proxy could not pass it on")
                    return
                self._note(connection, sender, message.data, at)
                continue
            if message.type == WSMsgType.CLOSE:
                code = message.data if isinstance(message.data, int) else None
            else:  # CLOSING, CLOSED, ERROR: the link ended without a close frame
                code = source.close_code
            outcome.setdefault("end", (sender, code, at))
            close_code = code if code is not None and _passable(code) else 1000
            with contextlib.suppress(Exception):
                await sink.close(
                    code=close_code,
                    message=message.extra.encode() if isinstance(message.extra, str) else b"",
                )
            with contextlib.suppress(Exception):
                await source.close()
            return

    def _closed(
        self, connection: Connection, by: str, code: int | None, at: float | None = None
    ) -> None:
        if connection.closed or self.journal is None:
            return
        connection.closed = True
        self.journal.write(
            "close",
            at=at,
            conn=connection.number,
            by=by,
            code=code,
            frames=dict(connection.frames),
            heartbeats=connection.heartbeats,
        )


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
