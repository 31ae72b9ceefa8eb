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
from .words import IN_ENGLISH, Words


def parse_exemptions(value: str) -> frozenset[str]:
    return frozenset(part.strip() for part in value.split(",") if part.strip())


def why_not_green(
    promises: list[Promise], exempt: frozenset[str], words: Words = IN_ENGLISH
) -> str | None:
    """One line saying what went unchecked and why; None when the run may be green."""
    selected = [(p, o) for p in promises for o in p.outcomes if o.selected]
    ran = [o for _, o in selected if o.status != "skipped"]
    if not selected:
        return words("nothing selected")
    if not ran:
        skipped = [o for p, o in selected if not _exempt(p, o, exempt)]
        if not skipped and selected:
            return None
        return words("nothing ran", selected=len(selected), reasons=_reasons(skipped, words))
    unchecked = [
        p
        for p in promises
        if p.selected
        and p.verdict == NOT_CHECKED
        and not all(_exempt(p, o, exempt) for o in p.outcomes if o.selected)
    ]
    if not unchecked:
        return None
    said = words("details joiner").join(
        words("capability, why", name=p.capability, reasons=_reasons(p.outcomes, words))
        for p in unchecked
    )
    key = "capability not checked" if len(unchecked) == 1 else "capabilities not checked"
    return words(key, count=len(unchecked), said=said)


def _exempt(promise: Promise, outcome: Outcome, exempt: frozenset[str]) -> bool:
    # (a capability is named by its title in the run's language, or its English twin's)
    said = [promise.capability, promise.english, *(f"@{tag}" for tag in outcome.tags)]
    return any(fnmatch.fnmatchcase(name, pattern) for name in said for pattern in exempt)


def _reasons(outcomes: Iterable[Outcome], words: Words) -> str:
    counts = Counter(o.reason for o in outcomes if o.selected)
    return words("list joiner").join(
        words("count of reason", count=n, reason=words.phrase(reason))
        for reason, n in counts.most_common()
    )
