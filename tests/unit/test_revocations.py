"""Keys taken back: the scenario's words for each way, what a report says of an open
connection, and the first page's figures (shown only where keys were taken back, merged
across the processes of a parallel run)."""

from __future__ import annotations

from dataclasses import asdict

from maimbot_acceptance.reports.figures import RunFigures
from maimbot_acceptance.scenario.revocations import AFTER, HOW_IN_WORDS, Fate
from maimbot_acceptance.targets.provisioning import REVOCATIONS


def test_every_way_of_taking_a_key_back_has_its_words():
    assert sorted(HOW_IN_WORDS.values()) == sorted(REVOCATIONS) == sorted(AFTER)


def test_a_fate_says_closed_and_why_or_kept():
    closed = Fate("Alice -> Helper", "agent deleted", 0.0123, "api key 'k' was revoked", 2)
    assert closed.describe() == (
        "Alice -> Helper: closed 0.012 s after its agent was deleted, saying \"api key 'k' was "
        'revoked"'
    )
    silent = Fate("Alice -> Helper", "deleted", 0.5, "", 2)
    assert silent.describe().endswith("after the key was deleted, without a word")
    kept = Fate("Alice -> Helper", "expired", None, "", 2)
    assert kept.describe() == "Alice -> Helper: kept open (watched for 2 s after the key expired)"


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
