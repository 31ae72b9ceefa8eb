"""What a stack runs: trees exported from the git dirs the user names, and one venv.

A git dir may be a bare mirror: the tree is exported with ``git archive``, never
checked out in place, so the user's clone is left as it was. The venv holds the
real projects' own requirements plus what they import without listing it (each
stack says which); it takes about a minute from a warm pip cache, so a user passes
``--venv`` to reuse one between tries, and then nothing is installed.
"""

from __future__ import annotations

import io
import subprocess
import sys
import tarfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import SettingsError

GIT_TIMEOUT = 120.0
PIP_TIMEOUT = 900.0
"""Seconds for one ``git archive`` and for the one ``pip install`` of a fresh venv."""


@dataclass(frozen=True)
class Tree:
    """A project's tree exported into the work dir, and the commit it came from."""

    path: Path
    ref: str
    commit: str


def export_tree(git_dir: Path, ref: str, dest: Path) -> Tree:
    """``ref`` of the repository at ``git_dir`` (a clone, or a bare mirror) into ``dest``."""

    def git(*args: str) -> bytes:
        try:
            done = subprocess.run(
                ["git", "--git-dir", str(project_git_dir(git_dir)), *args],
                capture_output=True,
                timeout=GIT_TIMEOUT,
                check=True,
            )
        except subprocess.CalledProcessError as failed:
            said = failed.stderr.decode(errors="replace").strip()
            raise SettingsError(f"git dir {git_dir}: git {args[0]} {ref} failed: {said}") from None
        return done.stdout

    commit = resolve(git_dir, ref)
    dest.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(git("archive", commit))) as archive:
        archive.extractall(dest, filter="data")
    return Tree(dest, ref, commit)


def resolve(git_dir: Path, ref: str) -> str:
    """The commit ``ref`` names: a branch of a mirror, or of a fresh clone (where it is
    ``origin/<ref>`` only), a tag or a commit."""
    tried = [ref, f"origin/{ref}"]
    for name in tried:
        verify = ["rev-parse", "--verify", "-q", f"{name}^{{commit}}"]
        found = subprocess.run(
            ["git", "--git-dir", str(project_git_dir(git_dir)), *verify],
            capture_output=True,
            timeout=GIT_TIMEOUT,
        )
        if found.returncode == 0:
            return found.stdout.decode().strip()
    raise SettingsError(f"git dir {git_dir}: none of {tried} names a commit")


def project_git_dir(path: Path) -> Path:
    """The git dir of a clone (``path/.git``) or ``path`` itself (a bare repository)."""
    inner = path / ".git"
    return inner if inner.exists() else path


@dataclass(frozen=True)
class Venv:
    path: Path
    installed_in: float | None
    """Seconds ``pip install`` took; None when an existing venv was reused."""

    @property
    def python(self) -> Path:
        return self.path / "bin" / "python"


def venv(
    path: Path, requirements: Sequence[str], pip_log: Path, python: Path | None = None
) -> Venv:
    """The venv at ``path``: reused as it is if it has a python, else made by ``python``
    (the suite's own by default) and filled with ``requirements`` (pip arguments:
    ``-r FILE``, a local dir, ``name==version``)."""
    if (path / "bin" / "python").exists():
        return Venv(path, None)
    started = time.monotonic()
    maker = str(python or sys.executable)
    subprocess.run([maker, "-m", "venv", str(path)], check=True, timeout=GIT_TIMEOUT)
    command = [str(path / "bin" / "python"), "-m", "pip", "install"]
    command += ["--disable-pip-version-check", *requirements]
    pip_log.parent.mkdir(parents=True, exist_ok=True)
    with pip_log.open("w", encoding="utf-8") as log:
        done = subprocess.run(command, stdout=log, stderr=subprocess.STDOUT, timeout=PIP_TIMEOUT)
    if done.returncode != 0:
        tail = pip_log.read_text(errors="replace").splitlines()[-15:]
        raise SettingsError(f"pip install into {path} failed ({pip_log}):\n" + "\n".join(tail))
    return Venv(path, time.monotonic() - started)
