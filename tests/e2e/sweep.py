# ruff: noqa: E501  (the catalogue is a table: one case a line reads best)
"""Wrong inputs and faults, tried as a careless user would: the catalogue and its runner.

Each case ends either in a correct verdict or in one line naming the cause, with no
traceback, within its bound. ``test_sweep.py`` runs every case;
``python tests/e2e/sweep.py`` prints the table of outcomes (docs/reports-and-ci.md).

Cases of one knob are judged in this process (``Settings.from_userdata``, as behave
hands the knobs over, beside behave.ini's defaults): cheap, and the same code behave
runs. The others run behave, or a tool, in a subprocess.
"""

from __future__ import annotations

import configparser
import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
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


# -- the catalogue ---------------------------------------------------------------------


@contextlib.contextmanager
def case_folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="sweep-") as folder:
        tmp = Path(folder)
        (tmp / "latin1.toml").write_bytes('[tenants.Café]\nid = "t1"\n'.encode("latin-1"))
        (tmp / "broken.toml").write_text("[tenants.Acme\n", encoding="utf-8")
        (tmp / "empty.toml").write_text("", encoding="utf-8")
        (tmp / "keys.toml").write_text(
            '[tenants.Acme]\nid = "tenant_acme"\n[tenants.Acme.agents]\n'
            'Helper = { id = "agent_0123456789ab", key = "mmc_secret" }\n',
            encoding="utf-8",
        )
        (tmp / "a-folder.toml").mkdir()
        yield tmp


NOT_FINITE = "is not a finite number"
SECONDS = "is not a number of seconds"
DEPLOYMENT = {"server_url": "ws://127.0.0.1:9/ws", "config_url": "http://127.0.0.1:9"}


