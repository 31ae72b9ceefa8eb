"""The loop that proves recording works: the suite's own chat features are recorded
through the proxy against the reference server, converted, and replayed; the replay
passes against the correct server and fails, naming the symptom, against the faults
that break isolation and drop replies."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from maimbot_acceptance.server.process import server_process

ROOT = Path(__file__).resolve().parents[2]
RECORDED = ("chat_exchange.feature", "tenants_and_agents.feature", "tenant_isolation.feature")
FAULTS = {
    "leak-cross-tenant": "cross-tenant leak: ",
    "drop-reply": "where the recording had one (a reply dropped, late, or sent elsewhere)",
}


@dataclass(frozen=True)
class Run:
    returncode: int
    output: str
    scenarios: list[tuple[str, str, str]]
    """(name, status, failure message)"""
    seconds: float


def behave(*args: str, folder: Path) -> Run:
    report = folder / f"report-{uuid.uuid4().hex[:6]}.json"
    command = [sys.executable, "-m", "behave", "--no-color", "-f", "json", "-o", str(report)]
    command += ["-f", "progress", *args]
    started = time.monotonic()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=180)
    scenarios = []
    for feature in (
        json.loads(report.read_text(encoding="utf-8") or "[]") if report.exists() else []
    ):
        for element in feature.get("elements", []):
            if element.get("type") == "scenario":
                failures = [
                    "\n".join(_lines(step["result"].get("error_message")))
                    for step in element.get("steps", [])
                    if step.get("result", {}).get("status") in ("failed", "error")
                ]
                scenarios.append((element["name"], element["status"], "\n".join(failures)))
    return Run(done.returncode, done.stdout + done.stderr, scenarios, time.monotonic() - started)


def _lines(message: str | list[str] | None) -> list[str]:
    if message is None:
        return []
    return [message] if isinstance(message, str) else message


@dataclass(frozen=True)
class Loop:
    recording: Run
    journal: Path
    feature: Path
    cast: Path
    replays: dict[str, Run]


@pytest.fixture(scope="module")
def loop_run() -> Iterator[Loop]:
    scratch = Path(tempfile.mkdtemp(prefix="record-loop-"))
    # behave finds the steps only for a feature under features/.
    replay_dir = ROOT / "features" / f".recorded-loop-{uuid.uuid4().hex[:8]}"
    try:
        with server_process("--log-level", "ERROR", lifetime=120) as server:
            assert server.config_url is not None
            proxy = subprocess.Popen(
                [sys.executable, "-m", "maimbot_acceptance.record", "proxy", "--listen",
                 "127.0.0.1:0", "--server", server.server_url, "--out", str(scratch),
                 "--lifetime", "120"],
                cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            )  # fmt: skip
            try:
                assert proxy.stdout is not None
                proxy_url = proxy.stdout.readline().split()[1]
                recording = behave(
                    "-D", f"server_url={proxy_url}", "-D", f"config_url={server.config_url}",
                    "-D", "server=reference", *(f"features/{f}" for f in RECORDED), folder=scratch,
                )  # fmt: skip
            finally:
                proxy.terminate()  # a graceful stop: the journal is complete
                proxy.wait(10)
        (journal,) = scratch.glob("recording-*.jsonl")
        converted = subprocess.run(
            [sys.executable, "-m", "maimbot_acceptance.record", "to-feature", str(journal),
             "--out", str(replay_dir), "--name", "recorded_chat"],
            cwd=ROOT, capture_output=True, text=True, timeout=60, check=True,
        )  # fmt: skip
        assert "recorded_chat.feature" in converted.stdout
        feature, cast = replay_dir / "recorded_chat.feature", replay_dir / "recorded_chat.cast.toml"
        common = ("-D", f"cast={cast}", "-D", "quiet_window=0.3", str(feature))
        runs = {
            "": ("-D", "replay_pace=recorded", *common),
            **{
                fault: ("-D", f"fault={fault}", "-D", "replay_pace=fast", *common)
                for fault in FAULTS
            },
        }
        with ThreadPoolExecutor(max_workers=2) as pool:
            replays = dict(
                zip(
                    runs, pool.map(lambda a: behave(*a, folder=scratch), runs.values()), strict=True
                )
            )
        yield Loop(recording, journal, feature, cast, replays)
    finally:
        shutil.rmtree(replay_dir, ignore_errors=True)
        shutil.rmtree(scratch, ignore_errors=True)


def test_the_suites_chat_features_pass_through_the_recording_proxy(loop_run):
    recording = loop_run.recording
    assert recording.returncode == 0, recording.output
    assert len(recording.scenarios) >= 15


def test_the_recording_becomes_a_feature_with_a_scenario_per_conversation(loop_run):
    text = loop_run.feature.read_text(encoding="utf-8")
    assert text.count("Scenario:") >= 15
    assert "And no one receives what was not meant for them" in text
    assert "also gets Helper's reply to" in text  # the two devices' scenario
    assert "tenant_" not in text and "tenant_" in loop_run.cast.read_text(encoding="utf-8")


def test_the_replay_passes_against_the_correct_server(loop_run):
    replay = loop_run.replays[""]
    assert replay.returncode == 0, replay.output
    assert replay.scenarios and {status for _, status, _ in replay.scenarios} == {"passed"}


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_the_replay_fails_against_the_fault_by_an_assertion_naming_its_symptom(loop_run, fault):
    replay = loop_run.replays[fault]
    failed = [(name, status, why) for name, status, why in replay.scenarios if status != "passed"]
    assert replay.returncode != 0 and failed, replay.output
    assert {status for _, status, _ in failed} == {"failed"}, failed  # assertions, not errors
    assert all(FAULTS[fault] in why for _, _, why in failed), failed
