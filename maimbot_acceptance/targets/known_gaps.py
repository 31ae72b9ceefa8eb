"""Known gaps: what the suite demands and today's MaiMBot does not do.

A scenario tagged ``@known_gap.<name>`` specifies a security property that the real
server lacks (../shared/PROTOCOL.md). Against MaiMBot it fails, by design: the suite's
job is to say so, by name, not to hide it. With ``-D known_gaps=skip`` such scenarios
are skipped instead, with the gap as the reason (never dropped without a word). At the
end of a run a summary names each gap met and how its scenarios fared.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

TAG_PREFIX = "known_gap."

KNOWN_GAPS: dict[str, str] = {
    "any_api_key": (
        "MaiMBot accepts any non-empty api key: its on_auth is bool(api_key) "
        "(api_server branch, src/common/message/api.py)"
    ),
    "burst_partly_answered": (
        "MaiMBot treats most of a burst of messages as already read: of 10 sent within "
        "milliseconds it answered 2 to 4 (PROTOCOL.md)"
    ),
    "connection_id_takeover": (
        "maim_message 0.7.5's server trusts the connection id (x-uuid) a client chooses: "
        "a client presenting a live connection's id takes over that connection's replies"
    ),
}
"""Every gap a tag may name, with what is wrong and where."""


def gaps_of(tags: Iterable[str]) -> list[str]:
    """The known gaps a scenario's tags name; a name not in KNOWN_GAPS is a typo."""
    names = [tag.removeprefix(TAG_PREFIX) for tag in tags if tag.startswith(TAG_PREFIX)]
    unknown = [name for name in names if name not in KNOWN_GAPS]
    if unknown:
        known = ", ".join(sorted(KNOWN_GAPS))
        raise ValueError(f"unknown known gap(s) {', '.join(unknown)} in tags; known: {known}")
    return names


def skip_reason(tags: Iterable[str], policy: str) -> str | None:
    """Why to skip a scenario under ``-D known_gaps=<policy>``; None to run it."""
    gaps = gaps_of(tags)
    if policy != "skip" or not gaps:
        return None
    return "; ".join(f"known gap {name} ({KNOWN_GAPS[name]})" for name in gaps) + (
        ", skipped by -D known_gaps=skip"
    )


@dataclass
class GapLedger:
    """How the scenarios of each known gap ended, for the summary after the run."""

    outcomes: dict[str, Counter[str]] = field(default_factory=dict)

    def record(self, tags: Iterable[str], status: str) -> None:
        for name in gaps_of(tags):
            self.outcomes.setdefault(name, Counter())[status] += 1

    def summary(self) -> list[str]:
        if not self.outcomes:
            return []
        lines = ["Known gaps (scenarios tagged @known_gap.<name>; -D known_gaps=skip skips them):"]
        for name, counts in sorted(self.outcomes.items()):
            tally = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
            if counts.get("failed") or counts.get("error"):
                verdict = "OPEN on this server"
            elif set(counts) == {"passed"}:
                verdict = "closed on this server"
            elif set(counts) == {"skipped"}:
                verdict = "not checked (skipped)"
            else:
                verdict = "not fully checked"
            lines.append(f"  {name}: {verdict} ({tally}): {KNOWN_GAPS[name]}")
        return lines
