"""Facts of the wire protocol shared by the client and the reference server."""

from __future__ import annotations

import time
import uuid
from typing import Any
from urllib.parse import urlsplit

from ..errors import SettingsError

AUTH_RESULT_TYPE = "custom_auth_result"
"""Optional verdict a server may send right after the handshake.

The real MaiMBot authenticates after the Socket.IO handshake and drops a refused
connection without a word. The reference server also sends this custom message
(``{"accepted": bool, "reason": str}``) first, so clients learn the verdict at
once; a client that gets no verdict waits a short settle window for the drop.
"""

PROTOCOL_ERROR_TYPE = "custom_protocol_error"
"""What the reference server sends back for something that is not a package it accepts
(``{"reason": str}``); maim_message itself drops such input without a word."""


def endpoint_of(url: str, knob: str, schemes: tuple[str, ...]) -> tuple[str, int]:
    """Host and port of a URL, or a SettingsError naming the knob it came from."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise SettingsError(f"{knob}={url!r} is not a valid URL: {error}") from None
    if parts.scheme not in schemes or not parts.hostname:
        raise SettingsError(
            f"{knob}={url!r} is not a valid URL: expected {' or '.join(schemes)}://host:port/..."
        )
    default = 443 if parts.scheme in ("wss", "https") else 80
    return parts.hostname, port or default


def new_package_id() -> str:
    """A package id shaped like maim_message's own (``msg_<12 hex>_<unix seconds>``)."""
    return f"msg_{uuid.uuid4().hex[:12]}_{int(time.time())}"


def chat_package(
    payload: dict[str, Any], *, package_id: str, api_key: str, platform: str
) -> dict[str, Any]:
    """The package maim_message 0.7.5 wraps a chat message in (``sys_std``).

    The server acknowledges each package with a ``sys_ack`` naming its id, and
    ignores a package id it has already processed (so resending is safe).
    """
    return {
        "ver": 1,
        "msg_id": package_id,
        "type": "sys_std",
        "meta": {"sender_user": api_key, "platform": platform, "timestamp": time.time()},
        "payload": payload,
    }


def server_package(
    payload: dict[str, Any], *, target_user: str = "", platform: str = ""
) -> dict[str, Any]:
    """The package a server wraps a chat message for a client in (``sys_std``, as
    maim_message's servers do)."""
    return {
        "ver": 1,
        "msg_id": new_package_id(),
        "type": "sys_std",
        "meta": {
            "sender_user": "server",
            "target_user": target_user,
            "platform": platform,
            "timestamp": time.time(),
        },
        "payload": payload,
    }


def ack_package(package_id: str, connection_id: str) -> dict[str, Any]:
    """A server's acknowledgement of the package ``package_id`` (``sys_ack``)."""
    return {
        "ver": 1,
        "msg_id": new_package_id(),
        "type": "sys_ack",
        "meta": {"uuid": connection_id, "acked_msg_id": package_id, "timestamp": time.time()},
        "payload": {"status": "received"},
    }
