"""Figures a load scenario reports: success rates and latency percentiles."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile (``fraction`` in 0..1) of ``values``; NaN when empty."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True)
class Rate:
    succeeded: int
    attempted: int

    @property
    def percent(self) -> float:
        return 100.0 * self.succeeded / self.attempted if self.attempted else math.nan

    def __str__(self) -> str:
        return f"{self.percent:.1f}% ({self.succeeded}/{self.attempted})"


@dataclass(frozen=True)
class Latencies:
    seconds: tuple[float, ...]

    @property
    def p50(self) -> float:
        return percentile(self.seconds, 0.50)

    @property
    def p95(self) -> float:
        return percentile(self.seconds, 0.95)

    @property
    def max(self) -> float:
        return max(self.seconds) if self.seconds else math.nan

    def __str__(self) -> str:
        if not self.seconds:
            return "no replies to measure"
        ms = 1000.0
        return (
            f"p50 {self.p50 * ms:.1f} ms, p95 {self.p95 * ms:.1f} ms, "
            f"max {self.max * ms:.1f} ms over {len(self.seconds)} replies"
        )
