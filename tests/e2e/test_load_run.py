"""The documented load command, run as a user runs it: headless Locust, master and
two workers, against a reference server it starts itself; short, so it can gate CI."""

from __future__ import annotations

import contextlib
import csv
import json
import os
import re
import selectors
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from maimbot_acceptance.server.process import server_process

ROOT = Path(__file__).resolve().parents[2]
SMOKE = ["-u", "30", "-r", "30", "--processes", "2"]


class LoadRun:
    """``python -m maimbot_acceptance.tools.load ...`` in a session of its own, watched."""

    def __init__(self, tmp_path: Path, *args: str) -> None:
        self.prefix = tmp_path / "load"
        command = [sys.executable, "-m", "maimbot_acceptance.tools.load", *args]
        command += ["--csv", str(self.prefix)]
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,  # a terminal's process group: Ctrl-C reaches it alone
        )
        self.output: list[str] = []
        self.family: set[psutil.Process] = set()
        self.ports: set[int] = set()

    def read_until(self, marker: str, timeout: float) -> None:
        assert self.process.stdout is not None
        deadline = time.monotonic() + timeout
        with selectors.DefaultSelector() as selector:
            selector.register(self.process.stdout, selectors.EVENT_READ)
            while time.monotonic() < deadline:
                if not selector.select(deadline - time.monotonic()):
                    break
                line = self.process.stdout.readline()
                if not line:
                    break
                self.output.append(line)
                self.note_ports(line)
                if marker in line:
                    self.note_family()
                    return
        raise AssertionError(f"never saw {marker!r}:\n{self.text}")

    def note_ports(self, line: str) -> None:
        if line.startswith("reference server"):
            self.ports.update(int(port) for port in re.findall(r"127\.0\.0\.1:(\d+)", line))

    def note_family(self) -> None:
        """Every process of the run, and Locust's master port, while they are alive."""
        root = psutil.Process(self.process.pid)
        self.family = {root, *root.children(recursive=True)}
        for child in self.family:
            command = child.cmdline()
            if "--master-bind-port" in command:
                self.ports.add(int(command[command.index("--master-bind-port") + 1]))

    def finish(self, timeout: float) -> int:
        try:
            remaining, _ = self.process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired as late:
            partial = late.output.decode() if isinstance(late.output, bytes) else late.output
            ended = f"still running after {timeout} s:\n{self.text}{partial}"
            raise AssertionError(ended) from None
        self.output.append(remaining)
        return self.process.returncode

    @property
    def text(self) -> str:
        return "".join(self.output)

    def chat_stats(self) -> dict[str, str]:
        with open(f"{self.prefix}_stats.csv", newline="") as stats:
            return next(row for row in csv.DictReader(stats) if row["Type"] == "chat")

    def failures(self) -> dict[str, int]:
        with open(f"{self.prefix}_failures.csv", newline="") as failures:
            return {row["Error"]: int(row["Occurrences"]) for row in csv.DictReader(failures)}

    def assert_nothing_left_behind(self) -> None:
        alive = [p for p in self.family if _alive(p)]
        assert not alive, f"processes left behind: {alive}"
        assert len(self.ports) == 3, self.ports  # reply backend, config API, Locust master
        listening = [port for port in self.ports if _listening(port)]
        assert not listening, f"ports still listening: {listening}"

    def kill(self) -> None:
        for process in [self.process, *self.family]:
            with contextlib.suppress(ProcessLookupError, PermissionError, psutil.Error):
                os.killpg(process.pid, signal.SIGKILL)
        self.process.wait()


def _alive(process: psutil.Process) -> bool:
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture
def load_run(tmp_path):
    runs: list[LoadRun] = []

    def start(*args: str) -> LoadRun:
        run = LoadRun(tmp_path, *args)
        runs.append(run)
        return run

    yield start
    for run in runs:
        if run.process.poll() is None:
            run.kill()


def test_smoke_a_short_run_makes_requests_and_none_fails(load_run):
    run = load_run(*SMOKE, "-t", "3s")
    run.read_until("All users spawned", timeout=30)
    assert run.finish(timeout=60) == 0, run.text
    stats = run.chat_stats()
    assert int(stats["Request Count"]) > 100, stats
    assert int(stats["Failure Count"]) == 0 and run.failures() == {}, run.text
    assert "Traceback" not in run.text, run.text
    run.assert_nothing_left_behind()


def test_a_server_leaking_replies_to_other_tenants_fails_as_cross_tenant_delivery(load_run):
    run = load_run(*SMOKE, "-t", "2s", "--fault", "leak-cross-tenant")
    run.read_until("All users spawned", timeout=30)
    assert run.finish(timeout=60) == 1, run.text  # Locust's exit code when requests failed
    failures = run.failures()
    assert list(failures) == ["cross-tenant delivery"], failures
    assert failures["cross-tenant delivery"] > 0
    assert "cross-tenant delivery #1" in run.text  # the detail: which connection got whose
    run.assert_nothing_left_behind()


def test_ctrl_c_ends_the_run_with_its_statistics_and_leaves_nothing_behind(load_run):
    run = load_run(*SMOKE, "-t", "60s")
    run.read_until("All users spawned", timeout=30)
    run.read_until("question -> reply", timeout=10)  # the master has counted exchanges
    os.killpg(run.process.pid, signal.SIGINT)  # what a terminal's Ctrl-C does
    started = time.monotonic()
    run.finish(timeout=30)
    assert time.monotonic() - started < 15, run.text
    final = run.text.rpartition("Response time percentiles")  # Locust's final statistics
    assert final[1], run.text
    exchanges = re.findall(r"chat\s+question -> reply\s+(\d+)", final[0])
    assert exchanges and int(exchanges[-1]) > 0, run.text
    run.assert_nothing_left_behind()


@pytest.mark.parametrize(("fault", "failures"), [("", {}), ("leak-cross-tenant", "leaked")])
def test_the_plain_asyncio_driver_judges_exchanges_the_same_way(fault, failures):
    """The yardstick of the figures must measure what the Locust user measures."""
    fault_args = ["--fault", fault] if fault else []
    with server_process(*fault_args) as server:
        assert server.config_url
        command = [sys.executable, "-m", "maimbot_acceptance.tools.load.asyncio_driver", "--json"]
        command += ["-u", "10", "-r", "20", "-t", "1"]
        command += ["--server-url", server.server_url, "--config-url", server.config_url]
        done = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=60,
        )
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert figures["requests"] > 10 and figures["p50_ms"] > 0, figures
    if failures:
        assert done.returncode == 1 and list(figures["failures"]) == ["cross-tenant delivery"]
    else:
        assert done.returncode == 0 and figures["failures"] == {}, done.stderr
