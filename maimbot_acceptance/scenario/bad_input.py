"""What a careless or hostile chat adapter may send, by the names features use.

Two kinds: chat messages a server may not expect (built as a segment, sent as a
proper package) and garbage (put on the connection as it is, no package at all).
Sizes are relative to the server's own limit on one package (userdata
``max_message_size``), so the same phrase means the same thing on every server.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

from maim_message.message import Seg

from ..wire.messages import new_message_id, text_segment

MIB = 1024 * 1024

_PROSE = "All work and no play makes Jack a dull boy. "

# The smallest valid PNG: one transparent pixel.
_PIXEL_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGBgAAAABQABXvMqGgAAAABJRU5ErkJggg=="
)


def text_of_length(length: int) -> str:
    """Readable prose of exactly ``length`` characters (ASCII: one byte each on the wire)."""
    repeats = length // len(_PROSE) + 1
    return (_PROSE * repeats)[:length]


def picture() -> Seg:
    """A picture, as chat adapters send one: an ``image`` segment of base64 data."""
    return Seg(type="image", data=base64.b64encode(_PIXEL_PNG).decode("ascii"))


CHAT_INPUTS: dict[str, Callable[[int], Seg]] = {
    "an empty message": lambda limit: text_segment(""),
    "a message of 1 MiB": lambda limit: text_segment(text_of_length(MIB)),
    "a message just over the server's size limit": lambda limit: text_segment(
        text_of_length(limit + 1)
    ),
    "a picture": lambda limit: picture(),
}
"""Chat messages by name; each is built for a server whose package limit is ``limit`` bytes."""


def _malformed_chat_package() -> dict[str, Any]:
    return {
        "ver": 1,
        "msg_id": new_message_id(),
        "type": "sys_std",
        "meta": {},
        "payload": {
            "message_info": "this should be an object",
            "message_segment": {"type": "text", "data": "hello"},
            "message_dim": {"api_key": "", "platform": ""},
        },
    }


GARBAGE: dict[str, Callable[[], Any]] = {
    "text that is not JSON": lambda: "hello? {this is not JSON",
    "a JSON array": lambda: "[1, 2, 3]",
    "a JSON object that is no package": lambda: {"hello": "world"},
    "binary data": lambda: bytes(range(256)),
    "a chat package without a chat message": lambda: {
        "ver": 1,
        "msg_id": new_message_id(),
        "type": "sys_std",
        "meta": {},
        "payload": "just a string",
    },
    "a chat package with a malformed message": _malformed_chat_package,
}
"""Data that is no (valid) package, by name, as it goes on the wire."""
