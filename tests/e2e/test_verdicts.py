"""A verdict never says more than was checked, and every input is refused clearly:
each run as a new user would make it, ending with its exit code and one line."""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

from maimbot_acceptance.server.process import server_process

from .test_suite_runs import ROOT, assert_ends_with_one_line, behave, write_cast

NEEDS_ACME = ("features/tenants_and_agents.feature", "features/idle_connections.feature")


def not_green_line(result: subprocess.CompletedProcess[str]) -> str:
    """Exit code 1 and the one ``not green:`` line (on stderr, after the summaries)."""
    assert result.returncode == 1, result.stdout + result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("not green: ")]
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    return lines[0]


def test_a_cast_with_a_typo_checks_nothing_and_is_not_green(tmp_path: Path):
    cast = write_cast(tmp_path / "cast.toml")
    cast.write_text(cast.read_text().replace("tenants.Acme", "tenants.Acmee"))
    line = not_green_line(behave(*NEEDS_ACME, "-D", f"cast={cast}"))
    assert line.startswith("not green: no scenario ran (3 selected, all skipped: 3 needs tenant")
    assert "'Acme', which the cast" in line and "(closest there: Acmee)" in line


def test_a_run_whose_every_scenario_was_skipped_is_not_green_unless_expected():
    args = ("features/message_bursts.feature", "--tags=@use.with_server=reference")
    line = not_green_line(behave(*args, "-D", "server=maimbot"))
    assert line.startswith("not green: no scenario ran (1 selected, all skipped: 1 needs the ")
    assert "-D may_go_unchecked=<capability or @tag>" in line
    expected = behave(*args, "-D", "server=maimbot", "-D", "may_go_unchecked=A burst of messages")
    assert expected.returncode == 0, expected.stdout + expected.stderr


def test_a_selected_capability_left_entirely_unchecked_is_not_green():
    features = ("features/connection_takeover.feature", "features/idle_connections.feature")
    line = not_green_line(behave(*features, "-D", "known_gaps=skip"))
    assert line.startswith(
        "not green: 1 selected capability was not checked at all: A live connection cannot "
        "be taken over (1 "
    ), line
    exempt = "may_go_unchecked=@known_gap.*"
    expected = behave(*features, "-D", "known_gaps=skip", "-D", exempt)
    assert expected.returncode == 0, expected.stdout + expected.stderr


def test_what_no_deployment_can_stage_is_not_applicable_and_the_run_may_be_green():
    """A server restart cannot be staged against any deployment: not a missed check."""
    with server_process("--heartbeat", "1") as server:
        target = ("-D", f"server_url={server.server_url}", "-D", f"config_url={server.config_url}")
        features = ("features/server_restart.feature", "features/idle_connections.feature")
        result = behave(*features, *target, "-D", "server=reference", "-D", "heartbeat=1")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "N/A              The server restarts" in result.stdout
    assert "1 not applicable to this kind of target" in result.stdout


def test_a_name_that_is_no_knob_is_refused_with_the_closest_knob():
    assert_ends_with_one_line(
        behave("-D", "timeout=60"),
        "error: userdata timeout is not a knob of this suite; did you mean reply_timeout?",
    )


def test_a_server_url_without_its_path_names_the_path_and_suggests_ws():
    with server_process() as server:
        root = server.server_url.removesuffix("/ws")
        result = behave("-D", f"server_url={root}", "-D", f"config_url={server.config_url}")
    assert_ends_with_one_line(
        result,
        f"server_url={root}: nothing answers the Socket.IO handshake at the path '/socket.io' "
        f"(404 Not Found); MaiMBot serves its reply backend at /ws: try {root}/ws",
    )


def test_a_late_first_answer_is_reported_with_the_time_it_took():
    with server_process("--fault", "late-reply", lifetime=60) as server:
        result = behave(
            "-D", f"server_url={server.server_url}", "-D", f"config_url={server.config_url}",
            "-D", "reply_timeout=4", "-D", "first_exchange_grace=8",
        )  # fmt: skip
    assert_ends_with_one_line(result, "the first exchange was answered after 6.")
    assert "and a second one not within it either: give -D reply_timeout=" in result.stderr


def promises_of(junit: Path) -> dict[str, str]:
    """The verdicts in the JUnit properties of a run (``promise: <capability>``)."""
    suite = ElementTree.parse(junit / "TESTS-promises.xml").getroot()
    return {
        p.get("name", ""): re.sub(r"\d+(\.\d+)? s\b", "", p.get("value", ""))
        for p in suite.iter("property")
        if p.get("name", "").startswith(("promise", "known gap"))
    }


def test_a_parallel_run_ends_with_the_same_promises_and_exit_code_as_behave(tmp_path: Path):
    sequential = behave("--junit", "--junit-directory", str(tmp_path / "junit"))
    parallel = subprocess.run(
        [str(Path(sys.executable).with_name("behavex")), "--parallel-processes", "4",
         "--tags", "not @soak", "-o", str(tmp_path / "bx")],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert parallel.returncode == sequential.returncode == 0, parallel.stdout + parallel.stderr
    promises = promises_of(tmp_path / "junit")
    assert len(promises) > 16 and promises == promises_of(tmp_path / "bx" / "behave")
    table = re.compile(r"^  [A-Z ]{16} .*$", re.MULTILINE)
    assert table.findall(sequential.stdout) == table.findall(parallel.stdout)
    page = (tmp_path / "bx" / "promises.html").read_text(encoding="utf-8")
    assert "Rehearsal of the suite on its reference server" in page