def _knob_cases() -> list[Case]:
    numbers = [
        ("reply_timeout", "5000", "reply_timeout=5000 s is over an hour: seconds are meant"),
        ("reply_timeout", "nan", f"reply_timeout='nan' {NOT_FINITE}"),
        ("reply_timeout", "inf", f"reply_timeout='inf' {NOT_FINITE}"),
        ("reply_timeout", "-inf", f"reply_timeout='-inf' {NOT_FINITE}"),
        ("reply_timeout", "1e400", f"reply_timeout='1e400' {NOT_FINITE}"),
        ("reply_timeout", "-5", "reply_timeout=-5.0 must be above 0 s"),
        ("reply_timeout", "0", "reply_timeout=0.0 must be above 0 s"),
        ("reply_timeout", "", f"reply_timeout='' {SECONDS}"),
        ("reply_timeout", "5s", f"reply_timeout='5s' {SECONDS}"),
        ("reply_timeout", "five", f"reply_timeout='five' {SECONDS}"),
        ("connect_timeout", "0", "connect_timeout=0.0 must be above 0 s"),
        ("connect_timeout", "nan", f"connect_timeout='nan' {NOT_FINITE}"),
        ("connect_timeout", "3000", "connect_timeout=3000 s is over ten minutes"),
        ("quiet_window", "nan", f"quiet_window='nan' {NOT_FINITE}"),
        ("quiet_window", "inf", f"quiet_window='inf' {NOT_FINITE}"),
        ("quiet_window", "0", "quiet_window=0.0 must be above 0 s"),
        ("quiet_window", "500ms", f"quiet_window='500ms' {SECONDS}"),
        ("heartbeat", "nan", f"heartbeat='nan' {NOT_FINITE}"),
        ("heartbeat", "inf", f"heartbeat='inf' {NOT_FINITE}"),
        ("heartbeat", "0.5", "heartbeat=0.5 must be a whole number of seconds"),
        ("heartbeat", "0", "heartbeat=0.0 must be a whole number of seconds"),
        ("heartbeat", "25000", "heartbeat=25000 s is over an hour"),
        ("auth_settle", "-1", "auth_settle=-1.0 must not be negative"),
        ("auth_settle", "nan", f"auth_settle='nan' {NOT_FINITE}"),
        ("auth_settle", "300", "auth_settle=300 s is over a minute"),
        ("notice_slack", "inf", f"notice_slack='inf' {NOT_FINITE}"),
        ("notice_slack", "0", "notice_slack=0.0 must be above 0 s"),
        ("replay_slack", "0", "replay_slack=0.0 must be above 0"),
        ("replay_slack", "nan", "replay_slack='nan' is not a finite number: a factor is meant"),
        ("replay_slack", "1000", "replay_slack=1000 is over a hundredfold: a factor is meant"),
        ("replay_max_pause", "0", "replay_max_pause=0.0 must be above 0 s"),
        ("replay_max_pause", "inf", f"replay_max_pause='inf' {NOT_FINITE}"),
        ("first_exchange_grace", "nan", f"first_exchange_grace='nan' {NOT_FINITE}"),
        ("first_exchange_grace", "0", "first_exchange_grace=0.0 must be above 0 s"),
        ("first_exchange_grace", "99999", "first_exchange_grace=99999 s is over an hour"),
        ("max_message_size", "-1", "max_message_size=-1 must not be negative"),
        ("max_message_size", "1.5", "max_message_size='1.5' is not a whole number"),
        ("max_message_size", "2MiB", "max_message_size='2MiB' is not a whole number"),
        ("max_message_size", str(2**40), f"max_message_size={2**40} bytes is over 1 GiB"),
    ]
    cases = [Case(f"-D {k}={v}", knobs(**{k: v}), line, None) for k, v, line in numbers]
    words = [
        ({"reply_timout": "5"}, "reply_timout is not a knob of this suite; did you mean reply_timeout?"),
        ({"timeout": "60"}, "timeout is not a knob of this suite; did you mean reply_timeout?"),
        ({"servr_url": "ws://h:1/ws"}, "servr_url is not a knob of this suite; did you mean server_url?"),
        ({**DEPLOYMENT, "server_url": "http://127.0.0.1:8095/ws"}, "server_url='http://127.0.0.1:8095/ws' is not a valid URL"),
        ({**DEPLOYMENT, "server_url": "localhost:8095"}, "server_url='localhost:8095' is not a valid URL"),
        ({**DEPLOYMENT, "server_url": "ws://"}, "server_url='ws://' is not a valid URL"),
        ({**DEPLOYMENT, "server_url": "ws://127.0.0.1:99999/ws"}, "Port out of range"),
        ({"server_url": "ws://127.0.0.1:9/ws"}, "neither config_url nor cast is"),
        ({**DEPLOYMENT, "config_url": "ws://127.0.0.1:9"}, "config_url='ws://127.0.0.1:9' is not a valid URL"),
        ({**DEPLOYMENT, "config_url": "ftp://127.0.0.1:9"}, "config_url='ftp://127.0.0.1:9' is not a valid URL"),
        ({**DEPLOYMENT, "cast": "{tmp}/keys.toml"}, "config_url and cast are both set"),
        ({"fault": "nope"}, "fault='nope' is not a fault; known:"),
        ({**DEPLOYMENT, "fault": "deaf"}, "fault applies to the embedded server only"),
        ({"server": "mock"}, "server='mock' must be 'reference' or 'maimbot'"),
        ({"platform": ""}, "platform must not be empty"),
        ({"heavy": "yes"}, "heavy='yes' must be 'auto', 'run' or 'skip'"),
        ({"first_exchange": "maybe"}, "first_exchange='maybe' must be 'check' or 'skip'"),
        ({"control_plane": "v3"}, "control_plane='v3' must be 'auto', 'v1' or 'v2'"),
        ({"reference_dialect": "klingon"}, "reference_dialect='klingon' must be"),
        ({"known_gaps": "hide"}, "known_gaps='hide' must be 'check' or 'skip'"),
        ({"replay_pace": "slow"}, "replay_pace='slow' must be 'recorded' or 'fast'"),
        ({"library_log_level": "LOUD"}, "library_log_level='LOUD' is not a log level"),
        ({"llm_tap": "localhost:1"}, "llm_tap='localhost:1' is not a valid URL"),
        ({"cast": "{tmp}/missing.toml"}, "missing.toml: cannot be read"),
        ({"cast": "{tmp}/a-folder.toml"}, "a-folder.toml: cannot be read"),
        ({"cast": "{tmp}/latin1.toml"}, "latin1.toml: not UTF-8 text"),
        ({"cast": "{tmp}/broken.toml"}, "broken.toml: not valid TOML"),
        ({"cast": "{tmp}/empty.toml"}, "empty.toml: tenants: names no tenant"),
        ({"cast": "{tmp}/keys.toml"}, "seeds the embedded server in the saas dialect"),
    ]  # fmt: skip
    for given, line in words:
        told = [f"-D {k}={v}" for k, v in given.items() if DEPLOYMENT["server_url"] != v]
        name = " ".join(told) or "-D server_url=... alone"
        cases.append(Case(name, knobs(**given), line, None))
    return cases


