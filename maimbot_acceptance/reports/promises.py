"""What each capability promises, and whether this run saw it held.

A feature is a capability; its description opens with the promise (``specs``). Its
verdict comes from its scenarios alone: broken when one failed, held when the rest
passed, "not checked here" when none ran, with the reasons they were skipped (a
skipped scenario is never counted as a pass, nor as 0).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..targets.known_gaps import KNOWN_GAPS, failed_step, gaps_of
from .specs import read_description

HELD, BROKEN, NOT_CHECKED = "held", "broken", "not checked here"

BROKEN_STATUSES = {"failed", "error", "hook_error", "cleanup_error", "undefined", "pending"}
NOT_SELECTED = "not selected for this run"
"""The reason of a scenario skipped without one: left out by tags (e.g. the soak)."""
TARGET_SAID = re.compile(r"; the target is .*$")
"""Skip reasons end naming the target (targets.applicability); the first page names it
once, above the promises."""


@dataclass(frozen=True)
class Outcome:
    """How one scenario ended."""

    title: str
    status: str  # "passed", "broken" or "skipped"
    reason: str = ""
    """Why it was skipped."""
    gaps: tuple[str, ...] = ()
    """The known gaps its failure shows (it failed at the step that shows them)."""


def outcome_of(scenario: Any, dialect: str | None = None) -> Outcome:
    title = scenario.name.split(" -- @")[0].strip()
    status = scenario.status.name
    if status in BROKEN_STATUSES:
        step = failed_step(scenario)
        shown = tuple(
            name
            for name in gaps_of(scenario.effective_tags, dialect)
            if step is not None and KNOWN_GAPS[name].shows(step)
        )
        return Outcome(title, "broken", gaps=shown)
    if status == "passed":
        return Outcome(title, "passed")
    reason = getattr(scenario, "skip_reason", None) or NOT_SELECTED
    return Outcome(title, "skipped", reason=TARGET_SAID.sub("", reason))


@dataclass(frozen=True)
class Promise:
    capability: str
    """The feature's title."""
    sentence: str
    outcomes: tuple[Outcome, ...]

    @property
    def verdict(self) -> str:
        if any(o.status == "broken" for o in self.outcomes):
            return BROKEN
        return HELD if any(o.status == "passed" for o in self.outcomes) else NOT_CHECKED

    @property
    def broken(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "broken"]

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    def skip_reasons(self) -> list[tuple[str, int]]:
        """Why scenarios were not checked, each reason once, with how many."""
        return Counter(o.reason for o in self.outcomes if o.status == "skipped").most_common()


def promise_of(feature: Any, dialect: str | None = None) -> Promise:
    text = read_description(feature.description)
    outcomes = tuple(outcome_of(s, dialect) for s in feature.walk_scenarios())
    return Promise(feature.name, text.promise or feature.name, outcomes)


def promises_of(features: Iterable[Any], dialect: str | None = None) -> list[Promise]:
    """One promise per feature of the run, in the order behave ran them; a failure shows
    only the known gaps of the target's ``dialect`` (None: any)."""
    return [promise_of(feature, dialect) for feature in features]
