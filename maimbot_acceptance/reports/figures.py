"""The run's figures a product owner reads: how often users got connected and
answered, how fast, and how long the run took.

Counted over every scenario of the run, from what each scenario's world remembers:
connections meant to come up (not the attempts whose refusal is the point), and
questions a step waited an answer for (not those whose silence is the point).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

from ..judging.stats import Latencies, Rate
from ..scenario.world import World
from .words import IN_ENGLISH, Words

LOADED = time.time()
"""When the suite was loaded (behave imports the hooks before ``before_all``): the
start of the run's wall time, the server's start-up included. Wall-clock time, so
that the processes of a parallel run can be put on one time line."""


@dataclass
class RunFigures:
    connected: int = 0
    not_connected: int = 0
    answered: int = 0
    awaited: int = 0
    latencies: list[float] = field(default_factory=list)
    started: float = LOADED
    ended: float = 0.0
    """When the run ended (0 while it runs)."""
    revoked_key_refused: list[float] = field(default_factory=list)
    """Seconds from a key's revocation to a connection with it refused."""
    closed_on_revocation: list[float] = field(default_factory=list)
    """Seconds from a key's revocation to the close of a connection open with it."""
    kept_on_revocation: int = 0
    """Connections open with a key when it was revoked that the server kept open."""

    def record(self, world: World) -> None:
        self.connected += world.connections.opened
        self.not_connected += len(world.connections.failed)
        for exchange in world.conversation.exchanges:
            if not exchange.awaited:
                continue
            self.awaited += 1
            if exchange.latency is not None:
                self.answered += 1
                self.latencies.append(exchange.latency)
        revocations = world.revocations
        self.revoked_key_refused += revocations.refusals
        self.closed_on_revocation += [
            f.closed_after for f in revocations.fates if f.closed_after is not None
        ]
        self.kept_on_revocation += sum(1 for f in revocations.fates if f.closed_after is None)

    @property
    def connection_rate(self) -> Rate:
        return Rate(self.connected, self.connected + self.not_connected)

    @property
    def reply_rate(self) -> Rate:
        return Rate(self.answered, self.awaited)

    @property
    def latency(self) -> Latencies:
        return Latencies(tuple(self.latencies))

    def wall_time(self) -> float:
        return (self.ended or time.time()) - self.started

    def merged(self, other: RunFigures) -> RunFigures:
        """The figures of two processes of one parallel run, as of one run."""
        return RunFigures(
            self.connected + other.connected,
            self.not_connected + other.not_connected,
            self.answered + other.answered,
            self.awaited + other.awaited,
            self.latencies + other.latencies,
            min(self.started, other.started),
            max(self.ended, other.ended),
            self.revoked_key_refused + other.revoked_key_refused,
            self.closed_on_revocation + other.closed_on_revocation,
            self.kept_on_revocation + other.kept_on_revocation,
        )

    def rows(self, words: Words = IN_ENGLISH) -> list[tuple[str, str]]:
        """(figure, value) in plain words, for the first page, the console and JUnit."""
        latency = self.latency
        return [
            (
                words("figure connections"),
                _rate(self.connection_rate, "rate of connections", words),
            ),
            (words("figure replies"), _rate(self.reply_rate, "rate of replies", words)),
            (words("figure p50"), _seconds(latency.p50, words)),
            (words("figure p95"), _seconds(latency.p95, words)),
            (words("figure wall time"), f"{self.wall_time():.1f} s"),
            *self._revocation_rows(words),
        ]

    def _revocation_rows(self, words: Words) -> list[tuple[str, str]]:
        """Only where keys were revoked: how soon a revoked key was refused, and what
        became of the connections open with it (the target's choice)."""
        refused, closed = self.revoked_key_refused, self.closed_on_revocation
        kept = self.kept_on_revocation
        rows = []
        if refused:
            slowest = _seconds(max(refused), words)
            said = words("revoked key refused within", slowest=slowest, count=len(refused))
            rows.append((words("figure revoked key refused"), said))
        fates = []
        if closed:
            slowest = _seconds(max(closed), words)
            fates.append(words("closed saying why", count=len(closed), slowest=slowest))
        if kept:
            fates.append(words("kept open", count=kept))
        if fates:
            joined = words("details joiner").join(fates)
            open_then = words("of connections", fates=joined, total=len(closed) + kept)
            rows.append((words("figure open when revoked"), open_then))
        return rows


def _rate(rate: Rate, sentence: str, words: Words) -> str:
    if not rate.attempted:
        return words("none measured")
    return words(sentence, percent=rate.percent, succeeded=rate.succeeded, attempted=rate.attempted)


def _seconds(value: float, words: Words) -> str:
    if math.isnan(value):
        return words("no replies")
    return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"
