"""What the reference server accepts on the wire, and why it refuses the rest.

maim_message 0.7.5's server takes whatever arrives as a Socket.IO ``message`` event:
text that is not JSON becomes ``{"raw_message": ...}`` and is dropped with a log line,
a JSON array crashes its handler, and a ``sys_std`` package whose payload is not a chat
message is answered as if its dict were text. The sender learns nothing. The reference
server screens every event first and tells the sender, in one line, what was wrong.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from maim_message.message import APIMessageBase
from maim_message.server import WebSocketServer

from ..wire.protocol import PROTOCOL_ERROR_TYPE

log = logging.getLogger(__name__)

CHAT_FIELDS = ("message_info", "message_segment", "message_dim")


def screen_packages(server: WebSocketServer) -> None:
    """Answer anything that is not a package with a reason, before ``server``'s driver drops it."""
    driver = server.network_driver
    handlers = driver.sio.handlers["/"]
    receive: Callable[[str, Any], Awaitable[Any]] = handlers["message"]

    async def message(sid: str, data: Any) -> Any:
        problem = package_problem(data)
        if problem is None:
            return await receive(sid, data)
        connection_uuid = driver.sid_connections.get(sid)
        log.info("refused a package from %s: %s", connection_uuid, problem)
        if connection_uuid is not None:
            await server.send_custom_message(
                PROTOCOL_ERROR_TYPE, {"reason": problem}, connection_uuid=connection_uuid
            )
        return None

    handlers["message"] = message


def package_problem(data: Any) -> str | None:
    """Why ``data`` (one Socket.IO ``message`` event) is not a package; None if it is one."""
    if isinstance(data, bytes | bytearray):
        return f"{len(data)} bytes of binary data are not a maim_message package"
    if isinstance(data, str):
        try:
            data = json.loads(data)
        except ValueError:
            return f"text that is not JSON is not a maim_message package: {_clip(data)}"
    if not isinstance(data, Mapping):
        return f"a JSON {_json_kind(data)} is not a maim_message package: {_clip(data)}"
    kind = data.get("type")
    if not isinstance(kind, str) or not kind:
        return f"a JSON object without a 'type' is not a maim_message package: {_clip(data)}"
    if kind == "sys_std":
        return chat_message_problem(data.get("payload"))
    if kind.startswith(("sys_", "custom_")):
        return None  # acknowledgements, and extensions maim_message routes itself
    return f"unknown package type {kind!r} (expected 'sys_std', 'sys_*' or 'custom_*')"


def chat_message_problem(payload: Any) -> str | None:
    """Why the payload of a ``sys_std`` package is not a chat message; None if it is one."""
    if not isinstance(payload, Mapping):
        return f"a chat package must carry a chat message, not {_clip(payload)}"
    missing = [name for name in CHAT_FIELDS if name not in payload]
    if missing:
        return f"the chat message lacks {', '.join(missing)}"
    try:
        message = APIMessageBase.from_dict(dict(payload))
    except Exception as error:  # the library raises whatever a field's parser raises
        return f"the chat message is malformed ({type(error).__name__}: {str(error)[:80]})"
    segment = message.message_segment
    if not isinstance(segment.type, str) or not segment.type:
        return "the chat message's segment has no type"
    return None


def _json_kind(value: Any) -> str:
    kinds = {list: "array", str: "string", bool: "boolean", int: "number", float: "number"}
    return kinds.get(type(value), type(value).__name__) if value is not None else "null"


def _clip(value: Any, limit: int = 60) -> str:
    """A short JSON rendering of what was received, for the sender's error line."""
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= limit else text[: limit - 3] + "..."
