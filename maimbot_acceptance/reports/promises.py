"""What each capability promises, and whether this run saw it held.

A feature is a capability; its description opens with the promise (``specs``), and
the promise has clauses (``clauses``). Its verdict comes from its scenarios alone:
broken when one failed; held when the rest passed and every clause was checked by a
passing scenario; "held, 5 of 24 checked: <clause> was not checked here" when a
clause was not; "not checked here" when none ran, with the reasons they were skipped
(a skipped scenario is never counted as a pass, nor as 0).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from typing import Any

from ..targets.applicability import NOT_APPLICABLE_REASONS
from ..targets.known_gaps import KNOWN_GAPS, failed_step, gaps_of
from .clauses import Clause, clauses_of
from .languages import english_twin, in_english, same_step_in
from .specs import read_description
from .words import IN_ENGLISH, Words

HELD, HELD_IN_PART, BROKEN, NOT_CHECKED = "held", "held in part", "broken", "not checked here"
"""The kinds of verdict; a promise held in part says which clause was not checked."""
NOT_APPLICABLE = "not applicable to this kind of target"
"""No deployment of the target's kind can stage any of its scenarios (a server restart
against a deployment): not a check this run missed."""

BROKEN_STATUSES = {"failed", "error", "hook_error", "cleanup_error", "undefined", "pending"}
SUITE_ERROR = "not judged: it ended in an error of the suite itself"
"""The reason of a scenario that raised something other than an expectation (status
"error": the harness's own trouble), unless its failed step shows a known gap."""
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
    tags: tuple[str, ...] = ()
    where: str = ""
    """Its file and line: one scenario, whichever process of a parallel run ran it."""
    ended: str = ""
    """behave's status ("failed", "skipped", ...), for the known-gap ledger."""
    failed_step: str | None = None
    """The step that failed, as the English spec words it (known gaps read it)."""
    english_title: str = ""
    """The title of its English twin (clauses read it); empty: the title is English."""

    @property
    def selected(self) -> bool:
        """Whether the run meant to run it (tags left it in), whatever became of it."""
        return self.status != "skipped" or self.reason != NOT_SELECTED

    @property
    def not_applicable(self) -> bool:
        """Skipped because no target of this kind can stage it."""
        return self.status == "skipped" and self.reason in NOT_APPLICABLE_REASONS

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Outcome:
        return cls(**{**data, "gaps": tuple(data["gaps"]), "tags": tuple(data["tags"])})


NotRun = Callable[[Any], "str | None"]
"""Why a scenario the run never reached was not run (the run was cut short); None: it
was not selected."""


def _title(scenario: Any) -> str:
    return str(scenario.name).split(" -- @")[0].strip()


def outcome_of(
    scenario: Any, dialect: str | None = None, twin: Any = None, not_run: NotRun | None = None
) -> Outcome:
    """``twin``: the scenario's English twin, when it is written in another language."""
    title = _title(scenario)
    status = scenario.status.name
    twin = scenario if twin is None else twin
    step = same_step_in(twin, scenario, failed_step(scenario))
    tags = tuple(str(tag) for tag in scenario.effective_tags)  # (behave's Tag: not for JSON)
    where = str(getattr(scenario, "location", ""))
    english = _title(twin) if twin is not scenario else ""
    common = {
        "tags": tags,
        "where": where,
        "ended": status,
        "failed_step": step,
        "english_title": english,
    }
    if status in BROKEN_STATUSES:
        shown = tuple(
            name
            for name in gaps_of(tags, dialect)
            if step is not None and KNOWN_GAPS[name].shows(step)
        )
        if status != "failed" and not shown:
            return Outcome(title, "skipped", reason=SUITE_ERROR, **common)
        return Outcome(title, "broken", gaps=shown, **common)
    if status == "passed":
        return Outcome(title, "passed", **common)
    reason = getattr(scenario, "skip_reason", None)
    if not reason and not_run is not None:
        reason = not_run(scenario)
    reason = reason or NOT_SELECTED
    return Outcome(title, "skipped", reason=TARGET_SAID.sub("", reason), **common)


@dataclass(frozen=True)
class Promise:
    capability: str
    """The feature's title."""
    sentence: str
    outcomes: tuple[Outcome, ...]
    english: str = ""
    """The English twin's title (clauses are written by it); empty: the title is English."""

    @property
    def clauses(self) -> tuple[Clause, ...]:
        return clauses_of(self.english or self.capability, self.sentence)

    @property
    def unchecked_clauses(self) -> list[Clause]:
        """Clauses no passing scenario of the run checked."""
        passed = [o for o in self.outcomes if o.status == "passed"]
        return [
            clause
            for clause in self.clauses
            if not any(
                clause.checked_by_scenario(o.english_title or o.title, o.tags) for o in passed
            )
        ]

    @property
    def verdict(self) -> str:
        """HELD, HELD_IN_PART, BROKEN or NOT_CHECKED (``verdict_line`` says it in full)."""
        if any(o.status == "broken" for o in self.outcomes):
            return BROKEN
        if not any(o.status == "passed" for o in self.outcomes):
            selected = [o for o in self.outcomes if o.selected]
            if selected and all(o.not_applicable for o in selected):
                return NOT_APPLICABLE
            return NOT_CHECKED
        return HELD_IN_PART if self.unchecked_clauses else HELD

    @property
    def verdict_line(self) -> str:
        """The verdict as the reader sees it: "held, 5 of 24 checked: ... was not checked here"."""
        return self.verdict_in(IN_ENGLISH)

    def verdict_in(self, words: Words) -> str:
        """``verdict_line`` in the words of a language."""
        if self.verdict != HELD_IN_PART:
            return words.verdict(self.verdict)
        unchecked = self.unchecked_clauses
        return words(
            "held, some checked" if len(unchecked) == 1 else "held, some checked, clauses",
            checked=self.count("passed"),
            total=len(self.outcomes),
            missed=words("clause joiner").join(words.phrase(c.words) for c in unchecked),
        )

    @property
    def selected(self) -> bool:
        """Whether the run meant to check this capability at all (tags left some in)."""
        return any(o.selected for o in self.outcomes)

    @property
    def broken(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "broken"]

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    def skip_reasons(self) -> list[tuple[str, int]]:
        """Why scenarios were not checked, each reason once, with how many."""
        return Counter(o.reason for o in self.outcomes if o.status == "skipped").most_common()

    def as_json(self) -> dict[str, Any]:
        return {
            "capability": self.capability,
            "sentence": self.sentence,
            "outcomes": [o.as_json() for o in self.outcomes],
            "english": self.english,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Promise:
        outcomes = tuple(Outcome.from_json(o) for o in data["outcomes"])
        return cls(data["capability"], data["sentence"], outcomes, data.get("english", ""))


def promise_of(feature: Any, dialect: str | None = None, not_run: NotRun | None = None) -> Promise:
    text = read_description(feature.description)
    twin, english = english_twin(feature), in_english(feature)
    outcomes = tuple(outcome_of(s, dialect, english(s), not_run) for s in feature.walk_scenarios())
    return Promise(feature.name, text.promise or feature.name, outcomes, twin.name if twin else "")


def promises_of(
    features: Iterable[Any], dialect: str | None = None, not_run: NotRun | None = None
) -> list[Promise]:
    """One promise per feature of the run, in the order behave ran them; a failure shows
    only the known gaps of the target's ``dialect`` (None: any); ``not_run`` says why a
    selected scenario was never reached."""
    return [promise_of(feature, dialect, not_run) for feature in features]
