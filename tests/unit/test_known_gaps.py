"""Known gaps: named by tags, skipped only on request and with the gap as the reason."""

import pytest

from maimbot_acceptance.targets.known_gaps import GapLedger, gaps_of, skip_reason


def test_tags_name_the_gaps_and_a_typo_is_caught():
    assert gaps_of(["security", "known_gap.any_api_key"]) == ["any_api_key"]
    with pytest.raises(ValueError, match="unknown known gap"):
        gaps_of(["known_gap.any_apikey"])


def test_gap_scenarios_run_unless_skipping_is_asked_for():
    tags = ["known_gap.connection_id_takeover"]
    assert skip_reason(tags, "check") is None
    assert skip_reason(["security"], "skip") is None
    reason = skip_reason(tags, "skip")
    assert reason is not None
    assert "known gap connection_id_takeover" in reason and "-D known_gaps=skip" in reason


def test_the_summary_says_which_gaps_are_open_on_this_server():
    ledger = GapLedger()
    ledger.record(["known_gap.any_api_key"], "failed")
    ledger.record(["known_gap.any_api_key"], "passed")
    ledger.record(["known_gap.connection_id_takeover"], "passed")
    ledger.record(["security"], "failed")
    summary = "\n".join(ledger.summary())
    assert "any_api_key: OPEN on this server (1 failed, 1 passed)" in summary
    assert "connection_id_takeover: closed on this server (1 passed)" in summary
    assert GapLedger().summary() == []
