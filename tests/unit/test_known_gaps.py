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
    ledger.record(["known_gap.any_api_key"], "failed", "Then Mallory is refused within 1 second")
    ledger.record(["known_gap.any_api_key"], "passed")
    ledger.record(["known_gap.connection_id_takeover"], "passed")
    ledger.record(["security"], "failed", "Then Mallory is refused within 1 second")
    summary = "\n".join(ledger.summary())
    assert "any_api_key: OPEN on this server (1 passed, 1 failed where it shows)" in summary
    assert "connection_id_takeover: closed on this server (1 passed)" in summary
    assert GapLedger().summary() == []


def test_a_gap_is_open_only_when_its_scenario_failed_at_a_step_that_shows_it():
    """A server that answers nothing fails the burst scenario before the burst."""
    deaf, partial = GapLedger(), GapLedger()
    tags = ["known_gap.burst_partly_answered"]
    deaf.record(tags, "failed", 'Given Alice has asked Helper "Hello" and got a reply')
    partial.record(tags, "failed", "Then Alice gets 50 replies from Helper, one per message")
    assert deaf.verdict("burst_partly_answered").startswith("not shown here")
    assert "Alice has asked Helper" in deaf.verdict("burst_partly_answered")
    assert partial.verdict("burst_partly_answered") == "OPEN on this server"


def test_an_error_in_a_hook_shows_no_gap():
    ledger = GapLedger()
    ledger.record(["known_gap.any_api_key"], "error", None)
    assert ledger.verdict("any_api_key").startswith("not shown here")


@pytest.mark.parametrize(
    ("gap", "step"),
    [
        ("any_api_key", "Then Mallory is refused within 1 second, told why in one line"),
        ("burst_partly_answered", "Then Alice gets 50 replies from Helper, one per message"),
        ("connection_id_takeover", "And Eve receives nothing"),
        ("private_chats_unanswered", "Then Alice gets a reply from Helper"),
        ("private_chats_unanswered", "When Alice tells Helper a code word in private, over"),
        ("private_chats_unanswered", "When Alice teaches Helper a code word in private"),
        ("colliding_person_unanswered", 'And Bob asks Helper in private "What do you know?"'),
        ("unprefixed_key_is_default_tenant", "And Dora receives nothing"),
        ("slow_past_64_agents", "Then Alice gets a reply from Helper in the same chat"),
        ("slow_past_64_agents", 'Given Alice has asked Helper "Hello" and got a reply'),
    ],
)
def test_each_gap_names_the_steps_of_its_features_that_show_it(gap, step):
    from maimbot_acceptance.targets.known_gaps import KNOWN_GAPS

    assert KNOWN_GAPS[gap].shows(step)


def test_a_gap_that_shows_only_past_a_point_is_not_closed_by_passing():
    """saas slows past 64 agents: a run that passed short of that checked nothing of it."""
    short, past = GapLedger("saas"), GapLedger("saas")
    tags = ["known_gap.slow_past_64_agents"]
    short.record(tags, "passed")
    past.record(tags, "passed")
    past.record(tags, "failed", "Then Alice gets a reply from Helper in the same chat")
    verdict = short.verdict("slow_past_64_agents")
    assert verdict.startswith("not shown here: its scenarios passed")
    assert "more than 64 agents" in verdict
    assert past.verdict("slow_past_64_agents") == "OPEN on this server"
    refused = GapLedger("saas")
    refused.record(tags, "failed", "Then Mallory is refused within 1 second")
    assert refused.verdict("slow_past_64_agents").startswith("not shown here: its scenarios failed")


def test_a_gap_of_another_maimbot_is_neither_open_nor_closed():
    """A run judges only the gaps of its target's dialect; the reference server in its
    default dialect stands for api_server."""
    tags = ["known_gap.any_api_key", "known_gap.forged_key_accepted"]
    step = "Then Mallory is refused within 1 second, told why in one line"
    on_saas, on_reference = GapLedger("saas"), GapLedger("reference")
    on_saas.record(tags, "failed", step)
    on_reference.record(tags, "passed")
    assert set(on_saas.outcomes) == {"forged_key_accepted"}
    assert set(on_reference.outcomes) == {"any_api_key"}
    assert gaps_of(tags, "api_server") == ["any_api_key"]
    assert skip_reason(tags, "skip", "saas") == skip_reason(tags[1:], "skip")
