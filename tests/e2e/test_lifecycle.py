"""environment.py's per-scenario cleanup fails a scenario that leaks a connection or a task."""

from __future__ import annotations

import shutil
from pathlib import Path

from .test_suite_runs import ROOT, behave

LEAKY_STEPS = """
import asyncio

from behave import when


@when("a step leaves a task running on the client loop")
def leave_a_task(context):
    async def start_forever_task():
        asyncio.get_running_loop().create_task(asyncio.Event().wait(), name="forgotten")

    context.loop.run(start_forever_task(), 5)


@when("a step opens a connection the world does not know about")
def leave_a_connection(context):
    world = context.world
    person = world.roster.person("Alice")
    agent = world.roster.agent_of(person, "Helper")
    client = world.connections.client_for(person, agent, "test")
    world.stage.run(client.connect(5), 5)
    context.hidden_client = client
"""

LEAKY_FEATURE = """
Feature: Leaks are caught
  Scenario: A forgotten task fails the scenario
    Given tenant Acme has an agent Helper
    When a step leaves a task running on the client loop

  Scenario: A connection nobody closes fails the scenario
    Given tenant Acme has an agent Helper
    And Alice of Acme is connected to Helper
    When a step opens a connection the world does not know about

  Scenario: A clean scenario after them still passes
    Given tenant Acme has an agent Helper
    And Alice of Acme is connected to Helper
"""


def test_leaked_tasks_and_connections_fail_their_scenario_and_only_it(tmp_path: Path):
    features = tmp_path / "features"
    shutil.copytree(ROOT / "features", features, ignore=shutil.ignore_patterns("*.feature"))
    (features / "steps" / "leaky_steps.py").write_text(LEAKY_STEPS)
    (features / "leaks.feature").write_text(LEAKY_FEATURE)
    result = behave(str(features), "-f", "plain")
    assert result.returncode != 0
    assert "the scenario leaked" in result.stdout
    assert "forgotten" in result.stdout
    assert "1 scenario passed, 0 failed, 2 hook_error, 0 skipped" in result.stdout
