"""The records of a parallel run's processes merge into the record of one run."""

from __future__ import annotations

import json
from pathlib import Path

from maimbot_acceptance.reports.figures import RunFigures
from maimbot_acceptance.reports.promises import NOT_SELECTED, Outcome, Promise
from maimbot_acceptance.reports.run_record import RunRecord, keep, merge_kept
from maimbot_acceptance.reports.summary import Judged

JUDGED = Judged(True, "the embedded reference server the suite started", "2026-12-03 10:00 UTC")


def outcome(where: str, status: str, reason: str = "") -> Outcome:
    return Outcome(f"scenario at {where}", status, reason=reason, where=where, ended=status)


def record(started: float, ended: float, *outcomes: Outcome, latency: float) -> RunRecord:
    figures = RunFigures(2, 0, 1, 1, [latency], started=started, ended=ended)
    return RunRecord(JUDGED, "reference", [Promise("A chat exchange", "p.", outcomes)], figures)


def test_each_scenario_counts_as_the_process_that_ran_it_saw_it(tmp_path: Path):
    first = record(
        100.0,
        160.0,
        outcome("f.feature:3", "passed"),
        outcome("f.feature:9", "skipped", NOT_SELECTED),
        latency=0.1,
    )
    second = record(
        101.0,
        150.0,
        outcome("f.feature:3", "skipped", NOT_SELECTED),
        outcome("f.feature:9", "broken"),
        latency=0.3,
    )
    keep(first, tmp_path, "a")
    keep(second, tmp_path, "b")
    merged = merge_kept(tmp_path)
    assert merged is not None
    [promise] = merged.promises
    assert [o.status for o in promise.outcomes] == ["passed", "broken"]
    assert merged.figures.wall_time() == 60.0
    assert (merged.figures.connected, merged.figures.latencies) == (4, [0.1, 0.3])
    assert RunRecord.from_json(json.loads(json.dumps(merged.as_json()))) == merged


def test_no_record_kept_is_no_run(tmp_path: Path):
    assert merge_kept(tmp_path) is None
