"""The link's core, with no I/O: what state one connection is in, whether the server
accepted it, and what it still owes the server.

python-websockets' sans-I/O design is the model: the wire adapters (``socketio_wire.py``,
``plain_wire.py``) do the talking and feed what happened in here (an open, a verdict, a
close, an acknowledgement); the core decides (accepted, refused, timed out, lost) and
keeps the books (what the server has not acknowledged yet, and so what a reconnect
resends). Time is passed in, never read, so every state is testable without a socket.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from .events import ConnectionEvent
from .messages import SentMessage
from .protocol import AUTH_RESULT_TYPE, PROTOCOL_ERROR_TYPE


class LinkState(StrEnum):
    IDLE = "idle"
    """Never connected."""
    CONNECTING = "connecting"
    UP = "up"
    """Accepted, and not closed since."""
    REFUSED = "refused"
    TIMED_OUT = "timed out"
    LOST = "lost"
    """Closed by the server or the network (or dropped by this client), not by a goodbye
    of this client's."""
    CLOSED = "closed"
    """Closed by this client (``disconnect``)."""


@dataclass(frozen=True)
class Accepted:
    pass


@dataclass(frozen=True)
class Refused:
    reason: str


@dataclass(frozen=True)
class TimedOut:
    pass


Decision = Accepted | Refused | TimedOut


@dataclass
class Acceptance:
    """Whether the server accepted a fresh connection, from its first events.

    A server may send a verdict right after the handshake (the reference server does);
    one that sends none refuses by closing the connection (the real ones do), so a link
    without a verdict is taken as accepted once it stayed open ``auth_settle`` s.
    """

    deadline: float
    """By when the handshake must have completed."""
    auth_settle: float
    opened_at: float | None = None
    verdict_ok: bool = False
    decision: Decision | None = None

    def feed(self, event: ConnectionEvent) -> Decision | None:
        """Take one event in; the decision once there is one."""
        if self.decision is not None:
            return self.decision
        if event.kind == "verdict" and not event.accepted:
            return self._decide(Refused(event.detail or "no reason given"))
        if event.kind == "close":
            if self.opened_at is None:
                return self._decide(Refused(f"the handshake was rejected ({event.detail})"))
            after = event.at - self.opened_at
            return self._decide(
                Refused(f"{after:.2f} s after the handshake, without a verdict: {event.detail}")
            )
        if event.kind == "verdict":
            self.verdict_ok = True
        elif event.kind == "open":
            self.opened_at = event.at
        if self.opened_at is not None and self.verdict_ok:
            return self._decide(Accepted())
        return None

    def wake_at(self) -> float:
        """When to decide if nothing more happens: the settle window after an open, the
        handshake's deadline before."""
        if self.opened_at is None:
            return self.deadline
        return self.opened_at + self.auth_settle

    def time_is_up(self) -> Decision:
        """Nothing more happened by :meth:`wake_at`: open without a verdict is accepted."""
        if self.decision is not None:
            return self.decision
        return self._decide(Accepted() if self.opened_at is not None else TimedOut())

    def _decide(self, decision: Decision) -> Decision:
        self.decision = decision
        return decision


@dataclass
class Outbox:
    """What was sent and not acknowledged yet (a reconnect may resend it), and when
    each acknowledged package was acknowledged."""

    pending: dict[str, tuple[SentMessage, dict[str, Any]]] = field(default_factory=dict)
    acknowledged: dict[str, float] = field(default_factory=dict)
    """Package id -> when the server acknowledged it (``time.monotonic()``)."""

    def track(self, sent: SentMessage, package: dict[str, Any]) -> None:
        """Before sending: the acknowledgement may arrive before the send returns."""
        self.pending[sent.package_id] = (sent, package)

    def untrack(self, package_id: str) -> None:
        """The package never went out."""
        self.pending.pop(package_id, None)

    def ack(self, package_id: str, at: float) -> bool:
        """The server acknowledged ``package_id``; whether it was one of ours, pending."""
        if self.pending.pop(package_id, None) is None:
            return False
        self.acknowledged[package_id] = at
        return True

    def unacknowledged(self) -> list[SentMessage]:
        return [sent for sent, _ in self.pending.values()]

    def to_resend(self) -> list[tuple[SentMessage, dict[str, Any]]]:
        """Every pending package, in the order it was first sent."""
        return list(self.pending.values())

    def give_up(self) -> None:
        """Forget what was pending (after a close over a message, resending would only
        close the new connection too)."""
        self.pending.clear()