def _run_cases() -> list[Case]:
    no_broken = ("Traceback", "BROKEN")
    return [
        Case("behave started in another directory", in_another_directory(), "did not read this project's behave.ini", 2, 15),
        Case("behave -D reply_timeout=5000", behave("-D", "reply_timeout=5000", SMALL), "error: userdata reply_timeout=5000 s is over an hour: seconds are meant", 2, 15),
        Case("behave -D heartbeat=nan", behave("-D", "heartbeat=nan", SMALL), "error: userdata heartbeat='nan' is not a finite number", 2, 15),
        Case("behave -D quiet_window=inf", behave("-D", "quiet_window=inf", SMALL), "error: userdata quiet_window='inf' is not a finite number", 2, 15),
        Case("behave -D cast=<not UTF-8>", behave("-D", "cast={tmp}/latin1.toml", SMALL), "not UTF-8 text", 2, 15),
        Case("behave --junit-directory <unwritable>", behave("--junit", "--junit-directory", "/proc/junit", SMALL), "--junit-directory /proc/junit: cannot write JUnit there", 2, 15),
        Case("behave -o <HTML in an unwritable folder>", behave("-f", "html-pretty", "-o", "/proc/x/r.html", SMALL), "No such file or directory: '/proc/x'", 1, 15),
        Case("behave features/nope.feature", behave("features/nope.feature"), "FileNotFoundError: features/nope.feature", 1, 15),
        Case("behave --tags=@no_such_tag", behave("--tags=@no_such_tag"), "not green: the run selected no scenario", 1, 30),
        Case("nothing listening at server_url", behave("-D", "server_url=ws://127.0.0.1:9/ws", "-D", "config_url=http://127.0.0.1:9", SMALL), "server_url=ws://127.0.0.1:9/ws: nothing is listening", 2, 15),
        Case("-D llm_tap=<nothing there> against a deployment", against_a_server("-D", "llm_tap=http://127.0.0.1:9", SMALL), "llm_tap=http://127.0.0.1:9: GET /tap/requests failed", 2, 20),
        Case("Ctrl-C (SIGINT to behave) mid-run", behave("-f", "plain", IDLE, signals=((STARTED, 1.0, "INT"),)), "interrupted (SIGINT", 130, 15, no_broken),
        Case("Ctrl-C to behave's process group mid-run", behave("-f", "plain", IDLE, signals=((STARTED, 1.0, "INT-group"),)), "interrupted (SIGINT", 130, 15, no_broken),
        Case("SIGTERM mid-run", behave("-f", "plain", IDLE, signals=((STARTED, 1.0, "TERM"),)), "interrupted (SIGTERM", 130, 15, no_broken),
        Case("Ctrl-C twice", behave("-f", "plain", IDLE, signals=((STARTED, 1.0, "INT"), (STARTED, 0.0, "INT"))), "interrupted", 130, 15, no_broken),
        Case("Ctrl-C while first contact waits on a deaf deployment", against_a_server("-D", "reply_timeout=20", SMALL, server_args=("--fault", "deaf"), signals=(("USING RUNNER", 2.0, "INT"),)), "interrupted (SIGINT) before the first scenario, during the first exchange", 130, 15),
        Case("--stop after a broken promise", behave("--stop", "-D", "fault=leak-cross-tenant", "features/tenant_isolation.feature", "features/tenants_and_agents.feature"), "stopped at the first failure (--stop)", 1, 30, present=("not run: the run stopped at the first failure",)),
        Case("the target killed mid-run", against_a_server(kill_at=4.0), "the target stopped answering at", 3, 40, no_broken),
        Case("a deaf deployment, reply_timeout=2", against_a_server("-D", "reply_timeout=2", SMALL, server_args=("--fault", "deaf")), "answered nothing within reply_timeout=2 s", 2, 2 + 15),
        Case("load: users that never got going", tool("maimbot_acceptance.tools.load.asyncio_driver", "--server-url", "ws://127.0.0.1:9/ws", "--config-url", "http://127.0.0.1:9", "-u", "3", "-r", "30", "-t", "1"), "3 of 3 users never got going", 1, 20),
        Case("a bug in a step of the suite", a_step_with_a_bug(), "the suite's own error, not a verdict on the target: 1 scenario(s)", 4, 15, ("Traceback (most recent", "BROKEN"), ("KeyError: 'missing'",)),
        Case("two runs writing one HTML report", two_runs_one_report(), "the report is one run's page, whole", 0, 40),
        Case("two runs with --junit in one clone", two_junit_runs(), "2 run folders", 0, 40, absent=("files written over",)),
    ]  # fmt: skip


CASES: list[Case] = [*_knob_cases(), *_run_cases()]


def try_case(case: Case) -> tuple[str, Seen]:
    with case_folder() as tmp:
        seen = case.run(tmp)
    return case.judge(seen), seen


def main() -> None:
    """Print the table: case, outcome, seconds (the note's before/after table)."""
    print("| # | case | outcome | s |")
    print("|---|---|---|---|")
    for number, case in enumerate(CASES, start=1):
        outcome, seen = try_case(case)
        print(f"| {number} | {case.name} | {outcome} | {seen.seconds:.1f} |", flush=True)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
