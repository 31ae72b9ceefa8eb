"""The reference server in a process of its own, as a deployment would run it."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass(frozen=True)
class ServerProcess:
    server_url: str
    config_url: str | None
    process: subprocess.Popen[str]

    def peak_rss_mib(self) -> float | None:
        """The process's peak resident memory (Linux ``VmHWM``), or None if unknown."""
        try:
            with open(f"/proc/{self.process.pid}/status") as status:
                for line in status:
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1]) / 1024
        except OSError:
            return None
        return None


@contextmanager
def server_process(*args: str, port: int = 0, lifetime: float = 300) -> Iterator[ServerProcess]:
    """``python -m maimbot_acceptance.server`` on loopback (the reply backend on ``port``,
    0: a free one; the config API on a free one); stopped (and reaped) on exit, and in
    any case after ``lifetime`` seconds."""
    command = [sys.executable, "-m", "maimbot_acceptance.server", "--port", str(port)]
    command += ["--config-port", "0", "--lifetime", str(lifetime), "--stop-on-eof", *args]
    # Its log goes to a file: a pipe nobody reads would block the server once full.
    log = tempfile.TemporaryFile("w+")  # noqa: SIM115  (closed below, after the process)
    # Its standard input is a pipe from this process: should this process die, the pipe
    # closes and the server stops (--stop-on-eof), rather than living out its lifetime.
    process = subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, text=True
    )
    try:
        assert process.stdout is not None
        urls: dict[str, str] = {}
        for line in process.stdout:
            name, _, url = line.strip().partition(": ")
            urls[name] = url
            if (name == "reply backend" and "--no-config-api" in args) or name == "config API":
                break
        if "reply backend" not in urls:
            process.wait(10)
            log.seek(0)
            raise RuntimeError(f"the reference server did not start: {log.read()[-2000:]}")
        yield ServerProcess(urls["reply backend"], urls.get("config API"), process)
    finally:
        if process.stdin is not None:
            process.stdin.close()
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