@dataclass(frozen=True)
class Incoming:
    """A package read off either wire, sorted: "chat" (a ``sys_std``), "ack" (a
    ``sys_ack`` of ``package_id``), "verdict", "error" (the server refused something we
    sent), or "other" (nothing for the client)."""

    kind: str
    payload: Mapping[str, Any]
    package_id: str = ""


_KINDS = {"sys_std": "chat", AUTH_RESULT_TYPE: "verdict", PROTOCOL_ERROR_TYPE: "error"}


def read_package(package: Any) -> Incoming:
    """What a received package is (anything that is not a package is "other")."""
    if not isinstance(package, Mapping):
        return Incoming("other", {})
    payload = package.get("payload")
    payload = payload if isinstance(payload, Mapping) else {}
    if package.get("type") == "sys_ack":
        meta = package.get("meta")
        acked = meta.get("acked_msg_id", "") if isinstance(meta, Mapping) else ""
        return Incoming("ack", payload, str(acked))
    return Incoming(_KINDS.get(str(package.get("type")), "other"), payload)


def heartbeat_of(verdict: Mapping[str, Any]) -> tuple[float, float] | None:
    """The ping interval and timeout a verdict announces (the reference server's plain
    wire does), if it does."""
    announced = verdict.get("heartbeat")
    if isinstance(announced, list | tuple) and len(announced) == 2:
        return float(announced[0]), float(announced[1])
    return None


@dataclass
class Link:
    """One client's link, across reconnects: its state, the acceptance of the current
    attempt, and its outbox."""

    label: str
    auth_settle: float
    state: LinkState = LinkState.IDLE
    outbox: Outbox = field(default_factory=Outbox)
    acceptance: Acceptance | None = None
    last_close: ConnectionEvent | None = None
    dropped_by_us: bool = False
    heartbeat: tuple[float, float] | None = None
    """The ping interval and ping timeout the server announced (kept after the link
    is gone); None before it announced any."""

    @property
    def heartbeat_window(self) -> float | None:
        """Longest the link may go silent unnoticed, by the server's own announcement:
        a ping is due every interval, and its answer within the timeout."""
        return None if self.heartbeat is None else self.heartbeat[0] + self.heartbeat[1]

    def begin(self, deadline: float) -> Acceptance:
        """A new attempt to connect, to be decided by ``deadline``."""
        self.state = LinkState.CONNECTING
        self.dropped_by_us = False
        self.acceptance = Acceptance(deadline, self.auth_settle)
        return self.acceptance

    def feed(self, event: ConnectionEvent) -> Decision | None:
        """An event of the connection: moves the state on; the acceptance decision, if
        this attempt has one now."""
        if event.kind == "close":
            self.last_close = event
        if self.state is LinkState.CONNECTING and self.acceptance is not None:
            decision = self.acceptance.feed(event)
            self._settle(decision)
            return decision
        if self.state is LinkState.UP and event.kind == "close":
            self.state = LinkState.LOST
        return None

    def time_is_up(self) -> Decision:
        """The acceptance window ended with nothing more said."""
        assert self.acceptance is not None, "no connection attempt under way"
        decision = self.acceptance.time_is_up()
        self._settle(decision)
        return decision

    def _settle(self, decision: Decision | None) -> None:
        if isinstance(decision, Accepted):
            self.state = LinkState.UP
        elif isinstance(decision, Refused):
            self.state = LinkState.REFUSED
        elif isinstance(decision, TimedOut):
            self.state = LinkState.TIMED_OUT

    def drop(self) -> None:
        """This client tears the link down without a goodbye: a loss like any other."""
        self.dropped_by_us = True

    def closed_by_us(self) -> None:
        """This client said goodbye (a refusal or a time-out stays what it was)."""
        if self.state not in (LinkState.REFUSED, LinkState.TIMED_OUT):
            self.state = LinkState.CLOSED

    @property
    def is_up(self) -> bool:
        return self.state is LinkState.UP

    def why_not_up(self, now: float) -> str:
        """Why nothing can be sent now, in a phrase."""
        if self.state in (LinkState.IDLE, LinkState.CLOSED):
            return "it is not connected"
        if self.last_close is not None and self.state is LinkState.LOST:
            ago = now - self.last_close.at
            return f"the connection closed {ago:.2f} s ago: {self.last_close.detail}"
        return f"the connection is not open ({self.state})"


class Backoff:
    """Pauses between attempts while nothing listens (a server restarting): from
    ``first`` s, doubling, up to ``most`` s."""

    def __init__(self, first: float = 0.05, most: float = 0.5) -> None:
        self.pause, self.most = first, most

    def next_pause(self) -> float:
        pause = self.pause
        self.pause = min(self.pause * 2, self.most)
        return pause
