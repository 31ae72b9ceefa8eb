"""behave's JUnit reporter, plus why each skipped scenario was skipped, and the run's
summary as properties.

behave writes a bare ``<skipped/>``; CI dashboards show its ``message``. A scenario
skipped because the target is MaiMBot, or because a known gap was excluded, must say
so in every report.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from pathlib import Path
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


def write_properties(directory: str, properties: list[tuple[str, str]]) -> Path:
    """The run's summary as JUnit properties, in a suite of their own: behave has
    written each feature's file by the time the run's summary is known."""
    suite = ElementTree.Element("testsuite", name="promises", tests="0", failures="0")
    suite.set("errors", "0")
    suite.set("skipped", "0")
    listed = ElementTree.SubElement(suite, "properties")
    for name, value in properties:
        ElementTree.SubElement(listed, "property", name=name, value=value)
    path = Path(directory) / "TESTS-promises.xml"
    path.parent.mkdir(parents=True, exist_ok=True)
    ElementTree.ElementTree(suite).write(path, encoding="utf-8", xml_declaration=True)
    return path
