"""What happens to one connection (opened, closed and why, judged, told of an error),
kept in order, with event-driven waits on it.

The client records; waits wake on each new event (and on the client's own changes,
through the same notifier), never by polling.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import ConnectionLost, NoConnectionEvent
from .messages import SentMessage
from .notifier import Notifier


@dataclass(frozen=True)
class ConnectionEvent:
    """Something that happened to the connection, for transcripts and reconnect logic."""

    kind: str  # "open" | "close" | "verdict" | "error" (the server refused something we sent)
    at: float
    detail: str = ""
    accepted: bool = True


class EventLog:
    """The events of one connection, in order; ``changes`` wakes whoever waits on them."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.events: list[ConnectionEvent] = []
        self.changes = Notifier()
        self.observer: Callable[[ConnectionEvent], object] | None = None
        """Who takes each event in as it happens (the client's link core)."""

    def record(self, event: ConnectionEvent) -> None:
        self.events.append(event)
        if self.observer is not None:
            self.observer(event)
        self.changes.notify()

    # -- what the wire reports (called on the loop) ---------------------------------

    def opened(self) -> None:
        self.record(ConnectionEvent("open", time.monotonic()))

    def closed(self, detail: str | None) -> None:
        self.record(ConnectionEvent("close", time.monotonic(), detail or "closed by the server"))

    def judged(self, verdict: Mapping[str, Any]) -> None:
        accepted = bool(verdict.get("accepted"))
        reason = str(verdict.get("reason") or "")
        self.record(ConnectionEvent("verdict", time.monotonic(), reason, accepted))

    def told_of_error(self, payload: Mapping[str, Any]) -> None:
        reason = str(payload.get("reason") or "no reason given")
        self.record(ConnectionEvent("error", time.monotonic(), reason, accepted=False))

    # -- reading -----------------------------------------------------------------------

    def closes(self) -> list[ConnectionEvent]:
        return [e for e in self.events if e.kind == "close"]

    async def wait_for(self, kind: str, timeout: float, *, since: int = 0) -> ConnectionEvent:
        """The first event of ``kind`` at or after position ``since``; fail after
        ``timeout`` s with every event the connection had."""

        def first() -> ConnectionEvent | None:
            return next((e for e in self.events[since:] if e.kind == kind), None)

        found = await self.changes.wait_for(first, timeout)
        if found is None:
            raise NoConnectionEvent(
                f"{self.label}: no {kind!r} event within {timeout:.2f} s\n" + self.describe()
            )
        return found

    async def wait_until_lost(
        self, timeout: float, is_up: Callable[[], bool]
    ) -> ConnectionEvent | None:
        """The close event that ends the current link (``is_up`` says whether it is up),
        once it comes; None if the link is still up after ``timeout`` s."""
        since = len(self.events)

        def lost() -> ConnectionEvent | None:
            close = next((e for e in self.events[since:] if e.kind == "close"), None)
            if close is not None or is_up():
                return close
            earlier = self.closes()
            return earlier[-1] if earlier else ConnectionEvent("close", time.monotonic())

        return await self.changes.wait_for(lost, timeout)

    async def stay_open(self, span: float, is_up: Callable[[], bool]) -> None:
        """Pass after ``span`` s on a link that stayed up; raise ConnectionLost the moment
        it closes."""
        started = time.monotonic()
        lost = await self.wait_until_lost(span, is_up)
        if lost is not None:
            raise ConnectionLost(
                f"{self.label}: the connection closed {lost.at - started:.2f} s into a "
                f"{span:.2f} s span it had to stay open ({lost.detail})"
            )

    def describe(self) -> str:
        if not self.events:
            return "  Nothing happened to this connection."
        start = self.events[0].at
        lines = [f"  What happened to this connection ({len(self.events)}):"]
        for number, event in enumerate(self.events, start=1):
            verdict = (
                "" if event.kind != "verdict" else (" accepted" if event.accepted else " refused")
            )
            detail = f": {event.detail}" if event.detail else ""
            lines.append(
                f"   {number:>3}  +{event.at - start:.3f} s  {event.kind}{verdict}{detail}"
            )
        return "\n".join(lines)


@dataclass(frozen=True)
class Reconnection:
    """How a reconnect went: how long it took, and what had to be sent again."""

    took: float
    attempts: int
    resent: tuple[SentMessage, ...]

    def describe(self) -> str:
        again = f", resent {len(self.resent)} unacknowledged message(s)" if self.resent else ""
        return f"reconnected in {self.took * 1000:.0f} ms ({self.attempts} attempt(s){again})"
