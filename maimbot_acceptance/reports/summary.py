"""The run's summary for a product owner: what was judged, the promises and their
verdicts, the known gaps met, the figures. One model, told three ways: the report's
first page (``front_page``), the end of the console run, and JUnit properties.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from .promises import BROKEN, HELD, HELD_IN_PART, NOT_APPLICABLE, NOT_CHECKED, Promise
from .run_end import WORDS

WIDTH = 120
"""The console's width, as behave's own lines keep to it (show_source off)."""
NOT_JUDGED = "not judged here"
"""A known gap of MaiMBot met on a server that is not MaiMBot (the reference server)."""


@dataclass(frozen=True)
class GapVerdict:
    name: str
    verdict: str
    """"OPEN on this server", "closed on this server", "not judged here: ...", or why it
    was not checked."""
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
class Judged:
    """What the run judged: a rehearsal on the reference server, or a deployment."""

    rehearsal: bool
    target: str
    """The target in words (address, fault, how tenants were had)."""
    date: str
    """When the run ended, UTC (YYYY-MM-DD HH:MM)."""
    told: str = ""
    """What the target told about itself (its version), when it tells anything."""

    @property
    def title(self) -> str:
        if self.rehearsal:
            return "Rehearsal of the suite on its reference server: not a verdict on MaiMBot"
        return f"MaiMBot judged on {self.date}: what it promises, and what held"

    def lines(self) -> list[str]:
        """The lines under the title, in words."""
        if self.rehearsal:
            return [
                f"Target: {self.target}, {self.date}.",
                "A rehearsal of the suite on its own stand-in: every verdict below is "
                "the reference server's, not MaiMBot's.",
            ]
        told = self.told or "it tells no version"
        return [f"Target: {self.target}, {self.date}; {told}."]


@dataclass(frozen=True)
class RunSummary:
    judged: Judged
    promises: list[Promise]
    gaps: list[GapVerdict]
    figures: list[tuple[str, str]]
    ended: str = ""
    """How the run ended, when it was cut short or the suite erred (run_end.py)."""

    def tally(self) -> str:
        verdicts = [HELD, HELD_IN_PART, BROKEN, NOT_CHECKED]
        if any(p.verdict == NOT_APPLICABLE for p in self.promises):
            verdicts.append(NOT_APPLICABLE)
        counts = [f"{sum(1 for p in self.promises if p.verdict == v)} {v}" for v in verdicts]
        return f"{len(self.promises)} promises: " + ", ".join(counts)

    def as_text(self) -> str:
        lines = [self.judged.title, *(f"  {x}" for x in self.judged.lines())]
        if self.ended:
            lines += textwrap.wrap(
                f"{WORDS['run ended']}: {self.ended}", WIDTH, initial_indent="  ",
                subsequent_indent="    ",
            )  # fmt: skip
        lines.append(f"  {self.tally()}")
        for promise in self.promises:
            verdict = promise.verdict.upper()
            if promise.verdict == NOT_APPLICABLE:
                verdict = WORDS["not applicable, short"]
            lines.append(f"  {verdict:<16} {promise.capability}")
            details = [f"broke: {line}" for line in broken_lines(promise)]
            if promise.verdict == NOT_APPLICABLE:
                details.append(promise.verdict)
            details += [f"not checked here: {line}" for line in skipped_lines(promise)]
            if promise.verdict_line != promise.verdict:
                details.insert(0, promise.verdict_line)
            for detail in details:
                lines += textwrap.wrap(
                    detail, WIDTH, initial_indent=" " * 19, subsequent_indent=" " * 21
                )
        if self.gaps:
            lines.append("  Known gaps of MaiMBot met (tagged @known_gap.<name>):")
            lines += [f"    {g.name}: {g.verdict}" for g in self.gaps]
        lines.append("  Figures:")
        lines += [f"    {name}: {value}" for name, value in self.figures]
        return "\n".join(lines)

    def properties(self) -> list[tuple[str, str]]:
        """Name and value pairs for a JUnit ``<properties>`` element."""
        props = [
            ("judged", self.judged.title),
            ("target", self.judged.target),
            ("date", self.judged.date),
        ]
        if self.ended:
            props.append((WORDS["run ended"], self.ended))
        if self.judged.told:
            props.append(("target told", self.judged.told))
        props.append(("promises", self.tally()))
        for promise in self.promises:
            detail = "; ".join([*broken_lines(promise), *skipped_lines(promise)])
            value = promise.verdict_line + (f": {detail}" if detail else "")
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
