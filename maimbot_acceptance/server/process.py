"""The reference server in a process of its own, as a deployment would run it: the one
launcher that the tests, the benchmark and the load run all use.

The child runs in a session of its own, so a Ctrl-C at the terminal reaches only
the parent, which then stops it; whatever its process group still holds at the end
is killed. Its standard input is a pipe from the parent (``--stop-on-eof``): should
the parent die, the pipe closes and the server stops, rather than living out its
lifetime.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TextIO

from ..errors import SettingsError

STOP_GRACE = 10.0
"""Seconds a child may take to stop on its own before it is killed."""


@dataclass(frozen=True)
class ServerProcess:
    server_url: str
    config_url: str | None
    """None when started without a config API (``--no-config-api``, e.g. with a cast)."""
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
def server_process(
    *args: str, port: int = 0, lifetime: float | None = 300, log: TextIO | None = None
) -> Iterator[ServerProcess]:
    """``python -m maimbot_acceptance.server ARGS`` on loopback (the reply backend on
    ``port``, 0: a free one; the config API, unless ``--no-config-api``, on a free one);
    stopped (and its process group reaped) on exit, and in any case after ``lifetime``
    seconds (None: no limit, for a load run as long as it is asked to be).

    Its log goes to ``log``, or to a temporary file that is shown if it fails to start
    (a pipe nobody reads would block the server once full).
    """
    command = [sys.executable, "-m", "maimbot_acceptance.server", "--port", str(port)]
    command += ["--config-port", "0", "--stop-on-eof", *args]
    if lifetime is not None:
        command += ["--lifetime", str(lifetime)]
    own_log = log is None
    log_file = tempfile.TemporaryFile("w+") if log is None else log  # noqa: SIM115  (closed below)
    process = subprocess.Popen(
        command,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=log_file,
        text=True,
        start_new_session=True,
    )
    try:
        urls = _read_urls(process, config_api="--no-config-api" not in args)
        if urls is None:
            process.wait(STOP_GRACE)
            shown = ""
            if own_log:
                log_file.seek(0)
                shown = f": {log_file.read()[-2000:]}"
            raise SettingsError(
                f"the reference server did not start (exit code {process.returncode}){shown}"
            )
        yield ServerProcess(urls["reply backend"], urls.get("config API"), process)
    finally:
        stop(process, graceful=_close_stdin)
        if own_log:
            log_file.close()


def _read_urls(process: subprocess.Popen[str], *, config_api: bool) -> dict[str, str] | None:
    """The URLs the server prints once it listens; None if it ends first."""
    assert process.stdout is not None
    urls: dict[str, str] = {}
    for line in process.stdout:  # ends at EOF if the server dies
        name, _, value = line.strip().partition(": ")
        urls[name] = value
        if "reply backend" in urls and ("config API" in urls or not config_api):
            return urls
    return None


def _close_stdin(process: subprocess.Popen[str]) -> None:
    if process.stdin is not None:
        with contextlib.suppress(OSError):
            process.stdin.close()


def _terminate(process: subprocess.Popen[str]) -> None:
    with contextlib.suppress(ProcessLookupError):
        process.send_signal(signal.SIGTERM)


def stop(
    process: subprocess.Popen[str],
    graceful: Callable[[subprocess.Popen[str]], None] = _terminate,
) -> None:
    """Ask ``process`` to stop (``graceful``), wait, then kill whatever its group holds."""
    if process.poll() is None:
        graceful(process)
        try:
            process.wait(STOP_GRACE)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    # The child led its own process group: anything still in it (a Locust worker
    # that outlived its master) goes now.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    for stream in (process.stdin, process.stdout, process.stderr):
        if stream is not None:
            stream.close()
