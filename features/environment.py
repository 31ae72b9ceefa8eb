"""Lifecycle of a run: settings, the client loop, the server under test, each scenario's world.

Everything else lives in the ``maimbot_acceptance`` package; this file only says
when things start and stop.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from behave.fixture import use_fixture

from maimbot_acceptance.errors import SettingsError
from maimbot_acceptance.reports.green import parse_exemptions
from maimbot_acceptance.reports.junit import junit_directory_for_the_run
from maimbot_acceptance.reports.languages import keep_language
from maimbot_acceptance.reports.parallel import (
    finish_parallel_run,
    parallel_records,
    start_parallel_records,
)
from maimbot_acceptance.reports.reporting import attach_exchanges, tell
from maimbot_acceptance.reports.run_end import EXIT_CODES, RunEnd
from maimbot_acceptance.reports.run_report import RunReport
from maimbot_acceptance.reports.words import Words
from maimbot_acceptance.scenario.world import World
from maimbot_acceptance.targets.applicability import Applicability, skip_if_not_applicable
from maimbot_acceptance.targets.fixtures import (
    client_loop,
    first_contact,
    leaked_tasks,
    provisioner,
    server_under_test,
    stop_the_run,
    target_gone,
)
from maimbot_acceptance.targets.settings import Settings, check_behave_read_the_project_settings
from maimbot_acceptance.wire.logs import tame_library_logging


def before_all(context: Any) -> None:
    context.run_end = run_end = RunEnd.begin(context)  # Ctrl-C from here on ends it cleanly
    try:
        check_behave_read_the_project_settings(context.config.default_tags)
        junit_directory_for_the_run(context.config)
        context.settings = settings = Settings.from_userdata(context.config.userdata)
        run_end.words = Words(settings.language)  # (how the run ends, said in its language)
        # One language a run (a behavex process may be given the other's share).
        share = parallel_records(context) is not None
        keep_language(context._runner.features, settings.language, share=share)
        tame_library_logging(settings.library_log_level)
        use_fixture(client_loop, context)
        run_end.doing = "the first look at the target"
        target = use_fixture(server_under_test, context, settings)
        use_fixture(provisioner, context, target)
        run_end.doing = "the first exchange with the target"
        contact = use_fixture(first_contact, context, target, settings)
    except SettingsError as error:
        # One line, then stop: no scenario can run against a target that cannot
        # give what every scenario needs (reachable, provisioning, answering).
        stop_the_run(context, f"error: {error}")
    except KeyboardInterrupt:
        said = run_end.interrupted_line() or "interrupted"
        stop_the_run(context, said, EXIT_CODES["interrupted"])
    if target.control is None:
        tell(f"target: {target.describe()}; {contact.describe()}")
    else:
        tell(f"target: the embedded reference server, {target.describe_wire()}")
    context.applicability = Applicability(target, settings.known_gaps, settings.heavy)
    context.run_report = RunReport.begin(
        context, target, settings.fault, settings.language, run_end
    )
    run_end.phase = "between"


def before_scenario(context: Any, scenario: Any) -> None:
    reason = context.applicability.skip_reason(
        scenario.effective_tags
    ) or context.run_end.scenario_starts(scenario)
    if reason:
        scenario.skip(reason=reason)
        return
    context.world = World.create(
        settings=context.settings,
        loop=context.loop,
        provisioner=context.provisioner,
        server_url=context.target.server_url,
        server=context.target.control,
        llm_tap=context.target.llm_tap,
        dialect=context.target.speaks,
        wire=context.target.wire,
        name=scenario.name,
    )


def after_step(context: Any, step: Any) -> None:
    skip_if_not_applicable(context.scenario, step)
    world = getattr(context, "world", None)
    if world is not None:
        attach_exchanges(context, world.conversation.unreported(answered_only=True))


def after_scenario(context: Any, scenario: Any) -> None:
    run_end: RunEnd = context.run_end
    run_end.scenario_ends(scenario, lambda: target_gone(context.loop, context.target))
    world, context.world = getattr(context, "world", None), None
    # Clean up first: nothing that reports on the scenario may keep its clients alive.
    leaks = world.close() + leaked_tasks(context.loop) if world is not None else []
    context.run_report.scenario_done(context, scenario, world)
    if world is not None:
        attach_exchanges(context, world.conversation.unreported(answered_only=False))
    if leaks and not run_end.cut_short:  # (cut short mid-exchange, tasks are in flight)
        raise AssertionError("the scenario leaked:\n  " + "\n  ".join(leaks))


def after_all(context: Any) -> None:
    context.run_end.finishing()
    report = getattr(context, "run_report", None)
    if report is not None:  # (None: the run stopped in before_all)
        exempt = parse_exemptions(context.settings.may_go_unchecked)
        report.finish(context, exempt, parallel_records(context))


# behavex (parallel runs) calls these two in its own process, around all of its
# behave processes: each of those keeps its record, and the last hook concludes.
def before_all_workers(context: Any) -> None:
    context.run_records = str(start_parallel_records())


def after_all_workers(context: Any) -> None:
    finish_parallel_run(Path(context.run_records))
