"""The behave suite itself, run the ways its users run it."""

from __future__ import annotations

import json
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
    return subprocess.run(
        [*BEHAVE, "--no-color", "-f", "progress", *args],
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


def test_the_suite_runs_green_against_an_external_reference_server(tmp_path):
    """The -D server_url/config_url path must not rot: aim at a server in another process.

    Only what needs a server the suite runs itself (to stop, kill and restart it) is
    skipped, and what is left out by default (the soak)."""
    report = tmp_path / "run.json"
    with reference_server_process("--heartbeat", "1") as server:
        result = behave(
            "-D",
            f"server_url={server.server_url}",
            "-D",
            f"config_url={server.config_url}",
            "-D",
            "server=reference",
            "-D",
            "heartbeat=1",
            "-o",
            "/dev/stdout",  # the progress formatter's (outputs pair with formatters in order)
            "-f",
            "json",
            "-o",
            str(report),
        )
    assert result.returncode == 0, result.stdout + result.stderr
    counts = scenario_counts(result.stdout)
    assert counts["passed"] > 0 and counts["failed"] == 0, counts
    skipped = [
        (scenario["name"], scenario["tags"])
        for feature in json.loads(report.read_text())
        for scenario in feature.get("elements", [])
        if scenario.get("status") == "skipped"
    ]
    assert len(skipped) == counts["skipped"]
    assert [
        name
        for name, tags in skipped
        if "soak" not in tags and "use.with_server_control=embedded" not in tags
    ] == []


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
