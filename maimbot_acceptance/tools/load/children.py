"""Child processes of a load run that never outlive it: the reference server and Locust.

Each child runs in a session of its own, so a Ctrl-C at the terminal reaches
only the parent, which asks Locust to stop (its master then stops its workers,
prints its statistics and writes its CSV) and then stops the server. Whatever a
child's process group still holds at the end is killed, so no worker and no
port is left behind; the server also stops by itself when the pipe on its
standard input closes, however the parent ends.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import FrameType
from typing import Any

from ...errors import SettingsError

STOP_GRACE = 10.0
"""Seconds a child may take to stop on its own before it is killed."""


@dataclass(frozen=True)
class ReferenceServerProcess:
    server_url: str
    config_url: str  # empty when seeded from a cast (no config API)
    process: subprocess.Popen[str]


@contextlib.contextmanager
def reference_server(
    *, fault: str = "", host: str = "127.0.0.1", cast: str = ""
) -> Iterator[ReferenceServerProcess]:
    """``python -m maimbot_acceptance.server`` on free loopback ports, for the run's length;
    with a cast, seeded with its tenants and agents and without a config API."""
    command = [sys.executable, "-m", "maimbot_acceptance.server", "--host", host]
    if cast:
        command += ["--cast", cast, "--no-config-api"]
    command += ["--port", "0", "--config-port", "0", "--stop-on-eof"]
    # maim_message warns about every connection that closes first on its own side.
    command += ["--log-level", "ERROR"]
    if fault:
        command += ["--fault", fault]
    process = subprocess.Popen(
        command,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        urls = _read_urls(process, config_api=not cast)
        yield ReferenceServerProcess(urls["reply backend"], urls.get("config API", ""), process)
    finally:
        stop(process, graceful=_close_stdin)


def _read_urls(process: subprocess.Popen[str], *, config_api: bool) -> dict[str, str]:
    assert process.stdout is not None
    urls: dict[str, str] = {}
    for line in process.stdout:  # ends at EOF if the server dies
        name, _, value = line.strip().partition(": ")
        urls[name] = value
        if "reply backend" in urls and ("config API" in urls or not config_api):
            return urls
    raise SettingsError(f"the reference server did not start (exit code {process.wait()})")


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


def free_port(host: str = "127.0.0.1") -> int:
    """A port nobody listens on right now (for Locust's master, which cannot take port 0)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


class Interrupts:
    """Ctrl-C and SIGTERM in a parent whose children run in sessions of their own.

    The first one is passed on to the child in charge as SIGTERM, Locust's
    graceful stop (it stops its workers, prints and writes its statistics); a
    second one kills that child's group. Before a child is in charge, an
    interrupt stops the parent (and so its children). SIGTERM rather than
    SIGINT: Locust's master turns SIGINT into a KeyboardInterrupt in whichever
    greenlet runs, and about one run in six here it was lost and the run went on;
    its SIGTERM handler has never failed to stop it.

    Installed before any child starts: a child inherits an *ignored* SIGINT (a
    non-interactive shell ignores it in what it starts with ``&``) and would then
    never stop on one; a signal with a handler reverts to the default in a child.
    """

    def __init__(self) -> None:
        self.child: subprocess.Popen[str] | None = None
        self.count = 0
        self._previous: dict[int, Any] = {}

    def __enter__(self) -> Interrupts:
        for sig in (signal.SIGINT, signal.SIGTERM):
            self._previous[sig] = signal.signal(sig, self._handle)
        return self

    def __exit__(self, *exc_info: object) -> None:
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        self.count += 1
        child = self.child
        if child is None or child.poll() is not None:
            raise KeyboardInterrupt
        with contextlib.suppress(ProcessLookupError):
            if self.count == 1:
                child.send_signal(signal.SIGTERM)
            else:
                os.killpg(child.pid, signal.SIGKILL)


def run_to_the_end(command: list[str], interrupts: Interrupts) -> int:
    """Run ``command`` in a session of its own, in charge of ``interrupts``; its exit code.

    Its output is unbuffered, so that statistics reach a log or a CI console as
    they are printed, not in blocks at the end.
    """
    environment = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(command, start_new_session=True, text=True, env=environment)
    interrupts.child = process
    try:
        return process.wait()
    finally:
        interrupts.child = None
        stop(process)
