"""The suite proves it can fail: each fault of the reference server is caught by the
scenario that names the behaviour, and the correct server passes the same features."""

from __future__ import annotations

import re
import time

import pytest

from maimbot_acceptance.server.faults import FAULTS

from . import kill_matrix
from .kill_matrix import (
    CORRECT_PLAIN_SERVER,
    CORRECT_SAAS_SERVER,
    CORRECT_SERVER,
    MATRIX,
    PLAIN_MATRIX,
    SAAS_MATRIX,
    Kill,
    Run,
)

PRINTED: list[str] = []
"""The matrix, printed by conftest.py at the end of the pytest run."""


@pytest.fixture(scope="module")
def runs() -> dict[str, Run]:
    started = time.monotonic()
    done = kill_matrix.run_all(
        [
            CORRECT_SERVER,
            *MATRIX,
            CORRECT_SAAS_SERVER,
            *SAAS_MATRIX,
            CORRECT_PLAIN_SERVER,
            *PLAIN_MATRIX,
        ]
    )
    PRINTED.append(kill_matrix.table(done, time.monotonic() - started))
    return {each.kill.name: each for each in done}


@pytest.mark.parametrize(
    "correct",
    [CORRECT_SERVER, CORRECT_SAAS_SERVER, CORRECT_PLAIN_SERVER],
    ids=["reference", "saas", "plain"],
)
def test_the_correct_server_passes_every_feature_of_the_matrix(runs, correct: Kill):
    run = runs[correct.name]
    assert run.returncode == 0 and not run.problems(), run.output


@pytest.mark.parametrize("kill", MATRIX + SAAS_MATRIX + PLAIN_MATRIX, ids=lambda kill: kill.name)
def test_the_fault_is_caught_by_the_scenario_that_names_it(runs, kill):
    caught = runs[kill.name]
    assert caught.problems() == [], caught.output


def test_every_fault_of_the_server_is_in_the_matrix():
    assert sorted(kill.fault for kill in MATRIX) == sorted(FAULTS)


@pytest.mark.parametrize(
    ("marked", "matrix"), [("", MATRIX), (" (saas)", SAAS_MATRIX)], ids=["reference", "saas"]
)
def test_the_documented_faults_table_is_the_matrix(marked: str, matrix: tuple[Kill, ...]):
    """docs/faults.md lists each fault with the scenarios it fails; a row of the saas
    dialect's matrix is marked "(saas)"."""
    table = (kill_matrix.ROOT / "docs" / "faults.md").read_text(encoding="utf-8")
    row = rf"^\| `([a-z-]+)`{re.escape(marked)} \| (.+?) \|$"
    rows = re.findall(row, table, re.MULTILINE)
    assert {fault for fault, _ in rows} == {kill.fault for kill in matrix}
    for fault, scenarios in rows:
        kill = next(k for k in matrix if k.fault == fault)
        for expected in kill.must_fail:
            assert expected in scenarios, f"docs/faults.md{marked} row {fault} lacks {expected!r}"
