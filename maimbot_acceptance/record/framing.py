"""What a frame on a maim_message connection is: engine.io and Socket.IO framing, decoded.

maim_message 0.7.5 speaks Socket.IO 5 over engine.io 4: a WebSocket text frame (or
one packet of a long-polling payload) is an engine.io packet (``0`` open, ``2`` ping,
``4`` message, ...); an engine.io message carries a Socket.IO packet (``2`` event,
``3`` ack, ...), and maim_message's packages travel as the event
``["message", {"ver", "msg_id", "type", "meta", "payload"}]``. A chat message is a
package of type ``sys_std`` whose payload is an ``APIMessageBase`` dict.

The proxy relays frames unchanged whatever they are; this module only tells the
journal what it saw. It never raises on input: what it cannot read is garbage.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal

Kind = Literal["chat", "other", "control", "heartbeat", "garbage"]

RECORD_SEPARATOR = "\x1e"
"""Separates the packets of one engine.io 4 long-polling payload."""

_ENGINE_IO = {"0": "open", "1": "close", "2": "ping", "3": "pong", "5": "upgrade", "6": "noop"}
_SOCKET_IO = {"0": "connect", "1": "disconnect", "4": "connect_error"}


@dataclass(frozen=True)
class Packet:
    """One decoded packet: what it is, and what the journal keeps of it."""

    kind: Kind
    what: str
    """A few words: "sys_std", "engine.io open", "not JSON", ..."""
    data: Any = None
    """The chat package (kind chat), the event's data (other), the handshake (control)."""


def classify_text(frame: str) -> Packet:
    """One engine.io packet as text (a WebSocket text frame, or a polling packet)."""
    if not frame:
        return Packet("garbage", "an empty frame")
    head, body = frame[0], frame[1:]
    if head in ("2", "3") and body in ("", "probe"):
        return Packet("heartbeat", f"engine.io {_ENGINE_IO[head]}")
    if head in _ENGINE_IO and head != "4":
        if head == "0":
            return Packet("control", "engine.io open", _json_or_none(body))
        if body:
            return Packet("garbage", f"engine.io {_ENGINE_IO[head]} with a body")
        return Packet("control", f"engine.io {_ENGINE_IO[head]}")
    if head != "4":
        return Packet("garbage", "not an engine.io packet")
    return _socket_io(body)


def classify_binary(frame: bytes) -> Packet:
    """A WebSocket binary frame: a Socket.IO binary attachment, which maim_message
    never sends; a client sending one is speaking something else."""
    return Packet("garbage", f"a binary frame of {len(frame)} bytes")


def split_polling_payload(payload: str) -> list[str]:
    """The packets of a long-polling request or response body."""
    return payload.split(RECORD_SEPARATOR) if payload else []


def _socket_io(packet: str) -> Packet:
    if not packet:
        return Packet("garbage", "an empty Socket.IO packet")
    head, rest = packet[0], packet[1:]
    if head in _SOCKET_IO:
        return Packet(
            "control", f"socket.io {_SOCKET_IO[head]}", _json_or_none(_past_namespace(rest))
        )
    if head not in ("2", "3"):
        return Packet("garbage", f"Socket.IO packet type {head!r}")
    body = _past_namespace(rest).lstrip("0123456789")  # the ack id, if any
    try:
        data = json.loads(body)
    except ValueError:
        return Packet("garbage", "a Socket.IO event that is not JSON")
    if head == "3":
        return Packet("other", "socket.io ack", data)
    if not isinstance(data, list) or not data or not isinstance(data[0], str):
        return Packet("garbage", "a Socket.IO event without a name")
    args = data[1:]
    if data[0] != "message" or len(args) != 1:
        return Packet("other", f"event {data[0]!r}", args)
    return _package(args[0])


def _package(package: Any) -> Packet:
    if isinstance(package, str):  # maim_message's server accepts a JSON string too
        try:
            package = json.loads(package)
        except ValueError:
            return Packet("garbage", "a message event whose data is not a package")
    if not isinstance(package, dict) or not isinstance(package.get("type"), str):
        return Packet("garbage", "a message event whose data is not a package")
    kind = package["type"]
    if kind == "sys_std":
        if _is_chat_payload(package.get("payload")):
            return Packet("chat", kind, package)
        return Packet("garbage", "a sys_std package without a chat message")
    return Packet("other", kind, package)


def _is_chat_payload(payload: Any) -> bool:
    return (
        isinstance(payload, dict)
        and isinstance(payload.get("message_info"), dict)
        and isinstance(payload.get("message_dim"), dict)
        and "message_segment" in payload
    )


def _past_namespace(rest: str) -> str:
    """Drop a binary attachment count (``1-``) and a namespace (``/chat,``)."""
    dash = rest.find("-")
    if 0 < dash < 4 and rest[:dash].isdigit():
        rest = rest[dash + 1 :]
    if rest.startswith("/"):
        comma = rest.find(",")
        rest = "" if comma < 0 else rest[comma + 1 :]
    return rest


def _json_or_none(text: str) -> Any:
    try:
        return json.loads(text) if text else None
    except ValueError:
        return None
