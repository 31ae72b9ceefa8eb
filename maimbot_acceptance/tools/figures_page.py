"""``python -m maimbot_acceptance.tools.figures_page``: measure the suite, write docs/figures.md.

Every measured figure of the project lives on that one page, written by this command
and dated by it, never by hand: re-measuring changes one file, and the other docs link
to the page instead of quoting figures. One run, on this machine, one command after
the other (each in a process of its own, as a person would type it):

* the default ``behave`` run (wall time, scenario counts), then the same run writing
  the JUnit and HTML reports (what the reports cost), then behavex with 2 processes;
* the harness benchmark (``tools.bench --no-behave``: the run above is its behave row);
* the recording benchmark (``record bench``);
* a short chat load, the plain asyncio driver beside Locust (``tools.load.compare``);
* what the LLM tap adds to a model request (``llm_tap.bench``).

Under two minutes on 2 cores. Not measured here, as they take minutes:
``./run-tests`` and the kill matrix (``pytest --durations`` times them).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from .bench import PROJECT, machine

PAGE = PROJECT / "docs" / "figures.md"
BEHAVE_SUMMARY = re.compile(r"^\d+ (features?|scenarios?|steps?) passed.*$|^Took .*$", re.M)
LOAD = ["-u", "100", "-r", "100", "-t", "10", "--processes", "2"]


@dataclass(frozen=True)
class Ran:
    """One command as typed, how long it took, and what of its output the page shows."""

    typed: str
    seconds: float
    shown: str
    exit_code: int
    markdown: bool = False
    """The output is Markdown already (a table): shown as it is, not as a listing."""


def run(
    typed: str, argv: list[str], keep: re.Pattern[str] | None = None, *, markdown: bool = False
) -> Ran:
    """Run ``argv`` (``typed`` is how the page shows it) in the project, bounded."""
    print(f"  {typed}", flush=True)
    started = time.perf_counter()
    done = subprocess.run(
        argv, cwd=PROJECT, capture_output=True, text=True, timeout=300, check=False
    )
    took = time.perf_counter() - started
    output = done.stdout.strip()
    shown = "\n".join(m.group(0) for m in keep.finditer(output)) if keep else output
    if done.returncode:
        shown += f"\n(exit code {done.returncode}; stderr: {done.stderr.strip()[-300:]})"
    return Ran(typed, took, shown, done.returncode, markdown)


def measure(scratch: Path) -> list[Ran]:
    python = sys.executable
    behave = [python, "-m", "behave", "--no-color"]
    reports = ["--junit", "--junit-directory", str(scratch / "junit")]
    reports += ["-f", "html-pretty", "-o", str(scratch / "acceptance.html")]
    behavex = [str(Path(python).with_name("behavex")), "--parallel-processes", "2"]
    behavex += ["--tags", "not @soak", "-o", str(scratch / "behavex")]
    module = [python, "-m"]
    return [
        run("behave", [*behave, "-f", "progress"], BEHAVE_SUMMARY),
        run(
            "behave --junit ... -f html-pretty -o ... -f progress",
            [*behave, *reports, "-f", "progress"],
            BEHAVE_SUMMARY,
        ),
        run('behavex --parallel-processes 2 --tags "not @soak"', behavex, BEHAVE_SUMMARY),
        run(
            "python -m maimbot_acceptance.tools.bench --no-behave",
            [*module, "maimbot_acceptance.tools.bench", "--no-behave"],
        ),
        run(
            "python -m maimbot_acceptance.record bench",
            [*module, "maimbot_acceptance.record", "bench"],
        ),
        run(
            f"python -m maimbot_acceptance.tools.load.compare {' '.join(LOAD)}",
            [*module, "maimbot_acceptance.tools.load.compare", *LOAD],
            markdown=True,
        ),
        run(
            "python -m maimbot_acceptance.llm_tap.bench",
            [*module, "maimbot_acceptance.llm_tap.bench"],
        ),
    ]


SECTIONS = (
    (
        "The default run",
        "The suite as `behave` runs it, against the embedded reference server. Most of it is "
        "deliberate waiting: silence windows, an idle connection outliving the heartbeat, a "
        "silent network noticed, newcomers arriving over 2 s.",
    ),
    (
        "The same run writing its reports",
        "JUnit and the HTML report of the promises "
        "([reports and CI](reports-and-ci.md#reports)), against the run above.",
    ),
    (
        "Two processes (behavex)",
        "Much of the suite waits rather than computes, and that waiting runs side by side "
        "([parallel runs](reports-and-ci.md#parallel-runs)).",
    ),
    (
        "Harness benchmark",
        "The round trip through the harness against a bare maim_message client (same server, "
        "same run, interleaved), clients connecting at once and conversing, peak memory "
        "([load and bench](load-and-bench.md#benchmark)).",
    ),
    (
        "Recording benchmark",
        "What the recording proxy costs a round trip, and converting a journal to a feature "
        "([recording](recording.md)).",
    ),
    (
        "Chat load: Locust beside the plain asyncio driver",
        "A short run of both drivers against one reference server "
        "([load and bench](load-and-bench.md)); `-t 30` and more users give steadier figures.",
    ),
    (
        "LLM tap",
        "What the LLM tap adds to one chat completion: a fake model asked directly and "
        "through a tap forwarding to it, interleaved, on loopback "
        "([the LLM tap](llm-tap.md#cost)).",
    ),
)


def page(runs: list[Ran], written: str, load_before: float, load_after: float) -> str:
    default, with_reports = runs[0], runs[1]
    lines = [
        "# Figures",
        "",
        f"Measured {written} by `python -m maimbot_acceptance.tools.figures_page`, which "
        "wrote this page; run it again to refresh it (it takes under two minutes). Other "
        "documents link here instead of quoting figures.",
        "",
        f"Machine: {machine()}; load average {load_before:.2f} before, {load_after:.2f} "
        "after (the machine may be shared: on a busy one the figures move).",
    ]
    for (title, about), ran in zip(SECTIONS, runs, strict=True):
        lines += ["", f"## {title}", "", about, "", f"`{ran.typed}`: {ran.seconds:.1f} s wall"]
        if ran is with_reports and default.seconds:
            lines[-1] += f", {ran.seconds / default.seconds:.2f}x the default run"
        lines += ["", _apart(ran.shown)] if ran.markdown else ["", "```", ran.shown, "```"]
    lines += [
        "",
        "## Not measured here",
        "",
        "`./run-tests` (lint, types, every pytest, behave) and the kill matrix take minutes; "
        "`pytest --durations=10` times their slowest parts.",
        "",
    ]
    return "\n".join(lines)


def _apart(markdown: str) -> str:
    """A blank line between a table and the text around it (Markdown wants one)."""
    return re.sub(r"(?m)^((?!\|).+)\n(?=\|)|^(\|.*)\n(?!\|)", r"\1\2\n\n", markdown)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m maimbot_acceptance.tools.figures_page", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--out", type=Path, default=PAGE, help=f"default {PAGE}")
    args = parser.parse_args(argv)
    print(f"Measuring, then writing {args.out}:", flush=True)
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as scratch:
        runs = measure(Path(scratch))
    written = time.strftime("%Y-%m-%d %H:%M %Z")
    args.out.write_text(page(runs, written, load_before, os.getloadavg()[0]), encoding="utf-8")
    print(f"Wrote {args.out} in {time.perf_counter() - started:.0f} s")
    return 1 if any(ran.exit_code for ran in runs) else 0


if __name__ == "__main__":
    sys.exit(main())
