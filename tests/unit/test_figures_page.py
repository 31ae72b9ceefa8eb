"""The figures page is written by its command, dated by it, one section per measure."""

import re
import sys

from maimbot_acceptance.tools.figures_page import SECTIONS, Ran, page, run


def test_a_run_keeps_the_lines_asked_for_and_says_when_a_command_failed():
    ok = run("hello", [sys.executable, "-c", "print('noise'); print('3 scenarios passed')"],
             re.compile(r"^\d+ scenarios passed$", re.M))  # fmt: skip
    assert (ok.shown, ok.exit_code) == ("3 scenarios passed", 0)
    failed = run("fail", [sys.executable, "-c", "import sys; sys.exit('broken')"])
    assert failed.exit_code == 1 and "exit code 1" in failed.shown and "broken" in failed.shown


def test_the_page_is_dated_by_the_command_and_has_every_measure():
    runs = [Ran(f"command {n}", 10.0 + n, f"output {n}", 0) for n in range(len(SECTIONS) - 1)]
    runs.append(Ran("table", 1.0, "head\n| a |\n|---|\n| 1 |\ntail", 0, markdown=True))
    text = page(runs, "2026-12-03 10:00 UTC", 0.5, 1.5)
    assert (
        "Measured 2026-12-03 10:00 UTC by `python -m maimbot_acceptance.tools.figures_page`" in text
    )
    for title, _ in SECTIONS:
        assert f"## {title}" in text
    assert "`command 1`: 11.0 s wall, 1.10x the default run" in text
    assert "```\noutput 3\n```" in text
    assert "head\n\n| a |\n|---|\n| 1 |\n\ntail" in text  # a table, not a listing
