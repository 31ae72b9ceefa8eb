"""The processes of a rehearsal stack: started, watched until ready, stopped by their PIDs.

Each child runs in a session of its own (a Ctrl-C at the terminal reaches only the
rehearsal, which then stops them in turn) and writes stdout and stderr into one pipe.
A thread per child copies that pipe into the child's log file and wakes whoever waits
for the child: when a line says it is ready, or when the pipe ends because it exited.
So a wait for readiness wakes on the child's own words, never by polling its port.
"""

from __future__ import annotations

import contextlib
import os
import re
import select
import signal
import subprocess
import threading
import time
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import SettingsError

STOP_GRACE = 15.0
"""Seconds a child may take to stop on SIGTERM before it is killed."""

TAIL_LINES = 25
"""Lines of a child's log shown when it fails to start."""


@dataclass
class Child:
    """One started process: its name in messages, its PID, its log, what it has said."""

    name: str
    process: subprocess.Popen[bytes]
    log: Path
    ready_when: re.Pattern[str]
    tail: deque[str] = field(default_factory=lambda: deque(maxlen=TAIL_LINES))
    ready_line: str | None = None
    ended: bool = False
    changed: threading.Condition = field(default_factory=threading.Condition)

    @property
    def pid(self) -> int:
        return self.process.pid

    def copy_output(self) -> None:
        """The thread's body: the pipe into the log, each line checked for readiness."""
        assert self.process.stdout is not None
        with self.log.open("a", encoding="utf-8") as log:
            for raw in self.process.stdout:
                line = raw.decode("utf-8", errors="replace")
                log.write(line)
                log.flush()
                with self.changed:
                    self.tail.append(line.rstrip("\n"))
                    if self.ready_line is None and self.ready_when.search(line):
                        self.ready_line = line.strip()
                    self.changed.notify_all()
        with self.changed:
            self.ended = True
            self.changed.notify_all()

    def wait_ready(self, timeout: float) -> str:
        """The line that said the child is ready; an error naming what it said instead."""
        with self.changed:
            self.changed.wait_for(lambda: self.ready_line is not None or self.ended, timeout)
            if self.ready_line is not None:
                return self.ready_line
            said = "\n".join(f"  {line}" for line in self.tail) or "  (nothing)"
            why = "exited" if self.ended else f"did not say it was ready within {timeout:g} s"
            raise SettingsError(
                f"{self.name} (pid {self.pid}) {why}; expected a line matching "
                f"{self.ready_when.pattern!r}; its last lines ({self.log}):\n{said}"
            )


class Processes:
    """The children of one stack, stopped in the reverse order of their start."""

    def __init__(self, logs: Path) -> None:
        self.logs = logs
        self.children: list[Child] = []
        logs.mkdir(parents=True, exist_ok=True)

    def start(
        self,
        name: str,
        argv: Sequence[str],
        *,
        cwd: Path,
        env: Mapping[str, str],
        ready_when: str,
    ) -> Child:
        process = subprocess.Popen(
            list(argv),
            cwd=cwd,
            env=dict(env),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        child = Child(name, process, self.logs / f"{name}.log", re.compile(ready_when))
        self.children.append(child)
        threading.Thread(target=child.copy_output, name=f"log-{name}", daemon=True).start()
        return child

    def pids(self) -> dict[str, int]:
        return {child.name: child.pid for child in self.children}

    def stop(self) -> list[str]:
        """SIGTERM each child by its PID, SIGKILL what is left after ``STOP_GRACE``;
        one line per child saying how it ended."""
        said: list[str] = []
        for child in reversed(self.children):
            if child.process.poll() is None:
                os.kill(child.pid, signal.SIGTERM)
        for child in reversed(self.children):
            try:
                code = child.process.wait(STOP_GRACE)
                said.append(f"{child.name} (pid {child.pid}) ended, exit code {code}")
            except subprocess.TimeoutExpired:
                child.process.kill()
                child.process.wait(STOP_GRACE)
                said.append(f"{child.name} (pid {child.pid}) killed after {STOP_GRACE:g} s")
            said += stop_left_behind(child)
        self.children.clear()
        return said


def session_members(session: int) -> list[int]:
    """PIDs of the live processes of a session (from /proc; none where there is none)."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended meanwhile
        if int(fields[3]) == session and fields[0] != "Z":
            members.append(int(stat.parent.name))
    return members


def stop_left_behind(child: Child) -> list[str]:
    """What a child started and left running when it ended (its session: each child has
    one of its own), SIGTERM by PID, then SIGKILL what is left after ``STOP_GRACE``.
    Not our children: their ends are awaited on pidfds, which wake when they exit."""
    watched: dict[int, int] = {}
    for pid in session_members(child.pid):
        try:
            watched[os.pidfd_open(pid)] = pid
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            continue  # ended meanwhile
    deadline = time.monotonic() + STOP_GRACE
    try:
        while watched and (left := deadline - time.monotonic()) > 0:
            ended, _, _ = select.select(list(watched), [], [], left)
            for fd in ended:
                os.close(fd)
                del watched[fd]
        for pid in watched.values():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
    finally:
        for fd in watched:
            os.close(fd)
    return [
        f"{child.name}'s process {pid} killed after {STOP_GRACE:g} s" for pid in watched.values()
    ]
