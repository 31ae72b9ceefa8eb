"""A client connection as the journal numbers it."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Session:
    """One client connection as the journal numbers it: an engine.io session, which may
    span TCP connections (a polling request, then the WebSocket)."""

    number: int
    frames: dict[str, int] = field(default_factory=lambda: {"client": 0, "server": 0})
    heartbeats: int = 0
    acks: int = 0
    closed: bool = False
