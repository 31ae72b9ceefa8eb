"""The behave suite itself, run the ways its users run it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

from .reference_process import reference_server_process

ROOT = Path(__file__).resolve().parent.parent
BEHAVE = [sys.executable, "-m", "behave"]


def behave(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    formats = [] if "-f" in args else ["-f", "progress"]  # -o files pair with -f by position
    return subprocess.run(
        [*BEHAVE, "--no-color", *formats, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )


def scenario_counts(output: str) -> dict[str, int]:
    """behave's scenario summary, e.g. {"passed": 11, "failed": 0, "skipped": 2}."""
    line = re.search(r"^\d+ scenarios? passed, .*$", output, re.MULTILINE)
    assert line, output
    return {
        word: int(n)
        for n, word in re.findall(r"(\d+) (?:scenarios? )?(passed|failed|skipped|error)", line[0])
    }


def test_the_suite_runs_green_against_an_external_reference_server():
    """The -D server_url/config_url path must not rot: aim at a server in another process."""
    with reference_server_process() as server:
        result = behave(
            "-D",
            f"server_url={server.server_url}",
            "-D",
            f"config_url={server.config_url}",
            "-D",
            "server=reference",
        )
    assert result.returncode == 0, result.stdout + result.stderr
    counts = scenario_counts(result.stdout)
    assert counts["passed"] > 0 and counts["failed"] == counts["skipped"] == 0, counts


def test_reference_only_scenarios_are_skipped_with_a_reason_against_maimbot():
    with reference_server_process() as server:
        result = behave(
            "--tags=@use.with_server=reference",
            "-f",
            "plain",
            "--no-skipped",
            "-D",
            f"server_url={server.server_url}",
            "-D",
            f"config_url={server.config_url}",
        )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "passed, 0 failed" in result.stdout
    assert "0 scenarios passed" in result.stdout


def test_an_unreachable_server_ends_the_run_with_one_line_naming_the_knob():
    started = time.monotonic()
    result = behave("-D", "server_url=ws://127.0.0.1:1/ws", "-D", "config_url=http://127.0.0.1:1")
    assert time.monotonic() - started < 5  # behave's own start-up included
    assert result.returncode != 0
    assert (
        "error: server_url=ws://127.0.0.1:1/ws: nothing is listening at 127.0.0.1:1"
        in result.stderr
    )


def test_a_non_numeric_timeout_ends_the_run_with_one_line_naming_the_knob():
    result = behave("-D", "reply_timeout=soon")
    assert result.returncode != 0
    assert "error: userdata reply_timeout='soon' is not a number of seconds" in result.stderr


def test_steps_are_all_defined_and_unambiguous():
    """`behave --dry-run` fails on undefined steps; loading fails on ambiguous ones."""
    dry_run = behave("--dry-run")
    assert dry_run.returncode == 0, dry_run.stdout + dry_run.stderr
    assert "undefined" not in dry_run.stdout.replace("0 undefined", "")
    catalog = behave("--dry-run", "-f", "steps.catalog")
    assert catalog.returncode == 0, catalog.stderr
    assert "租户 {tenant:Name} 有一个智能体 {agent:Name}" in catalog.stdout


def test_the_suite_runs_green_in_two_parallel_processes(tmp_path):
    """behavex: each process starts its own embedded server on its own free ports."""
    result = subprocess.run(
        [str(Path(sys.executable).with_name("behavex")), "--parallel-processes", "2",
         "-o", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    counts = scenario_counts(result.stdout)
    assert counts["passed"] > 0 and counts["failed"] == 0, counts
    assert (tmp_path / "report.html").exists()
