"""The sweep of wrong inputs and faults (sweep.py): each case ends in a correct verdict,
or one line naming the cause, with no traceback, within its bound."""

from __future__ import annotations

import pytest

from .sweep import CASES, Case, try_case


def test_the_sweep_has_at_least_80_cases() -> None:
    assert len(CASES) >= 80
    assert len({case.name for case in CASES}) == len(CASES), "two cases of one name"


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_a_wrong_input_or_a_fault_gets_a_verdict_or_one_line_naming_it(case: Case) -> None:
    outcome, seen = try_case(case)
    assert outcome == "ok", f"{case.name}: {outcome}\n{seen.error}\n{seen.said[-3000:]}"
