"""``python -m maimbot_acceptance.rehearsal {api_server,saas,upstream} [--maimbot-git DIR] ...``:
bring a real MaiMBot stack up on loopback, run the portable features against it,
hold the run to the outcome table; exit 0 when it matched, 1 when not, 2 when the
stack could not be brought up. ``docs/rehearsal.md`` says more."""

from __future__ import annotations

import argparse
import signal
import sys
import tempfile
from collections import Counter
from dataclasses import replace
from pathlib import Path

from ..errors import SettingsError
from . import saas
from .bring_up import MODES, Target, stack_up
from .outcome import EXPECTED, judge
from .suite_run import SuiteRun, joined, parts_of_the_suite, run_suite
from .upstream import DEFAULT_VERSION


def parse(argv: list[str]) -> tuple[Target, argparse.Namespace]:
    # What follows "--" is behave's, split off first: argparse gives an optional
    # positional list nothing once the stack is matched, and then refuses the rest.
    cut = argv.index("--") if "--" in argv else len(argv)
    ours, behave_args = argv[:cut], argv[cut + 1 :]
    parser = argparse.ArgumentParser(
        prog="python -m maimbot_acceptance.rehearsal",
        epilog="after --: more behave arguments (-- --tags=@security)",
    )
    parser.add_argument("stack", choices=sorted(MODES))
    parser.add_argument("--maimbot-git", type=Path, help="git dir of MaiMBot (api_server, saas)")
    parser.add_argument("--maimdb-git", type=Path, help="git dir of maim_db (saas)")
    parser.add_argument("--maimconfig-git", type=Path, help="git dir of MaimConfig (saas)")
    parser.add_argument("--mode", help="api_server: shipped, kept, replying; saas: kept, shipped")
    parser.add_argument(
        "--version", default=DEFAULT_VERSION, help="upstream: the maibot release to install"
    )
    parser.add_argument(
        "--python", type=Path, help="upstream: Python >= 3.12 for its venv (default: found)"
    )
    parser.add_argument("--venv", type=Path, help="reuse this venv (made by an earlier run)")
    parser.add_argument("--work", type=Path, help="work dir (default: a fresh temporary one)")
    parser.add_argument("--ready-timeout", type=float, default=240.0)
    parser.add_argument("--no-suite", action="store_true", help="bring up only (with --keep-up)")
    parser.add_argument("--keep-up", action="store_true", help="keep it up until Ctrl-C")
    args = parser.parse_args(ours)
    args.behave_args = behave_args
    mode = (
        args.mode or {"api_server": "replying", "saas": "kept", "upstream": "installed"}[args.stack]
    )
    work = args.work or Path(tempfile.mkdtemp(prefix=f"rehearsal-{args.stack}-{mode}-"))
    target = Target(
        stack=args.stack,
        mode=mode,
        maimbot_git=args.maimbot_git.resolve() if args.maimbot_git else None,
        work=work.resolve(),
        maimdb_git=args.maimdb_git.resolve() if args.maimdb_git else None,
        maimconfig_git=args.maimconfig_git.resolve() if args.maimconfig_git else None,
        venv=args.venv.resolve() if args.venv else None,
        ready_timeout=args.ready_timeout,
        version=args.version,
        python=args.python,
    )
    return target, args


PARTS = {"api_server": 1, "saas": saas.SUITE_PARTS, "upstream": 1}
"""Stack -> how many parts the features run in, each against a stack of its own."""


def main(argv: list[str]) -> int:
    target, args = parse(argv)
    stopped: list[str] = []
    one_run = args.no_suite or args.keep_up
    parts = [[]] if one_run else parts_of_the_suite(PARTS[target.stack], args.behave_args)
    runs: list[SuiteRun] = []
    try:
        for number, features in enumerate(parts, 1):
            # Each part on a stack of its own; the first one's venv serves them all.
            whole = len(parts) == 1
            part = target if whole else replace(target, work=target.work / f"part{number}")
            if not whole:
                print(f"part {number} of {len(parts)}: {' '.join(features)}", flush=True)
            with stack_up(part, stopped) as up:
                made = up.stack.venv
                pip = f", pip {made.installed_in:.0f} s" if made.installed_in is not None else ""
                print(f"bring-up: {up.seconds:.1f} s{pip}; venv {made.path}")
                print("\n".join(up.stack.describe()), flush=True)
                target = replace(target, venv=made.path)
                if not args.no_suite:
                    stack = up.stack
                    knobs = [*args.behave_args, *features]
                    runs.append(run_suite(stack.target_knobs(), stack.tap_url, part.work, *knobs))
                if args.keep_up:
                    print("up until Ctrl-C", flush=True)
                    signal.pause()
    except SettingsError as failed:
        print(f"error: {failed}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    finally:
        if stopped:
            print("\n".join(stopped))
    return 0 if not runs or told(joined(runs), target) else 1


def told(run: SuiteRun, target: Target) -> bool:
    """Print the run's outcome against the table; whether it matched."""
    judgement = judge(run, EXPECTED[(target.stack, target.mode)])
    counts = dict(Counter(run.verdicts.values()))
    print(f"run: {run.seconds:.1f} s, exit code {run.returncode}, {counts}")
    print(f"  behave's output: {target.work}/**/behave.log; JUnit in junit/")
    print("outcome (scenario | verdict | known gap):")
    for scenario, verdict, gap in judgement.rows:
        print(f"  {scenario} | {verdict} | {gap}")
    print("matched the outcome table" if judgement.matched else "did NOT match:")
    for mismatch in judgement.mismatches:
        print(f"  - {mismatch}")
    return judgement.matched


if __name__ == "__main__":
    # SIGTERM ends the rehearsal as Ctrl-C does: the stack's processes are stopped.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    sys.exit(main(sys.argv[1:]))
