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
        ]


def _rate(rate: Rate, sentence: str, words: Words) -> str:
    if not rate.attempted:
        return words("none measured")
    return words(sentence, percent=rate.percent, succeeded=rate.succeeded, attempted=rate.attempted)


def _seconds(value: float, words: Words) -> str:
    if math.isnan(value):
        return words("no replies")
    return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"
