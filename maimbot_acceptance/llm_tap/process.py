"""The LLM tap in a process of its own, as a staging deployment would have it: for
tests and rehearsals that aim a server in another process at it."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from ..errors import SettingsError
from ..server.process import stop
from .embedded import base_url


@contextmanager
def tap_process(*args: str) -> Iterator[str]:
    """``python -m maimbot_acceptance.llm_tap ARGS`` on a free loopback port; yields its
    address (http://127.0.0.1:PORT, without /v1); stopped with SIGTERM on exit, and by
    itself should this process die (its standard input closes)."""
    command = [sys.executable, "-m", "maimbot_acceptance.llm_tap", "--port", "0"]
    command += ["--stop-on-eof", *args]
    process = subprocess.Popen(
        command,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        assert process.stdout is not None
        ready = process.stdout.readline().strip()  # "" at EOF: it ended first
        if not ready.startswith("READY "):
            raise SettingsError(f"the LLM tap did not start: {ready or 'it exited'}")
        yield base_url(ready.removeprefix("READY "))
    finally:
        stop(process)
