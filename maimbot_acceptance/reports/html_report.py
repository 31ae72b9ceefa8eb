"""behave-html-pretty-formatter, opening with the promises and folding engineers' notes.

Registered in behave.ini as ``html-pretty``, so the report command is unchanged. The
changes, all for a reader who is not an engineer:

- the first page (set by ``RunReport.finish`` in ``after_all``, which behave runs
  before it closes its formatters) opens the page, in place of the formatter's own
  banner and tally (which counted a skip the first page calls "not checked");
- each feature's description shows its promise and body as prose, with the "For
  engineers" note inside a collapsed ``<details>``;
- scenario titles lose behave's "-- @1.1" example suffix, steps their file:line;
- control characters (the control-character scenario sends NUL, BEL, ESC) are written
  as visible escapes (``\x07``): raw, they make tools take the page for a binary file.
"""

from __future__ import annotations

import os
import re
from html import escape
from typing import Any

from behave.model_core import Status
from behave_html_pretty_formatter import PrettyHTMLFormatter  # type: ignore[import-untyped]
from dominate.tags import div  # type: ignore[import-untyped]
from dominate.util import raw  # type: ignore[import-untyped]

from .languages import language_of
from .specs import read_description
from .words import IN_ENGLISH, Words


class PromisesFirstHTMLFormatter(PrettyHTMLFormatter):  # type: ignore[misc]
    stream: Any
    _closed: bool
    front_page: str = ""
    """The first page's HTML; empty when the run ended before ``after_all``."""

    def feature(self, feature: Any) -> None:
        super().feature(feature)
        # The formatter renders a description as text inside <pre>; a dominate element
        # there is rendered as HTML instead (the style makes the <pre> wrap as prose).
        words = Words(language_of(feature))
        self.current_feature.description = div(raw(description_html(feature.description, words)))

    def scenario(self, scenario: Any) -> None:
        super().scenario(scenario)
        self.current_scenario.name = scenario.name.split(" -- @")[0].strip()

    def match(self, match: Any) -> None:
        super().match(match)
        if match.location:  # (the formatter records a step's location only then)
            self.current_scenario.current_step.location = ""

    def _generate_global_summary(self) -> bool:
        # Called inside the page's <body>, before the features: the top of the page.
        if self.front_page:
            raw(self.front_page)
        return True  # (True: the formatter's own banner is not wanted elsewhere either)

    def close(self) -> None:
        # The page is written whole to a file of its own, then put in place: two runs
        # naming the same -o file leave one run's page, never one spliced from both.
        if self._closed:  # (behave closes a formatter twice)
            return
        self._restate_cut_short()
        stream, name = self.stream, getattr(self.stream_opener, "name", None)
        whole = open(f"{name}.{os.getpid()}.part", "w", encoding="utf-8") if name else None  # noqa: SIM115
        self.stream = _Escaping(whole or stream)
        try:
            super().close()
        finally:
            self.stream = stream
            if whole is not None and name is not None:
                whole.close()
                stream.close()
                os.replace(whole.name, name)

    def _restate_cut_short(self) -> None:
        """A scenario cut short by the run's end (reports/run_end.py) was made a skip
        after the formatter saw it fail: show it as behave now has it."""
        for feature in getattr(self, "features", []):
            for scenario in feature.scenarios:
                ran = getattr(scenario, "_scenario", None)
                if ran is not None and ran.status == Status.skipped:
                    scenario.status = Status.skipped
            if not any(s.status.has_failed() for s in feature.scenarios):
                passed = any(s.status == Status.passed for s in feature.scenarios)
                feature.status = Status.passed if passed else Status.skipped


CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
"""Control characters but tab and line ends."""


def escape_controls(text: str) -> str:
    return CONTROL.sub(lambda found: f"\\x{ord(found.group()):02x}", text)


class _Escaping:
    """The formatter's output stream, writing control characters as escapes."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream

    def write(self, text: str) -> Any:
        return self.stream.write(escape_controls(text))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


def description_html(lines: list[str], words: Words = IN_ENGLISH) -> str:
    text = read_description(lines)
    parts = []
    if text.promise:
        marker = words("promise marker")
        parts.append(f'<p class="promise"><b>{marker}</b> {escape(text.promise)}</p>')
    if text.body:
        parts.append(f"<p>{escape(text.body)}</p>")
    if text.engineers:
        parts.append(
            f'<details class="engineers"><summary>{words("engineers")}</summary>'
            f"<p>{escape(text.engineers)}</p></details>"
        )
    return "".join(parts)
