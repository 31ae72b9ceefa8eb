"""The first page's figures of keys taken back: shown only where some were, merged across
the processes of a parallel run."""

from __future__ import annotations

from dataclasses import asdict

from maimbot_acceptance.reports.figures import RunFigures


def test_a_run_that_took_no_key_back_shows_no_revocation_figure():
    names = [name for name, _ in RunFigures().rows()]
    assert not any("revoked" in name for name in names)


def test_the_slowest_refusal_and_what_became_of_open_connections_are_shown():
    figures = RunFigures(
        revoked_key_refused=[0.004, 0.012], closed_on_revocation=[0.002], kept_on_revocation=1
    )
    rows = dict(figures.rows())
    assert rows["revoked key refused"] == "within 12.0 ms of its revocation (the slowest of 2)"
    assert rows["connection open when its key was revoked"] == (
        "closed, saying why, in 1, within 2.0 ms; kept open in 1 (of 2)"
    )


def test_two_processes_figures_merge_and_survive_the_record():
    one = RunFigures(revoked_key_refused=[0.1], kept_on_revocation=2)
    other = RunFigures(**asdict(RunFigures(revoked_key_refused=[0.2], closed_on_revocation=[1.5])))
    merged = one.merged(other)
    assert merged.revoked_key_refused == [0.1, 0.2]
    assert (merged.closed_on_revocation, merged.kept_on_revocation) == ([1.5], 2)
