"""Lifecycle of a run: settings, the client loop, the server under test, each scenario's world.

Everything else lives in the ``maimbot_acceptance`` package; this file only says
when things start and stop.
"""

from __future__ import annotations

import sys
from typing import Any

from behave.fixture import use_fixture
from behave.tag_matcher import ActiveTagMatcher

from maimbot_acceptance.errors import SettingsError
from maimbot_acceptance.fixtures import client_loop, leaked_tasks, provisioner, server_under_test
from maimbot_acceptance.logs import tame_library_logging
from maimbot_acceptance.settings import Settings
from maimbot_acceptance.world import World

SKIP_REASONS = {
    "server": "needs the reference server's deterministic agents; the target is {value}",
    "server_control": (
        "needs a server the suite runs itself, to stop, kill and restart it "
        "(the embedded reference server); the target is {value}"
    ),
}


def before_all(context: Any) -> None:
    try:
        context.settings = settings = Settings.from_userdata(context.config.userdata)
        tame_library_logging(settings.library_log_level)
        use_fixture(client_loop, context)
        target = use_fixture(server_under_test, context, settings)
    except SettingsError as error:
        # One line, then stop: no scenario can run against a target it cannot reach.
        print(f"error: {error}", file=sys.stderr)
        raise SystemExit(2) from None
    use_fixture(provisioner, context, target.config_url)
    context.active_tag_values = {
        "server": target.kind,
        "server_control": "embedded" if target.control else "none",
    }
    context.active_tags = ActiveTagMatcher(context.active_tag_values)


def before_scenario(context: Any, scenario: Any) -> None:
    if context.active_tags.should_skip_with_tags(scenario.effective_tags):
        scenario.skip(reason=skip_reason(context, scenario.effective_tags))
        return
    context.world = World(
        settings=context.settings,
        loop=context.loop,
        provisioner=context.provisioner,
        server_url=context.target.server_url,
        server=context.target.control,
    )


def skip_reason(context: Any, tags: list[str]) -> str:
    """The reason of the first active tag (``use.with_<category>=<value>``) that does not hold."""
    for tag in tags:
        category, _, value = tag.removeprefix("use.with_").partition("=")
        if category in SKIP_REASONS and value != context.active_tag_values[category]:
            return SKIP_REASONS[category].format(value=context.target.describe())
    return "its active tags do not match the target"


def after_scenario(context: Any, scenario: Any) -> None:
    world = getattr(context, "world", None)
    if world is None:
        return
    context.world = None
    leaks = world.close() + leaked_tasks(context.loop)
    if leaks:
        raise AssertionError("the scenario leaked:\n  " + "\n  ".join(leaks))
