"""The run's summary for a product owner: the promises and their verdicts, the known
gaps met, the figures, the target. One model, told three ways: the report's first
page (``front_page``), the end of the console run, and JUnit properties.
"""

from __future__ import annotations

from dataclasses import dataclass

from .promises import BROKEN, HELD, NOT_CHECKED, Promise


@dataclass(frozen=True)
class GapVerdict:
    name: str
    verdict: str
    """"OPEN on this server", "closed on this server", or why it was not checked."""
    what: str
    """The ledger's plain words."""

    @property
    def kind(self) -> str:
        """ "open", "closed" or "unknown": how the first page colours it."""
        for kind in ("open", "closed"):
            if self.verdict.lower().startswith(kind):
                return kind
        return "unknown"


@dataclass(frozen=True)
class RunSummary:
    target: str
    promises: list[Promise]
    gaps: list[GapVerdict]
    figures: list[tuple[str, str]]

    def tally(self) -> str:
        counts = [
            f"{sum(1 for p in self.promises if p.verdict == v)} {v}"
            for v in (HELD, BROKEN, NOT_CHECKED)
        ]
        return f"{len(self.promises)} promises: " + ", ".join(counts)

    def as_text(self) -> str:
        lines = [
            f"What MaiMBot promises, and what held ({self.tally()}):",
            f"  target: {self.target}",
        ]
        for promise in self.promises:
            lines.append(
                f"  {promise.verdict.upper():<16} {promise.capability}: {promise.sentence}"
            )
            lines += [f"{'':19}broke: {line}" for line in broken_lines(promise)]
            lines += [f"{'':19}not checked here: {line}" for line in skipped_lines(promise)]
        if self.gaps:
            lines.append("  Known gaps met:")
            lines += [f"    {g.verdict}: {g.what} ({g.name})" for g in self.gaps]
        lines.append("  Figures: " + "; ".join(f"{name} {value}" for name, value in self.figures))
        return "\n".join(lines)

    def properties(self) -> list[tuple[str, str]]:
        """Name and value pairs for a JUnit ``<properties>`` element."""
        props = [("target", self.target), ("promises", self.tally())]
        for promise in self.promises:
            detail = "; ".join([*broken_lines(promise), *skipped_lines(promise)])
            value = promise.verdict + (f": {detail}" if detail else "")
            props.append((f"promise: {promise.capability}", value))
        props += [(f"known gap: {g.name}", f"{g.verdict}: {g.what}") for g in self.gaps]
        props += [(f"figure: {name}", value) for name, value in self.figures]
        return props


def broken_lines(promise: Promise) -> list[str]:
    """Each broken scenario, with the known gap its failure shows."""
    return [
        outcome.title + "".join(f" (known gap: {name})" for name in outcome.gaps)
        for outcome in promise.broken
    ]


def skipped_lines(promise: Promise) -> list[str]:
    """Each reason scenarios were skipped, once, with how many."""
    return [f"{n} scenario{'s' if n > 1 else ''}: {reason}" for reason, n in promise.skip_reasons()]
