"""behave's JUnit reporter, plus why each skipped scenario was skipped.

behave writes a bare ``<skipped/>``; CI dashboards show its ``message``. A scenario
skipped because the target is MaiMBot, or because a known gap was excluded, must say
so in every report.
"""

from __future__ import annotations

from typing import Any

from behave.reporter.junit import JUnitReporter


class JUnitReporterWithSkipReasons(JUnitReporter):  # type: ignore[misc]
    def _process_scenario(self, scenario: Any, report: Any) -> None:
        already = len(report.testcases)
        super()._process_scenario(scenario, report)
        reason = getattr(scenario, "skip_reason", None)
        if not reason:
            return
        for case in report.testcases[already:]:
            skipped = case.find("skipped")
            if skipped is not None:
                skipped.set("message", reason)


def explain_skips_in_junit(config: Any) -> None:
    """Swap behave's JUnit reporter (present with --junit) for the one above."""
    config.reporters = [
        JUnitReporterWithSkipReasons(config) if type(reporter) is JUnitReporter else reporter
        for reporter in config.reporters
    ]
