"""Whether a run may end green: it must have checked something, and every capability
it selected (tags left some of its scenarios in) must have been checked at least in
part. Skipped is not passed: a cast with a typo skips every scenario, and a CI stage
must not go green on that.

``-D may_go_unchecked`` names what may go unchecked without failing the run:
capabilities (a feature's title) or tags (``@heavy``), comma-separated; ``*`` stands
for any text (``@known_gap.*``).
"""

from __future__ import annotations

import fnmatch
from collections import Counter
from collections.abc import Iterable

from .promises import NOT_CHECKED, Outcome, Promise
from .run_end import WORDS

KNOB = "may_go_unchecked"


def parse_exemptions(value: str) -> frozenset[str]:
    return frozenset(part.strip() for part in value.split(",") if part.strip())


def why_not_green(promises: list[Promise], exempt: frozenset[str]) -> str | None:
    """One line saying what went unchecked and why; None when the run may be green."""
    selected = [(p, o) for p in promises for o in p.outcomes if o.selected]
    ran = [o for _, o in selected if o.status != "skipped"]
    if not selected:
        return WORDS["nothing selected"]
    if not ran:
        skipped = [o for p, o in selected if not _exempt(p, o, exempt)]
        if not skipped and selected:
            return None
        return (
            f"not green: no scenario ran ({len(selected)} selected, all skipped: "
            f"{_reasons(skipped)}); -D {KNOB}=<capability or @tag> says that is expected"
        )
    unchecked = [
        p
        for p in promises
        if p.selected
        and p.verdict == NOT_CHECKED
        and not all(_exempt(p, o, exempt) for o in p.outcomes if o.selected)
    ]
    if not unchecked:
        return None
    said = "; ".join(
        f"{p.capability} ({_reasons(o for o in p.outcomes if o.selected)})" for p in unchecked
    )
    were = "capability was" if len(unchecked) == 1 else "capabilities were"
    return (
        f"not green: {len(unchecked)} selected {were} not checked at all: {said}; "
        f"-D {KNOB}=<capability or @tag> says that is expected"
    )


def _exempt(promise: Promise, outcome: Outcome, exempt: frozenset[str]) -> bool:
    said = [promise.capability, *(f"@{tag}" for tag in outcome.tags)]
    return any(fnmatch.fnmatchcase(name, pattern) for name in said for pattern in exempt)


def _reasons(outcomes: Iterable[Outcome]) -> str:
    counts = Counter(o.reason for o in outcomes)
    return ", ".join(f"{n} {reason}" for reason, n in counts.most_common())
