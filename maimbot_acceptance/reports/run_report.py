"""What the run tells its readers, gathered scenario by scenario: one object, one call
per hook, so that ``features/environment.py`` stays about lifecycle.

``begin`` (end of ``before_all``) sets the reports up; ``scenario_done`` (each
``after_scenario``) records skips, known gaps and figures; ``finish`` (``after_all``)
prints the closing summaries to the console, gives the HTML report its first page
and writes the JUnit properties.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..scenario.world import World
from ..targets.fixtures import Target
from ..targets.known_gaps import KNOWN_GAPS, GapLedger, failed_step
from .figures import RunFigures
from .front_page import STYLE, front_page
from .html_report import PromisesFirstHTMLFormatter
from .junit import explain_skips_in_junit, write_properties
from .promises import promises_of
from .reporting import SkipLog, html_reports, style_reports, tell
from .summary import GapVerdict, RunSummary


def target_line(target: Target, fault: str) -> str:
    """Which server the run was aimed at, in words."""
    if target.control is not None:
        line = f"the embedded reference server the suite started ({target.server_url})"
        if target.dialect != "reference":
            line += f", speaking the {target.dialect} dialect"
        return line + (f", with the fault '{fault}' switched on" if fault else "")
    return f"a deployment: {target.describe()}"


@dataclass
class RunReport:
    target: str
    dialect: str
    """The target's dialect: which MaiMBot's known gaps the run judges."""
    gaps: GapLedger
    skips: SkipLog = field(default_factory=SkipLog)
    figures: RunFigures = field(default_factory=RunFigures)

    @classmethod
    def begin(cls, context: Any, target: Target, fault: str) -> RunReport:
        explain_skips_in_junit(context.config)
        style_reports(context, STYLE)
        return cls(target_line(target, fault), target.dialect, GapLedger(target.dialect))

    def scenario_done(self, context: Any, scenario: Any, world: World | None) -> None:
        self.skips.record(context, scenario)
        self.gaps.record(scenario.effective_tags, scenario.status.name, failed_step(scenario))
        if world is not None:
            self.figures.record(world)

    def summary(self, features: list[Any]) -> RunSummary:
        gaps = [
            GapVerdict(name, self.gaps.verdict(name), KNOWN_GAPS[name].what)
            for name in sorted(self.gaps.outcomes)
        ]
        promises = promises_of(features, self.dialect)
        return RunSummary(self.target, promises, gaps, self.figures.rows())

    def finish(self, context: Any) -> None:
        for closing in (self.skips.summary(), "\n".join(self.gaps.summary())):
            if closing:
                tell(closing + "\n")
        summary = self.summary(list(context._runner.features))
        tell(summary.as_text() + "\n")
        for formatter in html_reports(context):
            if isinstance(formatter, PromisesFirstHTMLFormatter):
                formatter.front_page = front_page(summary, formatter.title_string)
        if context.config.junit:
            write_properties(context.config.junit_directory, summary.properties())
