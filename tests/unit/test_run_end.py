"""How a run ended is told apart from what it judged: a harness error, a capability no
target of the kind can stage, a run cut short, are none of them a broken promise."""

from __future__ import annotations

from enum import Enum

from maimbot_acceptance.reports.front_page import front_page
from maimbot_acceptance.reports.green import why_not_green
from maimbot_acceptance.reports.promises import (
    BROKEN,
    NOT_APPLICABLE,
    NOT_CHECKED,
    SUITE_ERROR,
    promise_of,
)
from maimbot_acceptance.reports.run_end import EXIT_CODES, RunEnd, Stop
from maimbot_acceptance.reports.summary import Judged, RunSummary
from maimbot_acceptance.reports.words import IN_ENGLISH, Words
from maimbot_acceptance.targets.applicability import SKIP_REASONS

from .test_promises import PASSED, FakeFeature, FakeScenario, Status

Ended = Enum("Ended", "error")
"""behave's status of a scenario that raised something else than an expectation."""
NO_DEPLOYMENT_CAN = FakeScenario(
    "The server restarts under Alice",
    Status.skipped,
    skip_reason=SKIP_REASONS["server_control"].format(target="maimbot server at ws://mai/ws"),
)


def test_a_harness_error_is_not_a_broken_promise_but_says_it_was_not_judged():
    errored = FakeScenario("A user asks and gets a reply", Ended.error)  # type: ignore[arg-type]
    promise = promise_of(FakeFeature("Chat", [errored]))
    assert promise.verdict == NOT_CHECKED
    assert dict(promise.skip_reasons()) == {SUITE_ERROR: 1}


def test_what_no_target_of_the_kind_can_stage_is_not_applicable_and_not_unchecked():
    promise = promise_of(FakeFeature("The server restarts", [NO_DEPLOYMENT_CAN]))
    assert promise.verdict == NOT_APPLICABLE
    assert why_not_green([promise, promise_of(FakeFeature("Chat", [PASSED]))], frozenset()) is None
    summary = RunSummary(Judged(False, "a deployment", "2026-12-07"), [promise], [], [])
    assert "1 not applicable to this kind of target" in summary.tally()
    assert 'class="not-applicable"' in front_page(summary)


def test_a_scenario_never_reached_says_why_the_run_was_cut_short():
    never = FakeScenario("A burst", Status.untested)
    promise = promise_of(FakeFeature("Bursts", [never]), not_run=lambda s: "not run: because")
    assert promise.verdict == NOT_CHECKED
    assert dict(promise.skip_reasons()) == {"not run: because": 1}
    assert promise.verdict != BROKEN


class _Runner:
    aborted = False

    def abort(self, reason: str) -> None:
        self.aborted = True


def test_each_end_has_its_own_line_and_exit_code():
    run_end = RunEnd(_Runner())
    assert run_end.exit_code() is None and run_end.line(10, 0, False) is None
    assert run_end.line(10, 4, True) == IN_ENGLISH("stopped", done=6, selected=10)
    run_end.stop = Stop("target lost", 10.3, problem="server_url=ws://h:1/ws: refused")
    assert run_end.line(79, 29, False).startswith(
        "the target stopped answering at 10.3 s (server_url=ws://h:1/ws: refused): "
        "29 scenarios could not run"
    )
    assert run_end.exit_code() == EXIT_CODES["target lost"] == 3
    run_end.stop = Stop("interrupted", 6.0, signal="SIGINT")
    assert run_end.line(79, 30, False).startswith("interrupted (SIGINT at 6.0 s) after 49 of 79")
    assert run_end.exit_code() == 130
    assert len(set(EXIT_CODES.values())) == len(EXIT_CODES)


def test_a_summary_that_was_cut_short_says_so_on_every_page():
    line = "interrupted (SIGINT at 6.0 s) after 49 of 79 scenarios"
    summary = RunSummary(Judged(True, "embedded", "2026-12-07"), [], [], [], ended=line)
    assert line in summary.as_text()
    assert line in front_page(summary)
    assert (IN_ENGLISH("run ended"), line) in summary.properties()


def test_a_chinese_run_says_how_it_ended_in_chinese():
    run_end = RunEnd(_Runner())
    run_end.words = Words("zh-CN")
    run_end.stop = Stop("interrupted", 6.0, signal="SIGINT")
    line = run_end.line(79, 30, False)
    assert line is not None and line.startswith(
        "运行被中断（SIGINT，第 6.0 秒），79 个场景只跑完了 49 个"
    )
    summary = RunSummary(Judged(True, "embedded", "2026-12-07"), [], [], [], Words("zh-CN"), line)
    assert f"运行结束：{line}" in summary.as_text()
    assert ("运行结束", line) in summary.properties()


def test_a_scenario_cut_off_is_known_by_the_reason_given_whatever_its_language():
    run_end = RunEnd(_Runner())
    run_end.words = Words("zh-CN")
    run_end.stop = Stop("target lost", 10.3, problem="refused")
    reason = run_end.scenario_starts(NO_DEPLOYMENT_CAN)
    assert reason == "无法运行：目标在第 10.3 秒停止响应"
    assert run_end.cut_off(reason) and not run_end.cut_off("not run: because")


def test_a_chinese_run_says_why_it_is_not_green_in_chinese():
    skipped = FakeScenario(
        "A user asks",
        Status.skipped,
        skip_reason=SKIP_REASONS["server"].format(target="maimbot server at ws://mai/ws"),
    )
    line = why_not_green([promise_of(FakeFeature("Chat", [skipped]))], frozenset(), Words("zh-CN"))
    assert line == (
        "未通过：没有任何场景运行（选中 1 个，全部跳过："
        "需要参考服务器的确定性智能体（1 个场景））；"
        "如果这是预期的，用 -D may_go_unchecked=<能力或 @标签> 说明"
    )
