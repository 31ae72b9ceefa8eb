"""The sweep of wrong inputs and faults (sweep_cases.py, run by sweep.py): each case
ends in a correct verdict, or one line naming the cause, with no traceback, within its
bound."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from .sweep import Case, Seen
from .sweep_cases import CASES, try_case

SIDE_BY_SIDE = 3
"""Cases run at once: most of a case's time is waiting (a signal's moment, a timeout),
so three at a time take a third of the time on two cores, within every case's bound."""


def test_the_sweep_has_at_least_80_cases() -> None:
    assert len(CASES) >= 80
    assert len({case.name for case in CASES}) == len(CASES), "two cases of one name"


@pytest.fixture(scope="module")
def outcomes(request: pytest.FixtureRequest) -> dict[str, tuple[str, Seen]]:
    """Every selected case's outcome, the cases run side by side."""
    selected = {
        item.callspec.params["case"].name
        for item in request.session.items
        if "case" in getattr(getattr(item, "callspec", None), "params", {})
    }
    cases = [case for case in CASES if case.name in selected]
    with ThreadPoolExecutor(SIDE_BY_SIDE) as pool:
        return dict(zip((case.name for case in cases), pool.map(try_case, cases), strict=True))


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_a_wrong_input_or_a_fault_gets_a_verdict_or_one_line_naming_it(
    case: Case, outcomes: dict[str, tuple[str, Seen]]
) -> None:
    outcome, seen = outcomes[case.name]
    assert outcome == "ok", f"{case.name}: {outcome}\n{seen.error}\n{seen.said[-3000:]}"
