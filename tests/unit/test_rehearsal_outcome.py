"""The outcome table holds a rehearsal's run to what the stack must show, and says
what did not match (no real stack here: runs as behave would have reported them)."""

from maimbot_acceptance.rehearsal.outcome import (
    ANSWERS_NOTHING,
    API_SERVER_REPLYING,
    FailsOnlyOnKnownGaps,
    ListenerLost,
    judge,
)
from maimbot_acceptance.rehearsal.suite_run import SuiteRun, known_gaps_of_scenarios, read_junit

STOPPED = "error: server_url=ws://127.0.0.1:1/ws: ... but answered nothing within reply_timeout"


def run(verdicts: dict[str, str], output: str = "", code: int = 1, seconds: float = 60) -> SuiteRun:
    failures = {name: f"why {name}" for name, v in verdicts.items() if v in ("failed", "error")}
    return SuiteRun(code, output, seconds, verdicts, failures)


def open_gaps(*gaps: str) -> str:
    return "\n".join(f"{gap}: OPEN on this server (1 failed where it shows)" for gap in gaps)


def test_a_stack_that_answers_nothing_must_stop_at_first_contact_in_one_quick_line():
    assert judge(run({}, f"USING RUNNER: x\n{STOPPED}\n", 2, 11), ANSWERS_NOTHING).matched
    # Within reply_timeout, first contact's grace for a late answer, and start-up.
    assert judge(run({}, STOPPED, 2, 41), ANSWERS_NOTHING).matched
    slow = judge(run({}, STOPPED, 2, 60), ANSWERS_NOTHING)
    assert not slow.matched and "took 60.0 s" in slow.mismatches[0]
    ran = judge(run({"A": "passed"}, "lots\nof lines", 1), ANSWERS_NOTHING)
    assert not ran.matched


def test_replying_api_server_must_fail_exactly_its_tabled_scenarios_with_their_gaps_open():
    known = API_SERVER_REPLYING.must_fail
    verdicts = {name: "failed" for name in known}
    verdicts["Alice asks Helper and Helper answers"] = "passed"
    gaps = open_gaps(*set(API_SERVER_REPLYING.must_fail.values()))
    assert judge(run(verdicts, gaps), API_SERVER_REPLYING).matched

    surprise = judge(run({**verdicts, "Alice asks Helper and Helper answers": "failed"}, gaps),
                     API_SERVER_REPLYING)  # fmt: skip
    assert surprise.mismatches == [
        "failed, not in the table: Alice asks Helper and Helper answers: "
        "why Alice asks Helper and Helper answers"
    ]
    private = "A question in a private chat is answered privately"
    healed = dict(verdicts, **{private: "passed"})
    assert (
        f"passed, expected failed: {private}"
        in judge(run(healed, gaps), API_SERVER_REPLYING).mismatches
    )
    in_chinese = "\n".join(f"    {gap}：在此服务器上未修复（OPEN）" for gap in set(known.values()))
    assert judge(run(verdicts, in_chinese), API_SERVER_REPLYING).matched
    assert (
        "the summary does not call any_api_key OPEN"
        in judge(run(verdicts, open_gaps("burst_partly_answered")), API_SERVER_REPLYING).mismatches
    )


def test_saas_kept_needs_enough_scenarios_and_a_known_gap_behind_every_failure():
    tagged = {name for name, gaps in known_gaps_of_scenarios().items() if gaps}
    untagged = {name for name, gaps in known_gaps_of_scenarios().items() if not gaps}
    gap_scenario, plain_scenario = sorted(tagged)[0], sorted(untagged)[0]
    gaps = sorted(known_gaps_of_scenarios()[gap_scenario])
    expected = FailsOnlyOnKnownGaps(at_least=2)
    verdicts = {gap_scenario: "failed", plain_scenario: "passed"}
    assert judge(run(verdicts, open_gaps(*gaps)), expected).matched
    assert not judge(run({gap_scenario: "failed"}, open_gaps(*gaps)), expected).matched
    without_gap = judge(run({**verdicts, plain_scenario: "failed"}, open_gaps(*gaps)), expected)
    assert without_gap.mismatches == [
        f"failed without a known gap called OPEN (tagged: none): {plain_scenario}: why "
        f"{plain_scenario}"
    ]
    not_open = judge(run(verdicts, "no summary"), expected)
    assert not_open.mismatches[0].startswith(
        f"failed without a known gap called OPEN (tagged: {', '.join(gaps)}): {gap_scenario}"
    )
    errored = judge(run({**verdicts, "X": "error"}, open_gaps(*gaps) + "\nTraceback"), expected)
    assert errored.mismatches[:2] == ["a traceback in the output", "errored: X: why X"]


def test_a_lost_listener_must_show_in_a_failed_run():
    said = "cannot connect ...: nothing is listening at 127.0.0.1:1 (connection refused)"
    assert judge(run({}, said, 2), ListenerLost()).matched
    in_a_scenario = SuiteRun(1, "0 scenarios passed, 1 failed", 20, {"A": "failed"}, {"A": said})
    assert judge(in_a_scenario, ListenerLost()).matched
    assert not judge(run({"A": "failed"}, "0 scenarios passed, 1 failed"), ListenerLost()).matched
    assert not judge(run({"A": "passed"}, "all fine", 0), ListenerLost()).matched


