"""What a run concluded, as data: what was judged, each scenario's outcome by
capability, and the figures.

One behave process builds one at the end of its run. Under behavex each process runs
a share of the scenarios, so each keeps its record as JSON, and the last step of the
parallel run merges them into one (``merged``): the same first page, console summary,
JUnit properties and exit code as one process would have given.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from ..targets.known_gaps import KNOWN_GAPS, GapLedger
from .figures import RunFigures
from .promises import Outcome, Promise
from .summary import GapVerdict, Judged, RunSummary
from .words import Words

_COLOURS = {"gap open": "open", "gap closed": "closed"}
"""How the first page colours a gap's verdict, by its key."""

RANK = {"passed": 2, "broken": 2, "skipped": 1}
"""Which outcome of a scenario two processes both report wins: one that ran, over one
skipped for a reason, over one left out (a process runs only its share)."""


@dataclass(frozen=True)
class RunRecord:
    judged: Judged
    dialect: str
    """The target's dialect: "reference", "api_server" or "saas": whose known gaps the
    run meets (targets/known_gaps.py)."""
    promises: list[Promise]
    figures: RunFigures
    exempt: frozenset[str] = frozenset()
    """What ``-D may_go_unchecked`` let go unchecked (see green.py)."""
    language: str = "en"
    """The run's language: its specs', and its report's (words.py)."""
    ended: str = ""
    """How the run ended, when it was cut short or the suite erred (run_end.py)."""

    def summary(self) -> RunSummary:
        words = Words(self.language)
        return RunSummary(
            self.judged,
            self.promises,
            self.gap_verdicts(),
            self.figures.rows(words),
            words,
            self.ended,
        )

    def gap_verdicts(self) -> list[GapVerdict]:
        ledger = GapLedger(self.dialect)
        for promise in self.promises:
            for outcome in promise.outcomes:
                if outcome.selected:
                    ledger.record(outcome.tags, outcome.ended, outcome.failed_step)
        words = Words(self.language)
        return [
            GapVerdict(
                name,
                self._gap_verdict(ledger, name, words),
                words.phrase(KNOWN_GAPS[name].what),
                _COLOURS.get(ledger.verdict_key(name), "unknown")
                if not self.judged.rehearsal
                else "unknown",
            )
            for name in sorted(ledger.outcomes)
        ]

    def _gap_verdict(self, ledger: GapLedger, name: str, words: Words) -> str:
        if self.judged.rehearsal:
            # The reference server is not MaiMBot: passing there closes nothing.
            counts = words("list joiner").join(
                words("count of outcome", count=n, outcome=words.status(how))
                for how, n in sorted(ledger.outcomes[name].items())
            )
            return words("gap not judged", counts=counts)
        # (the ledger keeps only the dialect's own gaps)
        only = words.phrase(KNOWN_GAPS[name].shows_only)
        return words(ledger.verdict_key(name), where=ledger.where_failed(name), only=only)

    def as_json(self) -> dict[str, Any]:
        return {
            "judged": asdict(self.judged),
            "dialect": self.dialect,
            "promises": [p.as_json() for p in self.promises],
            "figures": asdict(self.figures),
            "exempt": sorted(self.exempt),
            "language": self.language,
            "ended": self.ended,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RunRecord:
        return cls(
            Judged(**data["judged"]),
            data["dialect"],
            [Promise.from_json(p) for p in data["promises"]],
            RunFigures(**data["figures"]),
            frozenset(data["exempt"]),
            data.get("language", "en"),
            data.get("ended", ""),
        )

    def merged(self, other: RunRecord) -> RunRecord:
        promises = {p.capability: p for p in self.promises}
        for promise in other.promises:
            mine = promises.get(promise.capability)
            promises[promise.capability] = (
                promise if mine is None else replace(mine, outcomes=_merged(mine, promise))
            )
        return replace(
            self,
            promises=list(promises.values()),
            figures=self.figures.merged(other.figures),
            exempt=self.exempt | other.exempt,
        )


def _merged(mine: Promise, theirs: Promise) -> tuple[Outcome, ...]:
    outcomes = {o.where: o for o in mine.outcomes}
    for outcome in theirs.outcomes:
        known = outcomes.get(outcome.where)
        if known is None or _rank(outcome) > _rank(known):
            outcomes[outcome.where] = outcome
    return tuple(outcomes.values())


def _rank(outcome: Outcome) -> int:
    return RANK[outcome.status] if outcome.selected else 0


def keep(record: RunRecord, directory: Path, name: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{name}.json"
    path.write_text(json.dumps(record.as_json(), ensure_ascii=False), encoding="utf-8")
    return path


def merge_kept(directory: Path) -> RunRecord | None:
    """All records kept in ``directory``, merged; None when no process kept one."""
    records = [
        RunRecord.from_json(json.loads(path.read_text(encoding="utf-8")))
        for path in sorted(directory.glob("*.json"))
    ]
    if not records:
        return None
    merged = records[0]
    for record in records[1:]:
        merged = merged.merged(record)
    # Features in file order, as a sequential run lists them.
    return replace(merged, promises=sorted(merged.promises, key=_first_file))


def _first_file(promise: Promise) -> str:
    return min((o.where for o in promise.outcomes), default="")
