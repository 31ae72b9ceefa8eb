"""Reading a copy of one TCP stream: HTTP/1.1 messages, then, after an upgrade, WebSocket frames.

The proxy relays bytes as they come and hands a copy to a :class:`Stream`, which
cuts it into what the journal needs: requests or responses (head and body, by
Content-Length or chunked), and after ``Upgrade: websocket`` the frames' payloads
(unmasked, fragments joined). A stream that meets something it cannot read stops
reading (``broken``): the traffic is never affected, only the journal's view of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

MAX_HEAD = 64 * 1024
"""A head longer than this is not HTTP the proxy can read."""


@dataclass
class Http:
    """A request (``method``, ``target``) or a response (``status``) with its body."""

    start: str
    headers: dict[str, str]
    body: bytes = b""

    @property
    def method(self) -> str:
        return self.start.split(" ", 1)[0]

    @property
    def status(self) -> int:
        parts = self.start.split(" ", 2)
        return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0

    @property
    def query(self) -> dict[str, str]:
        target = self.start.split(" ", 2)[1] if self.start.count(" ") >= 1 else ""
        return {k: v[0] for k, v in parse_qs(urlsplit(target).query).items()}

    @property
    def upgrades(self) -> bool:
        return self.headers.get("upgrade", "").lower() == "websocket"


@dataclass
class Frame:
    """One WebSocket message: text, binary, or close (with its code)."""

    opcode: int
    payload: bytes
    close_code: int | None = None

    @property
    def is_text(self) -> bool:
        return self.opcode == 1


@dataclass
class Stream:
    """One direction of one TCP connection."""

    websocket: bool = False
    broken: str = ""
    _buffer: bytearray = field(default_factory=bytearray)
    _fragments: bytearray = field(default_factory=bytearray)
    _fragment_opcode: int = 0

    def feed(self, data: bytes) -> list[Http | Frame]:
        if self.broken:
            return []
        self._buffer += data
        out: list[Http | Frame] = []
        try:
            while not self.broken:
                item = self._frame() if self.websocket else self._http()
                if item is None:
                    break
                out.append(item)
                if isinstance(item, Http) and item.upgrades and not item.status:
                    self.websocket = True  # a client sends frames right after asking
        except (ValueError, IndexError) as error:
            self.broken = f"unreadable: {error}"
        return out

    def switch_to_websocket(self) -> None:
        """The server answered 101: what follows are frames."""
        self.websocket = True

    # -- HTTP --------------------------------------------------------------------------

    def _http(self) -> Http | None:
        end = self._buffer.find(b"\r\n\r\n")
        if end < 0:
            if len(self._buffer) > MAX_HEAD:
                self.broken = "an HTTP head too long to read"
            return None
        lines = self._buffer[:end].decode("latin-1").split("\r\n")
        headers: dict[str, str] = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        message = Http(lines[0], headers)
        rest = end + 4
        if "chunked" in headers.get("transfer-encoding", "").lower():
            body = self._chunked(rest)
            if body is None:
                return None
            message.body, rest = body
        else:
            length = int(headers.get("content-length", "0") or 0)
            if len(self._buffer) < rest + length:
                return None
            message.body = bytes(self._buffer[rest : rest + length])
            rest += length
        del self._buffer[:rest]
        return message

    def _chunked(self, at: int) -> tuple[bytes, int] | None:
        body = bytearray()
        while True:
            line_end = self._buffer.find(b"\r\n", at)
            if line_end < 0:
                return None
            size = int(bytes(self._buffer[at:line_end]).split(b";")[0], 16)
            start = line_end + 2
            if len(self._buffer) < start + size + 2:
                return None
            if size == 0:
                trailer = self._buffer.find(b"\r\n", start)
                return (bytes(body), trailer + 2) if trailer >= 0 else None
            body += self._buffer[start : start + size]
            at = start + size + 2

    # -- WebSocket ---------------------------------------------------------------------

    def _frame(self) -> Frame | None:
        while True:
            buffer = self._buffer
            if len(buffer) < 2:
                return None
            fin, opcode = buffer[0] & 0x80, buffer[0] & 0x0F
            masked, length = buffer[1] & 0x80, buffer[1] & 0x7F
            at = 2
            if length == 126:
                if len(buffer) < 4:
                    return None
                length, at = int.from_bytes(buffer[2:4], "big"), 4
            elif length == 127:
                if len(buffer) < 10:
                    return None
                length, at = int.from_bytes(buffer[2:10], "big"), 10
            mask = b""
            if masked:
                if len(buffer) < at + 4:
                    return None
                mask, at = bytes(buffer[at : at + 4]), at + 4
            if len(buffer) < at + length:
                return None
            payload = bytes(buffer[at : at + length])
            del buffer[: at + length]
            if mask:
                payload = _unmask(payload, mask)
            if opcode >= 8:  # control frames: close matters, ping/pong do not
                if opcode == 8:
                    code = int.from_bytes(payload[:2], "big") if len(payload) >= 2 else None
                    return Frame(8, payload[2:], code)
                continue
            if opcode:  # the first (or only) fragment
                self._fragment_opcode, self._fragments = opcode, bytearray()
            self._fragments += payload
            if fin:
                return Frame(self._fragment_opcode, bytes(self._fragments))


def _unmask(payload: bytes, mask: bytes) -> bytes:
    # XOR as one big integer: fast for a few kilobytes, correct for any length.
    repeated = (mask * (len(payload) // 4 + 1))[: len(payload)]
    value = int.from_bytes(payload, "big") ^ int.from_bytes(repeated, "big")
    return value.to_bytes(len(payload), "big")
