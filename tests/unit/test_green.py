"""A run that checked nothing is not green; -D may_go_unchecked says what may go so."""

from __future__ import annotations

from maimbot_acceptance.reports.green import parse_exemptions, why_not_green
from maimbot_acceptance.reports.promises import NOT_SELECTED, Outcome, Promise

NO_TENANT = "needs tenant 'Acme', which the cast c.toml does not name (closest there: Acmee)"
NEEDS_CONTROL = "needs a server the suite runs itself"


def promise(name: str, *outcomes: Outcome) -> Promise:
    return Promise(name, "a promise.", outcomes)


def skipped(reason: str, *tags: str) -> Outcome:
    return Outcome("a scenario", "skipped", reason=reason, tags=tags)


PASSED = Outcome("a scenario", "passed")


def test_a_run_in_which_every_scenario_was_skipped_is_not_green_and_says_why():
    line = why_not_green(
        [promise("A chat exchange", skipped(NO_TENANT), skipped(NO_TENANT))], frozenset()
    )
    assert line is not None and "\n" not in line
    assert line.startswith("not green: no scenario ran (2 selected, all skipped: 2 needs tenant")
    assert "closest there: Acmee" in line and "-D may_go_unchecked=" in line


def test_a_selected_capability_not_checked_at_all_fails_the_run_unless_exempted():
    run = [
        promise("A chat exchange", PASSED),
        promise("The server restarts", skipped(NEEDS_CONTROL, "use.with_server_control=embedded")),
        promise("Soak only", skipped(NOT_SELECTED, "soak")),  # left out by tags: not selected
    ]
    line = why_not_green(run, frozenset())
    assert line == (
        "not green: 1 selected capability was not checked at all: The server restarts (1 "
        f"{NEEDS_CONTROL}); -D may_go_unchecked=<capability or @tag> says that is expected"
    )
    assert why_not_green(run, parse_exemptions("The server restarts")) is None
    assert why_not_green(run, parse_exemptions(" @use.with_server_control=embedded ,x")) is None
    assert why_not_green(run, parse_exemptions("@use.with_server_control=*")) is None


def test_a_run_that_checked_something_of_every_selected_capability_is_green():
    assert (
        why_not_green([promise("A chat exchange", PASSED, skipped(NO_TENANT))], frozenset()) is None
    )
