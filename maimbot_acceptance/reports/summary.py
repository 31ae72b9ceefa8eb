"""The run's summary for a product owner: what was judged, the promises and their
verdicts, the known gaps met, the figures. One model, told three ways: the report's
first page (``front_page``), the end of the console run, and JUnit properties.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from .promises import BROKEN, HELD, HELD_IN_PART, NOT_APPLICABLE, NOT_CHECKED, Promise
from .words import IN_ENGLISH, Words, padded

WIDTH = 120
"""The console's width, as behave's own lines keep to it (show_source off)."""


@dataclass(frozen=True)
class GapVerdict:
    name: str
    verdict: str
    """"OPEN on this server", "closed on this server", "not judged here: ...", or why it
    was not checked."""
    what: str
    """The ledger's plain words."""
    colour: str = ""
    """ "open", "closed" or "unknown" (empty: read from an English verdict)."""

    @property
    def kind(self) -> str:
        """ "open", "closed" or "unknown": how the first page colours it."""
        if self.colour:
            return self.colour
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
        return self.title_in(IN_ENGLISH)

    def title_in(self, words: Words) -> str:
        if self.rehearsal:
            return words("title, rehearsal")
        return words("title, deployment", date=self.date)

    def lines(self, words: Words = IN_ENGLISH) -> list[str]:
        """The lines under the title, in words."""
        if self.rehearsal:
            return [
                words("target, rehearsal", target=self.target, date=self.date),
                words("rehearsal, said"),
            ]
        told = self.told or words("tells no version")
        return [words("target, deployment", target=self.target, date=self.date, told=told)]


@dataclass(frozen=True)
class RunSummary:
    judged: Judged
    promises: list[Promise]
    gaps: list[GapVerdict]
    figures: list[tuple[str, str]]
    words: Words = IN_ENGLISH
    """The language the run's readers are told it in."""
    ended: str = ""
    """How the run ended, when it was cut short or the suite erred (run_end.py), in words."""

    def tally(self) -> str:
        count = {v: sum(1 for p in self.promises if p.verdict == v) for v in VERDICTS}
        tally = self.words(
            "tally",
            total=len(self.promises),
            held=count[HELD],
            held_in_part=count[HELD_IN_PART],
            broken=count[BROKEN],
            not_checked=count[NOT_CHECKED],
        )
        if count[NOT_APPLICABLE]:
            tally += self.words("tally, not applicable", count=count[NOT_APPLICABLE])
        return tally

    def details(self, promise: Promise) -> list[str]:
        """What went wrong or unchecked, each line with its prefix ("broke: ...")."""
        words = self.words
        return [
            *(words("broke", line=line) for line in broken_lines(promise, words)),
            *(words("not checked because", line=line) for line in skipped_lines(promise, words)),
        ]

    def ended_line(self) -> str:
        return self.words("said of", name=self.words("run ended"), value=self.ended)

    def as_text(self) -> str:
        words, judged = self.words, self.judged
        lines = [judged.title_in(words), *(f"  {x}" for x in judged.lines(words))]
        if self.ended:
            lines += textwrap.wrap(
                self.ended_line(), WIDTH, initial_indent="  ", subsequent_indent="    "
            )
        lines.append(f"  {self.tally()}")
        for promise in self.promises:
            verdict = words.verdict(promise.verdict)
            if promise.verdict == NOT_APPLICABLE:
                verdict = words("not applicable, short")
            shown = verdict.upper() if verdict.isascii() else verdict
            lines.append(f"  {padded(shown, 16)} {promise.capability}")
            details = self.details(promise)
            if promise.verdict in (HELD_IN_PART, NOT_APPLICABLE):  # (said in full)
                details.insert(0, promise.verdict_in(words))
            for detail in details:
                lines += textwrap.wrap(
                    detail, WIDTH, initial_indent=" " * 19, subsequent_indent=" " * 21
                )
        if self.gaps:
            lines.append(f"  {words('gaps met, console')}")
            lines += [f"    {words('said of', name=g.name, value=g.verdict)}" for g in self.gaps]
        lines.append(f"  {words('figures, console')}")
        lines += [f"    {words('said of', name=n, value=v)}" for n, v in self.figures]
        return "\n".join(lines)

    def properties(self) -> list[tuple[str, str]]:
        """Name and value pairs for a JUnit ``<properties>`` element."""
        words, judged = self.words, self.judged
        props = [
            (words("property judged"), judged.title_in(words)),
            (words("property target"), judged.target),
            (words("property date"), judged.date),
        ]
        if self.ended:
            props.append((words("run ended"), self.ended))
        if judged.told:
            props.append((words("property target told"), judged.told))
        props.append((words("property promises"), self.tally()))
        for promise in self.promises:
            details = [*broken_lines(promise, words), *skipped_lines(promise, words)]
            value = promise.verdict_in(words)
            if details:
                value = words("said of", name=value, value=words("details joiner").join(details))
            props.append((words("property promise", name=promise.capability), value))
        props += [
            (
                words("property known gap", name=g.name),
                words("said of", name=g.verdict, value=g.what),
            )
            for g in self.gaps
        ]
        props += [(words("property figure", name=name), value) for name, value in self.figures]
        return props


VERDICTS = (HELD, HELD_IN_PART, BROKEN, NOT_CHECKED, NOT_APPLICABLE)


def broken_lines(promise: Promise, words: Words = IN_ENGLISH) -> list[str]:
    """Each broken scenario, with the known gap its failure shows."""
    return [
        outcome.title + "".join(words("with known gap", name=name) for name in outcome.gaps)
        for outcome in promise.broken
    ]


def skipped_lines(promise: Promise, words: Words = IN_ENGLISH) -> list[str]:
    """Each reason scenarios were skipped, once, with how many."""
    return [
        words("scenarios skipped", count=n, s="s" if n > 1 else "", reason=words.phrase(reason))
        for reason, n in promise.skip_reasons()
    ]
