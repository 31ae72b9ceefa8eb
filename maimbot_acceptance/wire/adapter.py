"""What a wire adapter is to the client it serves, and the client to it.

A ``TenantMessageClient`` owns one link core (``link.py``, no I/O) and, while
connected, one adapter that talks a wire: Socket.IO through maim_message 0.7.5
(``socketio_wire.py``) or maim_message 0.6's plain WebSocket (``plain_wire.py``).
The adapter frames and carries packages, and reports what happens: the connection
opened or closed and why (``owner.log``), a package arrived (``owner.receive``, which
the core sorts). The client decides.
"""

from __future__ import annotations

from typing import Any, Protocol

from .events import EventLog
from .link import Link


class WireOwner(Protocol):
    """What an adapter needs of the client it serves."""

    label: str
    server_url: str
    api_key: str
    platform: str
    log: EventLog
    link: Link
    """The adapter may tell it the heartbeat the server announced on the wire."""

    def receive(self, package: Any) -> None:
        """A package the server sent, as read off the wire."""


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

    def abort(self) -> None:
        """Tear the TCP connection down, without a goodbye."""

    async def close(self) -> None:
        """Say goodbye (if still connected) and release every task."""
