"""One run of the portable features against a stack, as a user would start it, and
what it showed: each scenario's verdict from behave's JUnit, and why it failed."""

from __future__ import annotations

import configparser
import subprocess
import sys
import time
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from pathlib import Path

from behave.parser import parse_file

ROOT = Path(__file__).resolve().parents[2]

RUN_TIMEOUT = 1800.0
"""Seconds a run of the features may take before it is stopped (minutes against an
LLM-backed server; the replying api_server ran in about 3.6)."""

USER_KNOBS = ["-D", "reply_timeout=10", "-D", "quiet_window=2"]
"""What a user gives for a real server: an LLM pipeline needs more than the default
5 s for a reply, a real network a wider quiet window. The heartbeat is read off it."""


@dataclass(frozen=True)
class SuiteRun:
    returncode: int
    output: str
    """behave's stdout, then its stderr."""
    seconds: float
    verdicts: dict[str, str]
    """Scenario name -> passed, failed, error or skipped."""
    failures: dict[str, str]
    """Scenario name -> the text of its JUnit failure or error."""

    def said(self) -> list[str]:
        """What a user reads when the run stops before any scenario (behave's own
        "USING RUNNER" line left out)."""
        lines = self.output.splitlines()
        return [line for line in lines if line.strip() and "USING RUNNER" not in line]


def run_suite(target: list[str], llm_tap: str, work: Path, *knobs: str) -> SuiteRun:
    """``behave`` from the project's root against the stack (``target``: the knobs that
    aim at it, ``Stack.target_knobs``), with the user's knobs; its JUnit goes to
    ``work/junit``, what it printed to ``work/behave.log``. ``llm_tap`` (http://host:port)
    is the tap the stack's model providers point at: given to the suite when it has the
    knob (the canary features read the prompts there)."""
    junit = work / "junit"
    command = [sys.executable, "-m", "behave", "--no-color", "-f", "progress"]
    command += ["--junit", "--junit-directory", str(junit), *target]
    if "llm_tap" in suite_knobs():
        command += ["-D", f"llm_tap={llm_tap}"]
    command += [*USER_KNOBS, *knobs]
    started = time.monotonic()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=RUN_TIMEOUT)
    (work / "behave.log").write_text(done.stdout + done.stderr, encoding="utf-8")
    verdicts, failures = read_junit(junit)
    return SuiteRun(
        done.returncode, done.stdout + done.stderr, time.monotonic() - started, verdicts, failures
    )


def parts_of_the_suite(count: int, behave_args: list[str]) -> list[list[str]]:
    """The feature files in ``count`` parts of about equal size, in behave's order; one
    part of none (behave's own choice) when ``behave_args`` name features themselves."""
    if count < 2 or any(
        arg.endswith(".feature") or arg.startswith("features") for arg in behave_args
    ):
        return [[]]
    features = sorted(
        path.relative_to(ROOT).as_posix() for path in (ROOT / "features").glob("*.feature")
    )
    size = -(-len(features) // count)
    return [features[start : start + size] for start in range(0, len(features), size)]


def joined(runs: list[SuiteRun]) -> SuiteRun:
    """The runs of a suite's parts as one: verdicts and failures together, outputs one
    after another, the worst exit code, the wall times added."""
    if len(runs) == 1:
        return runs[0]
    return SuiteRun(
        max(run.returncode for run in runs),
        "\n".join(run.output for run in runs),
        sum(run.seconds for run in runs),
        {name: v for run in runs for name, v in run.verdicts.items()},
        {name: text for run in runs for name, text in run.failures.items()},
    )


def suite_knobs() -> dict[str, str]:
    """The -D knobs the suite declares, each with its default (behave.ini's userdata)."""
    ini = configparser.ConfigParser(interpolation=None)
    ini.read(ROOT / "behave.ini", encoding="utf-8")
    return dict(ini["behave.userdata"]) if ini.has_section("behave.userdata") else {}


def read_junit(junit: Path) -> tuple[dict[str, str], dict[str, str]]:
    """Scenario -> verdict, and -> why it failed; each scenario by its English name,
    whatever the language of the run (``-D language``), as the outcome table names it."""
    verdicts: dict[str, str] = {}
    failures: dict[str, str] = {}
    english = english_names()
    for report in sorted(junit.glob("*.xml")):
        for case in ElementTree.parse(report).getroot().iter("testcase"):
            name = case.get("name", "").split(" -- @")[0].strip()
            name = english.get(name, name)
            verdicts[name] = "passed"
            for kind, verdict in (
                ("skipped", "skipped"),
                ("failure", "failed"),
                ("error", "error"),
            ):
                found = case.find(kind)
                if found is not None:
                    verdicts[name] = verdict
                    if verdict != "skipped":
                        failures[name] = found.text or found.get("message") or ""
    return verdicts, failures


def _titles(path: Path) -> list[str]:
    return [s.name.split(" -- @")[0].strip() for s in parse_file(str(path)).walk_scenarios()]


def english_names() -> dict[str, str]:
    """A Chinese spec's scenario -> its English twin's name (the one at the same place
    in ``x.feature`` as it is in ``x.zh-CN.feature``: tests/unit/test_parity.py)."""
    names: dict[str, str] = {}
    for path in sorted((ROOT / "features").glob("*.zh-CN.feature")):
        twin = path.with_name(path.name.removesuffix(".zh-CN.feature") + ".feature")
        if twin.exists():
            names.update(zip(_titles(path), _titles(twin), strict=False))
    return names


def known_gaps_of_scenarios() -> dict[str, set[str]]:
    """Scenario name (as in the JUnit) -> the known gaps its tags name."""
    gaps: dict[str, set[str]] = {}
    for path in sorted((ROOT / "features").glob("*.feature")):
        feature = parse_file(str(path))
        for scenario in feature.walk_scenarios():
            tags = {str(tag) for tag in scenario.effective_tags}
            named = {tag.removeprefix("known_gap.") for tag in tags if tag.startswith("known_gap.")}
            gaps.setdefault(scenario.name.split(" -- @")[0].strip(), set()).update(named)
    return gaps
