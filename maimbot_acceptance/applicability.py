"""Scenarios the target cannot stage are skipped with the reason, not failed.

Against a cast, a scenario may need a tenant or agent the deployment does not have
(the generated Tenant1..N of the concurrency scenario, a second tenant for an
isolation check). That is no fault of the server: the provisioner raises
NotApplicable, and the scenario is reported skipped with its text as the reason.
"""

from __future__ import annotations

from typing import Any

from behave.model_core import Status

from .errors import NotApplicable


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
