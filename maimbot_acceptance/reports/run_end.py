"""How a run ended, told apart from what it judged: interrupted (Ctrl-C, SIGTERM, or
``--stop`` after a first failure), the target gone mid-run, or the suite's own error.

None of these is a broken promise. A scenario that was running when the run was
interrupted, or when the target stopped answering, is turned into a skip with the
reason (behave's status, so the console, JUnit and HTML all say it); the scenarios
never reached say why they were not run; the run ends with one line and an exit code
of its own (``EXIT_CODES``).

Every reader-facing word of this module is in the run's words (words.py), in the
run's language: a Chinese run ends with a Chinese line.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import time
from dataclasses import dataclass
from types import FrameType
from typing import Any

from behave.model_core import Status

from .words import IN_ENGLISH, Words

EXIT_CODES = {
    "green": 0,
    "not green": 1,  # a promise broken, or a capability selected and not checked
    "could not start": 2,  # a knob, a file, or a target unfit at first contact
    "target lost": 3,
    "suite error": 4,
    "interrupted": 130,
}
"""behave's exit code, by how the run ended (docs/reports-and-ci.md)."""

ERROR_STATUSES = {"error", "hook_error", "cleanup_error", "undefined", "pending"}
"""behave's statuses of a scenario that raised something other than an expectation."""


@dataclass(frozen=True)
class Stop:
    """Why the run stopped before its end, and when (seconds into the run)."""

    kind: str  # "interrupted" or "target lost"
    at: float
    signal: str = ""
    problem: str = ""


