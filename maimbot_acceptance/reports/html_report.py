"""behave-html-pretty-formatter, opening with the promises and folding engineers' notes.

Registered in behave.ini as ``html-pretty``, so the report command is unchanged. Two
changes to the page, nothing else: the first page (set by ``RunReport.finish`` in
``after_all``, which behave runs before it closes its formatters) goes above the
formatter's own summary, and each feature's description shows its promise and body
as prose, with the "For engineers" note inside a collapsed ``<details>``.
"""

from __future__ import annotations

from html import escape
from typing import Any

from behave_html_pretty_formatter import PrettyHTMLFormatter  # type: ignore[import-untyped]
from dominate.tags import div  # type: ignore[import-untyped]
from dominate.util import raw  # type: ignore[import-untyped]

from .specs import read_description


class PromisesFirstHTMLFormatter(PrettyHTMLFormatter):  # type: ignore[misc]
    front_page: str = ""
    """The first page's HTML; empty when the run ended before ``after_all``."""

    def feature(self, feature: Any) -> None:
        super().feature(feature)
        # The formatter renders a description as text inside <pre>; a dominate element
        # there is rendered as HTML instead (the style makes the <pre> wrap as prose).
        self.current_feature.description = div(raw(description_html(feature.description)))

    def _generate_global_summary(self) -> bool:
        # Called inside the page's <body>, before the features: the top of the page.
        if self.front_page:
            raw(self.front_page)
        return bool(super()._generate_global_summary())


def description_html(lines: list[str]) -> str:
    text = read_description(lines)
    parts = []
    if text.promise:
        parts.append(f'<p class="promise"><b>Promise:</b> {escape(text.promise)}</p>')
    if text.body:
        parts.append(f"<p>{escape(text.body)}</p>")
    if text.engineers:
        parts.append(
            '<details class="engineers"><summary>For engineers</summary>'
            f"<p>{escape(text.engineers)}</p></details>"
        )
    return "".join(parts)
