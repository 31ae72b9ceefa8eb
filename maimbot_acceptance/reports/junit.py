"""behave's JUnit reporter, plus why each skipped scenario was skipped, and the run's
summary as properties.

behave writes a bare ``<skipped/>``; CI dashboards show its ``message``. A scenario
skipped because the target is MaiMBot, or because a known gap was excluded, must say
so in every report.
"""

from __future__ import annotations

import os
import tempfile
import time
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import Any

from behave.reporter.junit import JUnitReporter

from ..errors import SettingsError

BEHAVES_DEFAULT_DIRECTORY = "reports"
"""behave's --junit-directory when none is given: the suite gives each run a folder in it."""


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


def junit_directory_for_the_run(config: Any) -> None:
    """With --junit, where this run writes JUnit: a folder of its own in ``reports/``
    unless --junit-directory says where (two runs in one clone would otherwise
    overwrite each other's files). The folder is checked writable now, before any
    scenario, rather than after the run: one line names it (SettingsError)."""
    if not config.junit:
        return
    if config.junit_directory == BEHAVES_DEFAULT_DIRECTORY:
        run = time.strftime("%Y%m%d-%H%M%S", time.gmtime()) + f"-{os.getpid()}"
        config.junit_directory = str(Path(BEHAVES_DEFAULT_DIRECTORY) / run)
    directory = Path(config.junit_directory)
    try:
        directory.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=directory, prefix=".writable-"):
            pass
    except OSError as error:
        raise SettingsError(
            f"--junit-directory {directory}: cannot write JUnit there: {error.strerror or error}"
        ) from None
