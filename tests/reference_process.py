"""Start the reference server as a separate process, as a deployment would run."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass(frozen=True)
class RunningServer:
    server_url: str
    config_url: str | None
    process: subprocess.Popen[str]


@contextmanager
def reference_server_process(*args: str, lifetime: float = 300) -> Iterator[RunningServer]:
    """``python -m maimbot_acceptance.server`` on free ports; stopped (and reaped) on exit."""
    command = [sys.executable, "-m", "maimbot_acceptance.server", "--port", "0"]
    command += ["--config-port", "0", "--lifetime", str(lifetime), *args]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        urls: dict[str, str] = {}
        for line in process.stdout:
            name, _, url = line.strip().partition(": ")
            urls[name] = url
            if (name == "reply backend" and "--no-config-api" in args) or name == "config API":
                break
        if "reply backend" not in urls:
            raise RuntimeError(
                f"reference server did not start: {process.stderr.read() if process.stderr else ''}"
            )
        yield RunningServer(urls["reply backend"], urls.get("config API"), process)
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
