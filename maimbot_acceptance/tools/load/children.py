"""Locust as a child process of a load run that never outlives it.

Locust runs in a session of its own, so a Ctrl-C at the terminal reaches only
the parent, which asks Locust to stop (its master then stops its workers, prints
its statistics and writes its CSV); the reference server beside it is started and
stopped by ``server.process``, the one launcher of it. Whatever a child's process
group still holds at the end is killed, so no worker and no port is left behind.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
from types import FrameType
from typing import Any

from ...server.process import stop


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
