"""A stack up for as long as a ``with`` block: brought up from the user's git dirs,
stopped by the PIDs it started on the way out, whatever happened."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..errors import SettingsError
from . import api_server, saas, upstream
from .processes import Processes
from .stack import Stack

MODES = {
    "api_server": list(api_server.MODES),
    "saas": list(saas.MODES),
    "upstream": list(upstream.MODES),
}
"""Stack -> its modes, the first the default."""


@dataclass(frozen=True)
class Target:
    stack: str
    """api_server, saas or upstream."""
    mode: str
    maimbot_git: Path | None
    """The git dir of MaiMBot (api_server, saas); upstream is installed from PyPI."""
    work: Path
    maimdb_git: Path | None = None
    maimconfig_git: Path | None = None
    venv: Path | None = None
    ready_timeout: float = 240.0
    version: str = upstream.DEFAULT_VERSION
    """upstream: the maibot release to install."""
    python: Path | None = None
    """upstream: the interpreter to make its venv with (default: one found)."""

    def check(self) -> None:
        if self.mode not in MODES[self.stack]:
            raise SettingsError(f"{self.stack} has the modes {MODES[self.stack]}, not {self.mode}")
        if self.stack == "saas" and not (self.maimdb_git and self.maimconfig_git):
            raise SettingsError("the saas stack needs --maimdb-git and --maimconfig-git too")
        if self.stack != "upstream" and self.maimbot_git is None:
            raise SettingsError(f"the {self.stack} stack needs --maimbot-git")


@dataclass
class Up:
    stack: Stack
    seconds: float
    """Wall time of the bring-up, pip included when a venv was made."""


@contextmanager
def stack_up(target: Target, stopped: list[str] | None = None) -> Iterator[Up]:
    """The stack, up; ``stopped`` receives one line per process stopped at the end."""
    target.check()
    processes = Processes(target.work / "logs")
    started = time.monotonic()
    try:
        if target.stack == "upstream":
            stack = upstream.bring_up(
                processes,
                target.work,
                target.version,
                target.python,
                target.venv,
                target.ready_timeout,
            )
        elif target.stack == "api_server":
            assert target.maimbot_git
            stack = api_server.bring_up(
                processes,
                target.work,
                target.maimbot_git,
                target.mode,
                target.venv,
                target.ready_timeout,
            )
        else:
            assert target.maimbot_git and target.maimdb_git and target.maimconfig_git
            git_dirs = {
                "app": target.maimbot_git,
                "maim_db": target.maimdb_git,
                "MaimConfig": target.maimconfig_git,
            }
            stack = saas.bring_up(
                processes, target.work, git_dirs, target.mode, target.venv, target.ready_timeout
            )
        yield Up(stack, time.monotonic() - started)
    finally:
        said = processes.stop()
        if stopped is not None:
            stopped.extend(said)
