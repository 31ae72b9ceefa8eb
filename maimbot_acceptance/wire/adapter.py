"""What a wire adapter is to the client it serves, and the client to it.

A ``TenantMessageClient`` owns one link core (``link.py``, no I/O) and, while
connected, one adapter that talks a wire: Socket.IO through maim_message 0.7.5
(``socketio_wire.py``) or maim_message 0.6's plain WebSocket (``plain_wire.py``).
The adapter reports what happens (``owner.log``: opened, closed and why, judged, told
of an error; ``receive_chat``, ``receive_ack``); the client decides.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from .events import EventLog

WIRES = ("socketio", "plain")
"""The wires the suite speaks: maim_message 0.7's Socket.IO, maim_message 0.6's plain WebSocket."""


class WireOwner(Protocol):
    """What an adapter needs of the client it serves."""

    label: str
    server_url: str
    api_key: str
    platform: str
    log: EventLog

    def receive_chat(self, payload: Mapping[str, Any]) -> None: ...

    def receive_ack(self, package_id: str) -> None: ...


class WireAdapter(Protocol):
    """One connection's talking, on one wire; a fresh one per connection attempt."""

    name: str

    async def open(self, connection_id: str) -> None:
        """Start connecting as ``connection_id`` (``x-uuid``); what happens is reported."""

    async def settle(self) -> None:
        """The owner has decided whether the connection was accepted."""

    def is_connected(self) -> bool: ...

    async def send_package(self, package: dict[str, Any]) -> bool:
        """Send a package the client built; False if the link is not up."""

    async def send_raw(self, data: Any) -> bool:
        """Put ``data`` on the connection as it is (garbage, to test servers)."""

    def heartbeat(self) -> tuple[float, float] | None:
        """The ping interval and ping timeout the server announced, if it did."""

    def abort(self) -> None:
        """Tear the TCP connection down, without a goodbye."""

    async def close(self) -> None:
        """Say goodbye (if still connected) and release every task."""