def test_what_follows_the_double_dash_goes_to_behave():
    """The documented way to hand behave more arguments (`-- --tags=@security`): with
    `-o -` first, progress keeps the console and a second formatter gets a file."""
    from maimbot_acceptance.rehearsal.__main__ import parse

    target, args = parse(["saas", "--maimbot-git", "/m", "--", "-o", "-", "--tags=@security"])
    assert (target.stack, target.mode) == ("saas", "kept")
    assert args.behave_args == ["-o", "-", "--tags=@security"]
    assert parse(["api_server", "--maimbot-git", "/m"])[1].behave_args == []


def test_a_chinese_run_is_read_by_its_scenarios_english_names(tmp_path):
    (tmp_path / "TESTS-x.xml").write_text(
        '<testsuite><testcase name="在私聊里提问，回答私下发给提问的人">'
        '<failure message="no reply"/></testcase>'
        '<testcase name="用户提问，智能体回答"/></testsuite>',
        encoding="utf-8",
    )
    verdicts, failures = read_junit(tmp_path)
    assert verdicts == {
        "A question in a private chat is answered privately": "failed",
        "A user asks an agent and gets a reply": "passed",
    }
    assert failures == {"A question in a private chat is answered privately": "no reply"}


def test_upstream_needs_its_broadcast_called_open_beside_the_saas_bar():
    from maimbot_acceptance.rehearsal.outcome import EXPECTED

    expected = EXPECTED[("upstream", "installed")]
    assert isinstance(expected, FailsOnlyOnKnownGaps) and expected.at_least == 30
    isolation = "Two tenants with agents of the same name never see each other's conversations"
    assert "platform_broadcast" in known_gaps_of_scenarios()[isolation]
    passed = {f"scenario {n}": "passed" for n in range(30)}
    shown = judge(run({**passed, isolation: "failed"}, open_gaps("platform_broadcast")), expected)
    assert shown.matched
    closed = judge(run({**passed, isolation: "passed"}, "no summary"), expected)
    assert closed.mismatches == ["the summary does not call platform_broadcast OPEN"]


def test_upstream_needs_no_git_dir_and_takes_a_version_and_a_python():
    from maimbot_acceptance.rehearsal.__main__ import parse

    target, _ = parse(["upstream", "--version", "1.3.14", "--python", "/usr/bin/python3.12"])
    assert (target.stack, target.mode, target.version) == ("upstream", "installed", "1.3.14")
    assert target.maimbot_git is None and str(target.python) == "/usr/bin/python3.12"
    target.check()


def test_a_python_below_3_12_is_refused_for_upstream_s_venv_in_one_line(tmp_path):
    import sys
    from pathlib import Path

    import pytest

    from maimbot_acceptance.errors import SettingsError
    from maimbot_acceptance.rehearsal.upstream import find_python, python_version

    ours = python_version(Path(sys.executable))
    assert ours == sys.version_info[:2]
    if ours < (3, 12):
        with pytest.raises(SettingsError, match=r"is 3\.\d+; maibot needs Python >= 3\.12"):
            find_python(Path(sys.executable))
    with pytest.raises(SettingsError, match=r"does not run; maibot needs Python >= 3\.12"):
        find_python(tmp_path / "no-python")


def test_saas_runs_the_features_in_parts_each_well_short_of_64_agents():
    """saas slows past 64 agents (slow_past_64_agents); every feature runs in one part."""
    from pathlib import Path

    from maimbot_acceptance.rehearsal.__main__ import PARTS
    from maimbot_acceptance.rehearsal.suite_run import ROOT, parts_of_the_suite

    every = sorted(p.relative_to(ROOT).as_posix() for p in Path(ROOT, "features").glob("*.feature"))
    parts = parts_of_the_suite(PARTS["saas"], [])
    assert len(parts) == PARTS["saas"] >= 2
    assert [feature for part in parts for feature in part] == every
    assert max(map(len, parts)) - min(map(len, parts)) <= 1
    # One part (behave's own choice of features) for api_server, or when told features.
    assert parts_of_the_suite(PARTS["api_server"], []) == [[]]
    assert parts_of_the_suite(2, ["features/chat_exchange.feature"]) == [[]]
    assert len(parts_of_the_suite(2, ["--tags=@security"])) == 2


def test_the_parts_of_a_run_are_judged_as_one():
    from maimbot_acceptance.rehearsal.suite_run import joined

    first = SuiteRun(0, "forged: OPEN", 100, {"A": "passed"}, {})
    second = SuiteRun(1, "burst: OPEN", 150, {"B": "failed"}, {"B": "why B"})
    whole = joined([first, second])
    assert (whole.returncode, whole.seconds) == (1, 250)
    assert whole.verdicts == {"A": "passed", "B": "failed"} and whole.failures == {"B": "why B"}
    assert "forged: OPEN" in whole.output and "burst: OPEN" in whole.output
    assert joined([first]) is first
