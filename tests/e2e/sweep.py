"""Wrong inputs and faults, tried as a careless user would: how a case runs and is judged
(the cases: sweep_cases.py).

Each case ends either in a correct verdict or in one line naming the cause, with no
traceback, within its bound.

Cases of one knob are judged in this process (``Settings.from_userdata``, as behave
hands the knobs over, beside behave.ini's defaults): cheap, and the same code behave
runs. The others run behave, or a tool, in a subprocess.
"""

from __future__ import annotations

import configparser
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
KILLED_AFTER = 60.0
"""No case runs longer: past its bound it has failed anyway."""
BEHAVE = [sys.executable, "-m", "behave", "--no-color"]
SMALL = "features/tenants_and_agents.feature"
IDLE = "features/idle_connections.feature"
"""A feature with a scenario that stays idle for seconds: a signal lands inside it."""
STARTED = "Scenario: "
"""What behave's plain formatter prints as a scenario starts."""


@dataclass(frozen=True)
class Seen:
    """What a case did: its exit code (None in process), everything it said, its time."""

    code: int | None
    said: str
    seconds: float
    error: str = ""
    """In process: the one line of the error raised ("" when the input was accepted)."""


@dataclass(frozen=True)
class Case:
    name: str
    run: Callable[[Path], Seen]
    line: str
    """A part of the one line that must name the cause (or the run's closing line)."""
    code: int | None = 2
    within: float = 30.0
    """Seconds the case may take, startup included."""
    absent: tuple[str, ...] = ("Traceback",)
    present: tuple[str, ...] = ()

    def judge(self, seen: Seen) -> str:
        """ "ok", or what went wrong, in a few words."""
        if "Traceback" in seen.said or seen.error.startswith("Traceback"):
            return "traceback"
        if seen.seconds > self.within:
            return f"took {seen.seconds:.0f} s (bound {self.within:.0f} s)"
        if seen.code is None and not seen.error:
            return "accepted without a word"
        if self.code is not None and seen.code is not None and seen.code != self.code:
            return f"exit {seen.code}, not {self.code}"
        closing = _closing_lines(seen)
        if self.line not in closing:
            said = closing.splitlines()[-1][:100] if closing else ""
            return f"another line: {said}" if said else "no line naming the cause"
        for text in self.absent:
            if text in seen.said:
                return f"says {text!r}"
        for text in self.present:
            if text not in seen.said:
                return f"does not say {text!r}"
        return "ok"


def _closing_lines(seen: Seen) -> str:
    """The error of an in-process case, or the last lines a run wrote (its summary, then
    the closing line)."""
    if seen.code is None:
        return seen.error if "\n" not in seen.error else ""
    lines = [line for line in seen.said.splitlines() if line.strip()]
    return "\n".join(lines[-12:])


# -- running ---------------------------------------------------------------------------


def ini_userdata() -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(ROOT / "behave.ini", encoding="utf-8")
    return {k: v for k, v in parser["behave.userdata"].items() if not k.startswith("behave.")}


def knobs(**given: str) -> Callable[[Path], Seen]:
    """Settings read from behave.ini's userdata and ``given``, in this process."""

    def run(tmp: Path) -> Seen:
        from maimbot_acceptance.targets.settings import Settings

        values = {k: v.replace("{tmp}", str(tmp)) for k, v in given.items()}
        started = time.monotonic()
        try:
            Settings.from_userdata({**ini_userdata(), **values})
        except ValueError as error:  # SettingsError, CastError
            return Seen(None, "", time.monotonic() - started, str(error))
        except Exception as error:  # what a user would have met as a traceback
            return Seen(None, "", time.monotonic() - started, f"Traceback: {error!r}")
        return Seen(None, "", time.monotonic() - started)

    return run


Signal = tuple[str, float, str]
"""(a text behave prints, seconds after it, "INT" | "TERM" | "INT-group")."""


def behave(
    *args: str, cwd: Path = ROOT, signals: tuple[Signal, ...] = ()
) -> Callable[[Path], Seen]:
    """behave with ``args`` ({tmp} is the case's own folder); ``signals`` are sent to
    it once it has printed their text (so a busy machine's slow start does not move
    them), the given seconds after."""

    def run(tmp: Path) -> Seen:
        argv = [*BEHAVE, *(a.replace("{tmp}", str(tmp)) for a in args)]
        if "-f" not in args:
            argv[3:3] = ["-f", "progress"]
        return _run(argv, cwd, signals)

    return run


