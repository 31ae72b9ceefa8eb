"""What the run tells its readers, gathered scenario by scenario: one object, one call
per hook, so that ``features/environment.py`` stays about lifecycle.

``begin`` (end of ``before_all``) sets the reports up; ``scenario_done`` (each
``after_scenario``) records skips and figures; ``finish`` (``after_all``) concludes:
the closing summaries at the console, the HTML report's first page, the JUnit
properties, and whether the run may end green. Under behavex (``parallel``) each
process only keeps its record; ``conclude_parallel`` merges them at the end.
"""

from __future__ import annotations

import sys
import time
import uuid
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..scenario.world import World
from ..targets.fixtures import Target
from .figures import RunFigures
from .front_page import STYLE, front_page, standalone_page
from .green import why_not_green
from .html_report import PromisesFirstHTMLFormatter
from .junit import explain_skips_in_junit, write_properties
from .promises import promises_of
from .reporting import SkipLog, html_reports, style_reports, tell
from .run_end import RunEnd
from .run_record import RunRecord, keep, merge_kept
from .summary import Judged
from .words import IN_ENGLISH, Words


def target_line(target: Target, fault: str, words: Words = IN_ENGLISH) -> str:
    """Which server the run was aimed at, in words."""
    if target.control is not None:
        line = words("embedded server")
        if target.dialect != "reference":
            line += words("speaking dialect", dialect=target.dialect)
        return line + (words("with fault", fault=fault) if fault else "")
    return words("a deployment", target=target.describe())


def judged(target: Target, fault: str, words: Words = IN_ENGLISH) -> Judged:
    return Judged(
        # The suite's own server (embedded, or started apart and named with -D
        # server=reference) stands in for MaiMBot: a rehearsal, whatever its dialect.
        rehearsal=target.control is not None or target.kind == "reference",
        target=target_line(target, fault, words),
        date=time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        told=target.told,
    )


@dataclass
class RunReport:
    target: Target
    fault: str
    language: str = "en"
    run_end: RunEnd | None = None
    skips: SkipLog = field(default_factory=SkipLog)
    figures: RunFigures = field(default_factory=RunFigures)

    @classmethod
    def begin(
        cls, context: Any, target: Target, fault: str, language: str, run_end: RunEnd
    ) -> RunReport:
        explain_skips_in_junit(context.config)
        style_reports(context, STYLE)
        return cls(target, fault, language, run_end)

    def scenario_done(self, context: Any, scenario: Any, world: World | None) -> None:
        self.skips.record(context, scenario)
        if world is not None:
            self.figures.record(world)

    def record(self, features: list[Any], exempt: frozenset[str], config: Any = None) -> RunRecord:
        stopped = bool(config is not None and config.stop) and any(
            s.status.name == "failed" for f in features for s in f.walk_scenarios()
        )

        def not_run(scenario: Any) -> str | None:
            if self.run_end is None or config is None or not _selected(scenario, config):
                return None
            return self.run_end.not_run_reason(stopped)

        promises = promises_of(features, self.target.dialect, not_run)
        selected = [o for p in promises for o in p.outcomes if o.selected]
        if self.run_end is None:
            ended = None
        else:
            cut_off = self.run_end.cut_off
            cut_short = [o for o in selected if o.ended == "untested" or cut_off(o.reason)]
            ended = self.run_end.line(len(selected), len(cut_short), stopped)
        return RunRecord(
            judged(self.target, self.fault, Words(self.language)),
            self.target.dialect,
            promises,
            replace(self.figures, ended=time.time()),
            exempt,
            self.language,
            ended or "",
        )

    def finish(self, context: Any, exempt: frozenset[str], parallel: Path | None) -> None:
        """Conclude the run; ``parallel``: the directory where a behavex process keeps
        its record for ``conclude_parallel`` instead."""
        record = self.record(list(context._runner.features), exempt, context.config)
        if parallel is not None:
            keep(record, parallel, uuid.uuid4().hex)  # (a process runs behave many times)
            return
        skipped = self.skips.summary(Words(self.language))
        if skipped:
            tell(skipped + "\n")
        summary = record.summary()
        tell(summary.as_text() + "\n")
        if self.run_end is not None and record.ended:
            self.run_end.final_line = record.ended
            if self.run_end.exit_code() is not None:
                # How the run ended says it all: the lines below are about promises.
                for formatter in html_reports(context):
                    if isinstance(formatter, PromisesFirstHTMLFormatter):
                        formatter.front_page = front_page(summary)
                if context.config.junit:
                    write_properties(context.config.junit_directory, summary.properties())
                return
        for formatter in html_reports(context):
            if isinstance(formatter, PromisesFirstHTMLFormatter):
                formatter.front_page = front_page(summary)
        if context.config.junit:
            write_properties(context.config.junit_directory, summary.properties())
        line = why_not_green(record.promises, record.exempt, Words(record.language))
        if line is not None:
            print(line, file=sys.__stderr__, flush=True)  # (behave captures sys.stderr)
            # behave's one way to fail a run from a hook without a traceback: the run's
            # result counts hook failures, and exits 1.
            context._runner.hook_failures += 1


def _selected(scenario: Any, config: Any) -> bool:
    """Whether the run's tags and names select ``scenario`` (it may never have run)."""
    if not scenario.should_run_with_tags(config.tag_expression):
        return False
    return not config.name or scenario.should_run_with_name_select(config)


def conclude_parallel(kept: Path, output: Path) -> str | None:
    """After the last behavex process: the merged run's console summary, first page
    (``promises.html``) and JUnit properties; the line that fails the run, if any."""
    record = merge_kept(kept)
    if record is None:
        return "not green: no behave process of the parallel run kept a record"
    summary = record.summary()
    tell("\n" + summary.as_text() + "\n")
    (output / "promises.html").write_text(standalone_page(summary), encoding="utf-8")
    write_properties(str(output / "behave"), summary.properties())  # (behavex's JUnit)
    return why_not_green(record.promises, record.exempt, Words(record.language))
