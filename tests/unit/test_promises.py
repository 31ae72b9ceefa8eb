"""The first page's verdicts: a promise is broken, held, or not checked here (and why)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import Enum

from maimbot_acceptance.reports.front_page import front_page
from maimbot_acceptance.reports.html_report import escape_controls
from maimbot_acceptance.reports.promises import (
    BROKEN,
    HELD,
    HELD_IN_PART,
    NOT_CHECKED,
    promise_of,
)
from maimbot_acceptance.reports.summary import GapVerdict, Judged, RunSummary
from maimbot_acceptance.targets.fixtures import version_told

Status = Enum("Status", "passed failed skipped untested")


@dataclass
class FakeStep:
    keyword: str
    name: str
    status: Status


@dataclass
class FakeScenario:
    name: str
    status: Status
    effective_tags: list[str] = field(default_factory=list)
    all_steps: list[FakeStep] = field(default_factory=list)
    skip_reason: str | None = None


@dataclass
class FakeFeature:
    name: str
    scenarios: list[FakeScenario]
    description: list[str] = field(
        default_factory=lambda: ["Promise: only a tenant's own agents", "can connect.", "More."]
    )

    def walk_scenarios(self) -> list[FakeScenario]:
        return self.scenarios


PASSED = FakeScenario("A user asks and gets a reply", Status.passed)
REFUSED = FakeScenario(
    "A key for a tenant that does not exist is refused at once, saying why -- @1.1 ",
    Status.failed,
    ["known_gap.any_api_key"],
    [FakeStep("Then", "Mallory is refused within 1 second, told why", Status.failed)],
)
NEEDS_REFERENCE = FakeScenario(
    "The echo agent quotes",
    Status.skipped,
    skip_reason="needs the reference server; the target is maimbot server at ws://mai:8095/ws",
)
SOAK = FakeScenario("Fresh users for ten minutes", Status.skipped)


def test_a_failed_scenario_breaks_the_promise_and_names_the_gap_it_shows():
    promise = promise_of(FakeFeature("Only a tenant's own agents can connect", [PASSED, REFUSED]))
    assert promise.sentence == "only a tenant's own agents can connect."
    assert promise.verdict == BROKEN
    [broken] = promise.broken
    assert broken.title == "A key for a tenant that does not exist is refused at once, saying why"
    assert broken.gaps == ("any_api_key",)


def test_skipped_scenarios_keep_their_reason_and_do_not_make_a_promise_held():
    held = promise_of(FakeFeature("Tenants and their agents", [PASSED, NEEDS_REFERENCE, SOAK]))
    assert held.verdict == HELD
    assert held.count("passed") == 1 and held.count("skipped") == 2
    assert dict(held.skip_reasons()) == {
        "needs the reference server": 1,
        "not selected for this run": 1,
    }
    unchecked = promise_of(FakeFeature("The server restarts", [NEEDS_REFERENCE]))
    assert unchecked.verdict == NOT_CHECKED


def test_the_first_page_and_the_console_say_the_same():
    summary = RunSummary(
        judged=Judged(False, "a deployment: maimbot server at ws://mai:8095/ws", "2026-12-03"),
        promises=[
            promise_of(FakeFeature("Only a tenant's own agents can connect", [REFUSED])),
            promise_of(FakeFeature("The server restarts", [NEEDS_REFERENCE])),
        ],
        gaps=[GapVerdict("any_api_key", "OPEN on this server", "anyone is let in")],
        figures=[("reply success rate", "50.0% (1 of 2 questions answered)")],
    )
    page = front_page(summary)
    text = summary.as_text()
    for said in (
        "a deployment: maimbot server at ws://mai:8095/ws",
        "MaiMBot judged on 2026-12-03",
        "it tells no version",
        "2 promises: 0 held, 0 held in part, 1 broken, 1 not checked here",
        "1 scenario: needs the reference server",
        "OPEN on this server",
        "50.0% (1 of 2 questions answered)",
    ):
        assert said in page and said in text, said
    assert '<tr class="broken">' in page and '<tr class="not-checked">' in page
    assert (
        "promise: The server restarts",
        "not checked here: 1 scenario: needs the reference server",
    ) in summary.properties()


STILL_TALK = FakeScenario(
    "After a picture, Alice and Bob can still talk to their agents", Status.passed
)
ERROR_REPLY = FakeScenario(
    "The reference agent answers a picture with an error reply",
    Status.skipped,
    skip_reason="needs the reference server's deterministic agents; the target is maimbot",
)


def test_a_promise_is_held_only_when_every_clause_was_checked():
    bad_input = "Bad input does not break the service"
    part = promise_of(FakeFeature(bad_input, [STILL_TALK, ERROR_REPLY]))
    assert part.verdict == HELD_IN_PART
    assert part.verdict_line == (
        "held, 1 of 2 checked: the sender learning what became of a bad message was not "
        "checked here"
    )
    whole = promise_of(
        FakeFeature(bad_input, [STILL_TALK, replace(ERROR_REPLY, status=Status.passed)])
    )
    assert whole.verdict == HELD and whole.verdict_line == "held"


def test_a_two_second_look_does_not_hold_a_promise_about_any_uptime():
    short = FakeScenario(
        "Fresh users keep connecting and conversing for a few seconds", Status.passed
    )
    soak = FakeScenario(
        "Fresh users keep connecting and conversing for ten minutes", Status.skipped, ["soak"]
    )
    promise = promise_of(
        FakeFeature("A server that has been up for a while still takes new users", [short, soak])
    )
    assert promise.verdict == HELD_IN_PART
    assert "new users after ten minutes up was not checked here" in promise.verdict_line


def test_control_characters_are_written_as_visible_escapes():
    assert escape_controls("a\x00b\x07c\x1b[0m\td\n") == "a\\x00b\\x07c\\x1b[0m\td\n"


def test_a_target_that_names_its_version_is_said_to_have_told_it():
    assert version_told('{"status": "ok", "version": "0.9.1"}') == (
        "its config API says version 0.9.1"
    )
    assert version_told("OK") == version_told('{"status": "ok"}') == ""