def _run(argv: list[str], cwd: Path, signals: tuple[Signal, ...] = ()) -> Seen:
    started = time.monotonic()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        argv, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
        start_new_session=True,
    )  # fmt: skip
    lines: list[str] = []
    printed = threading.Condition()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            with printed:
                lines.append(line)
                printed.notify_all()
        with printed:
            lines.append("")  # the end
            printed.notify_all()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        for text, after, how in signals:
            with printed:
                printed.wait_for(
                    lambda t=text: "" in lines or any(t in x for x in lines), KILLED_AFTER
                )
            time.sleep(after)
            signum = signal.SIGTERM if how == "TERM" else signal.SIGINT
            if process.poll() is None:
                if how == "INT-group":
                    os.killpg(process.pid, signum)
                else:
                    process.send_signal(signum)
        code = process.wait(timeout=KILLED_AFTER)
    except subprocess.TimeoutExpired:
        code = -signal.SIGKILL
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    reader.join(5)
    if code < 0:  # killed by a signal: the code a shell reports (130 for SIGINT)
        code = 128 - code
    return Seen(code, "".join(lines), time.monotonic() - started)


def against_a_server(
    *args: str,
    server_args: tuple[str, ...] = ("--heartbeat", "1"),
    kill_at: float | None = None,
    signals: tuple[Signal, ...] = (),
) -> Callable[[Path], Seen]:
    """behave aimed at a reference server in another process; ``kill_at``: kill -9 it
    that many seconds into the run."""

    def run(tmp: Path) -> Seen:
        from maimbot_acceptance.server.process import server_process

        with server_process(*server_args, lifetime=120) as server:
            aim = [
                f"server_url={server.server_url}",
                f"config_url={server.config_url}",
                "server=reference",
                "heartbeat=1",
            ]
            argv = [*BEHAVE, "-f", "progress", *(x for k in aim for x in ("-D", k)), *args]
            if kill_at is None:
                return _run(argv, ROOT, signals)
            started = time.monotonic()
            process = subprocess.Popen(
                argv, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
            )
            time.sleep(kill_at)
            server.process.kill()
            out, err = process.communicate(timeout=KILLED_AFTER)
            return Seen(process.returncode, out + "\n" + err, time.monotonic() - started)

    return run


def tool(*argv: str) -> Callable[[Path], Seen]:
    def run(tmp: Path) -> Seen:
        return _run([sys.executable, "-m", *argv], ROOT)

    return run


def in_another_directory() -> Callable[[Path], Seen]:
    def run(tmp: Path) -> Seen:
        return _run([*BEHAVE, str(ROOT / "features")], tmp)

    return run


def a_step_with_a_bug() -> Callable[[Path], Seen]:
    """A step of the suite raising a KeyError: the suite's own error, not a verdict."""

    def run(tmp: Path) -> Seen:
        features = tmp / "features"
        shutil.copytree(ROOT / "features", features, ignore=shutil.ignore_patterns("*.feature"))
        (features / "steps" / "buggy_steps.py").write_text(
            'from behave import when\n\n\n@when("a step has a bug")\ndef a_bug(context):\n'
            '    {}["missing"]\n'
        )
        (features / "bug.feature").write_text(
            "Feature: A buggy step\n  Scenario: A step with a bug\n"
            "    Given tenant Acme has an agent Helper\n    When a step has a bug\n"
        )
        return _run([*BEHAVE, "-f", "progress", str(features)], ROOT)

    return run


def two_runs_one_report() -> Callable[[Path], Seen]:
    """Two runs at once, writing the same HTML file: it must be one run's page, whole."""

    def run(tmp: Path) -> Seen:
        html = tmp / "acceptance.html"
        argv = [*BEHAVE, "-f", "html-pretty", "-o", str(html), "-f", "progress", SMALL]
        started = time.monotonic()
        runs = [
            subprocess.Popen(
                argv, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
            )
            for _ in range(2)
        ]
        said = "".join(o + e for o, e in (r.communicate(timeout=120) for r in runs))
        page = html.read_text(encoding="utf-8") if html.exists() else ""
        whole = page.count("</html>") == 1 and page.rstrip().endswith("</html>")
        verdict = "the report is one run's page, whole" if whole else "the report is spliced"
        codes = {r.returncode for r in runs}
        return Seen(max(codes), said + "\n" + verdict, time.monotonic() - started)

    return run


def two_junit_runs() -> Callable[[Path], Seen]:
    """Two runs in one clone with --junit alone: each gets a folder of its own."""

    def run(tmp: Path) -> Seen:
        started = time.monotonic()
        argv = [*BEHAVE, "-f", "progress", "--junit", SMALL]
        clone = tmp / "clone"
        clone.mkdir()
        (clone / "behave.ini").write_text((ROOT / "behave.ini").read_text(encoding="utf-8"))
        (clone / "features").symlink_to(ROOT / "features")
        for _ in range(2):
            subprocess.run(argv, cwd=clone, capture_output=True, timeout=60)
        folders = [p for p in (clone / "reports").glob("*") if (p / "TESTS-promises.xml").exists()]
        flat = (clone / "reports" / "TESTS-promises.xml").exists()
        verdict = f"{len(folders)} run folders" + (", and files written over" if flat else "")
        return Seen(0, verdict, time.monotonic() - started)

    return run
