"""Scenarios the target cannot stage are skipped with the reason, not failed.

Before a scenario runs, its tags decide (:class:`Applicability`):

* ``@use.with_server=reference`` needs the reference server's deterministic agents;
* ``@use.with_server_control=embedded`` needs a server the suite runs itself (to stop,
  kill and restart it);
* ``@use.with_dialect=api_server`` (or ``=saas``) states a promise only that MaiMBot's
  dialect has the means to keep or break (api_server's default tenant; a saas key that
  was never minted); the reference server in its default dialect counts as api_server;
* ``@known_gap.<name>`` is skipped under ``-D known_gaps=skip`` (see known_gaps.py);
* ``@heavy`` (a big grid) runs against the embedded server, and against a deployment
  only with ``-D heavy=run``: replying MaiMBot went on answering the 10x5 grid for
  minutes after it ended, to connections already closed, and the scenarios after it
  timed out. The suite cannot see from outside when a server is idle again, so it
  leaves such load out rather than wait for a moment it cannot observe.

While it runs: against a cast, a scenario may need a tenant or agent the deployment
does not have (the generated Tenant1..N of the concurrency scenario, a second tenant
for an isolation check). That is no fault of the server: the provisioner raises
NotApplicable, and the scenario is reported skipped with its text as the reason.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from behave.model_core import Status
from behave.tag_matcher import ActiveTagMatcher

from ..errors import NotApplicable
from . import known_gaps
from .fixtures import Target

SKIP_REASONS = {
    "server": "needs the reference server's deterministic agents; the target is {target}",
    "server_control": (
        "needs a server the suite runs itself, to stop, kill and restart it "
        "(the embedded reference server); the target is {target}"
    ),
    "dialect": "is about another MaiMBot dialect than the target's; the target is {target}",
}
"""Why a scenario whose active tag (``use.with_<category>=<value>``) does not hold is
skipped, by category."""
NOT_APPLICABLE_REASONS = frozenset(
    reason.removesuffix("; the target is {target}") for reason in SKIP_REASONS.values()
)
"""Those reasons as the reports keep them (without the target): no target of this kind
can stage such a scenario, whatever the user does, so a capability that has only these
is not applicable here rather than left unchecked."""


HEAVY_REASON = (
    "heavy load, left out against a deployment (it may keep the server busy for minutes "
    "and fail the scenarios after it); -D heavy=run runs it; the target is {target}"
)


class Applicability:
    """Which scenarios this run's target can stage, and why not the others."""

    def __init__(self, target: Target, known_gaps_policy: str, heavy: str = "auto") -> None:
        self.target = target
        self.known_gaps_policy = known_gaps_policy
        self.runs_heavy = heavy == "run" or (heavy == "auto" and target.control is not None)
        self.values = {
            "server": target.kind,
            "server_control": "embedded" if target.control else "none",
            "dialect": known_gaps.JUDGES_GAPS_OF.get(target.dialect, target.dialect),
        }
        self._matcher = ActiveTagMatcher(self.values)

    def skip_reason(self, tags: Iterable[str]) -> str | None:
        """Why a scenario with these tags is not to run here; None to run it."""
        tags = list(tags)
        if self._matcher.should_skip_with_tags(tags):
            return self._active_tag_reason(tags)
        if "heavy" in tags and not self.runs_heavy:
            return HEAVY_REASON.format(target=self.target.describe())
        return known_gaps.skip_reason(tags, self.known_gaps_policy, self.target.dialect)

    def _active_tag_reason(self, tags: list[str]) -> str:
        for tag in tags:
            category, _, value = tag.removeprefix("use.with_").partition("=")
            if category in SKIP_REASONS and value != self.values[category]:
                return SKIP_REASONS[category].format(target=self.target.describe())
        return "its active tags do not match the target"


def skip_if_not_applicable(scenario: Any, step: Any) -> None:
    """Call after each step: turn its NotApplicable into a skip of the whole scenario.

    behave has no exception for "skip"; its documented way is ``scenario.skip()``
    from a step, which the harness (deep below the steps) cannot call. So the step's
    error is undone here and the scenario skipped instead (later steps do not run).
    """
    if isinstance(getattr(step, "exception", None), NotApplicable):
        step.status = Status.skipped
        step.error_message = None
        scenario.skip(reason=str(step.exception))
