# ruff: noqa: E501  (the catalogue is a table: one case a line reads best)
"""The sweep's catalogue: wrong inputs and faults, as a careless user meets them.

``test_sweep.py`` runs every case; ``python tests/e2e/sweep_cases.py`` prints the table
of outcomes (docs/reports-and-ci.md). How a case is run and judged: sweep.py.
"""

from __future__ import annotations

import contextlib
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

if __package__ in (None, ""):  # run as a script: the runner beside it
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from sweep import (  # type: ignore[import-not-found,no-redef]
        IDLE,
        SMALL,
        STARTED,
        Case,
        Seen,
        a_step_with_a_bug,
        against_a_server,
        behave,
        in_another_directory,
        knobs,
        tool,
        two_junit_runs,
        two_runs_one_report,
    )
else:
    from .sweep import (
        IDLE,
        SMALL,
        STARTED,
        Case,
        Seen,
        a_step_with_a_bug,
        against_a_server,
        behave,
        in_another_directory,
        knobs,
        tool,
        two_junit_runs,
        two_runs_one_report,
    )  # fmt: skip


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
    main()