class RunEnd:
    """Watches the run for its end: installs the SIGINT/SIGTERM handler, notices a
    target gone after a failure, and says how the run ended."""

    def __init__(self, runner: Any) -> None:
        self.runner = runner
        self.started = time.monotonic()
        self.stop: Stop | None = None
        self.phase = "starting"
        """Where the run is: "starting" (before_all), "scenario", "between", "finishing"."""
        self.doing = "the start-up"
        self.errors: list[str] = []
        """The suite's own errors: "features/x.feature:12 (LoopTimeout: ...)"."""
        self.late = False
        """A signal came while the reports were being written."""
        self.final_line = ""
        """How the run ended, in one line (``line``), printed last of all."""
        self.words: Words = IN_ENGLISH
        """The run's language, once the settings are read (English until then)."""
        self.given: set[str] = set()
        """The reasons it gave scenarios it cut off (``cut_off``)."""

    @classmethod
    def begin(cls, context: Any) -> RunEnd:
        run_end = cls(context._runner)
        if getattr(context, "run_records", None):
            return run_end  # a behavex process: behavex owns signals and the exit code
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, run_end._on_signal)
        context.config.reporters.append(_ExitCode(run_end))
        return run_end

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started

    # -- the interruption -----------------------------------------------------------

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        name = signal.Signals(signum).name
        if self.phase == "finishing" and not self.late:
            # Every scenario has run and the reports are being written (a second or so):
            # the run's verdict stands; a second signal still stops at once.
            self.late = True
            return
        if self.late or (self.stop is not None and self.stop.kind == "interrupted"):
            # A second Ctrl-C: the user wants out now, whatever is still being written.
            print(self.words("interrupted again", signal=name), file=sys.__stderr__, flush=True)
            os._exit(EXIT_CODES["interrupted"])
        self.stop = Stop("interrupted", self.elapsed, signal=name)
        if self.phase != "starting":  # (before_all ends the run itself, in one line)
            self.runner.abort(reason=f"interrupted ({name})")  # no scenario starts after this
        # What the libraries log while connections are torn down mid-exchange ("connection
        # not found", a model call cut) is the interruption's echo, not news.
        logging.disable(logging.ERROR)
        if self.phase in ("starting", "scenario"):
            raise KeyboardInterrupt  # ends the wait in hand; its clean-up follows as usual

    def interrupted_line(self) -> str | None:
        """Before the first scenario: the one line of an interrupted start."""
        if self.stop is None or self.stop.kind != "interrupted":
            return None
        return self.words(
            "interrupted before the first scenario",
            signal=self.stop.signal,
            doing=self.words.phrase(self.doing),
        )

    # -- scenario by scenario -------------------------------------------------------

    def scenario_starts(self, scenario: Any) -> str | None:
        """Why ``scenario`` is not to run (the target is gone); None to run it."""
        self.phase = "scenario"
        if self.stop is not None and self.stop.kind == "target lost":
            return self._cut_off(self.words("not run, target lost", at=self.stop.at))
        return None

    def scenario_ends(self, scenario: Any, target_gone: Any) -> None:
        """After the scenario: an unfinished one becomes a skip saying why;
        ``target_gone()`` (called only after a failure) says why the target no longer
        answers, or None."""
        self.phase = "between"
        status = scenario.status.name
        if status in ("passed", "skipped", "untested"):
            return
        if self.stop is not None and self.stop.kind == "interrupted":
            _unfinished(
                scenario, self._cut_off(self.words("interrupted while it ran", **self._said()))
            )
            return
        problem = target_gone() if self.stop is None else None
        if problem is not None:
            self.stop = Stop("target lost", self.elapsed, problem=problem)
            _unfinished(scenario, self._cut_off(self.words("lost while it ran", at=self.stop.at)))
            return
        if status in ERROR_STATUSES:
            self.errors.append(f"{scenario.location} {_first_error_line(scenario)}")

    def _cut_off(self, reason: str) -> str:
        self.given.add(reason)
        return reason

    def cut_off(self, reason: str) -> bool:
        """Whether a scenario skipped for ``reason`` was cut off by the run's end (in
        whatever language the reason is said)."""
        return reason in self.given

    @property
    def cut_short(self) -> bool:
        """Interrupted, or the target gone: what was in flight was cut off."""
        return self.stop is not None

    def finishing(self) -> None:
        self.phase = "finishing"

    # -- the end --------------------------------------------------------------------

    def not_run_reason(self, stopped_at_first_failure: bool) -> str | None:
        """Why a selected scenario never ran; None when the run was not cut short."""
        if self.stop is not None and self.stop.kind == "interrupted":
            return self.words("not run, interrupted", **self._said())
        if self.stop is not None:
            return self.words("not run, target lost", at=self.stop.at)
        return self.words("not run, stopped") if stopped_at_first_failure else None

    def line(self, selected: int, not_run: int, stopped_at_first_failure: bool) -> str | None:
        """The one line of how the run ended, when it was not simply run to its end."""
        done = selected - not_run
        if self.stop is not None and self.stop.kind == "interrupted":
            return self.words("interrupted", done=done, selected=selected, **self._said())
        if self.stop is not None:
            return self.words(
                "target lost", at=self.stop.at, problem=self.stop.problem, count=not_run
            )
        if self.errors:
            return self.words("suite error", count=len(self.errors), first=self.errors[0])
        if stopped_at_first_failure and not_run:
            return self.words("stopped", done=done, selected=selected)
        return None

    def exit_code(self) -> int | None:
        """The exit code this end calls for, where it is not behave's own (0 or 1)."""
        if self.stop is not None:
            return EXIT_CODES[self.stop.kind]
        return EXIT_CODES["suite error"] if self.errors else None

    def _said(self) -> dict[str, Any]:
        assert self.stop is not None
        return {"signal": self.stop.signal, "at": self.stop.at}


def _unfinished(scenario: Any, reason: str) -> None:
    """Turn a scenario cut off by the run's end into a skip: behave's own status, so
    every report (console, JUnit, HTML) says it was not judged, rather than broken."""
    for step in scenario.all_steps:
        if step.status.has_failed():
            step.status = Status.skipped
    scenario.hook_failed = False
    scenario.skip(reason=reason)


def _first_error_line(scenario: Any) -> str:
    failed = [s for s in scenario.all_steps if s.status.has_failed()]
    exception = failed[0].exception if failed else getattr(scenario, "exception", None)
    if exception is None:
        status = failed[0].status.name if failed else scenario.status.name
        return f"({status})"
    said = str(exception).strip().splitlines()
    return f"({type(exception).__name__}{': ' + said[0][:160] if said else ''})"


class _ExitCode:
    """The last of behave's reporters: once every report is written, end the process
    with the code of how the run ended (behave itself knows only 0 and 1)."""

    def __init__(self, run_end: RunEnd) -> None:
        self.run_end = run_end

    def feature(self, feature: Any) -> None:
        pass

    def end(self) -> None:
        if self.run_end.final_line:
            print(self.run_end.final_line, file=sys.__stderr__, flush=True)
        code = self.run_end.exit_code()
        if code is not None:
            sys.stdout.flush()
            raise SystemExit(code)
