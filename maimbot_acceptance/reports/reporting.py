"""What a scenario shows its readers, beside pass/fail: figures, exchanges, skip reasons.

Three audiences read a run: engineers at the console, product owners in the HTML
report (behave-html-pretty-formatter), CI in JUnit. ``publish`` prints figures under
the current step (behave.ini turns stdout capture off) and attaches them to the
reports; ``attach`` only attaches (exchange transcripts would flood the console).
Attachments use each formatter's own mechanism: html-pretty's ``embed``, and
behave's ``context.attach`` for formatters with ``embedding`` (json).
"""

from __future__ import annotations

import html
import sys
import textwrap
from collections.abc import Sequence
from typing import Any

from ..scenario.exchange import Exchange
from .words import IN_ENGLISH, Words

TARGET_IS = "; the target is "
"""How a skip reason names the target (targets.applicability)."""

CONSOLE_WIDTH = 120
"""The console's lines stay within this, where the suite writes them."""

REPORT_STYLE = """<style>
pre.feature-summary-commentary {
  white-space: normal; font-family: sans-serif; font-size: 1rem; line-height: 1.45;
  max-width: 60%;
}
table.exchanges td, table.exchanges th { font-family: sans-serif; text-align: left; }
</style>"""


def html_reports(context: Any) -> list[Any]:
    return [f for f in getattr(context._runner, "formatters", []) if f.name == "html-pretty"]


def style_reports(context: Any, *more: str) -> None:
    """Feature descriptions read as paragraphs, not as hard-wrapped code; ``more``
    styles, such as the first page's."""
    for formatter in html_reports(context):
        for style in (REPORT_STYLE, *more):
            formatter.add_html_head_element(style)


def attach(
    context: Any, title: str, text: str, *, as_html: str = "", inside_step: bool = False
) -> None:
    """Attach ``text`` (or its ``as_html`` rendering, where a report shows HTML).

    html-pretty takes attachments from hooks too. behave's ``context.attach`` (json)
    files an attachment under the step *being run*, so it is used from steps only.
    """
    for formatter in html_reports(context):
        if as_html:
            formatter.embed("text/html", as_html, caption=title)
        else:
            formatter.embed("text/plain", text, caption=title)
    if inside_step:
        context.attach("text/plain", f"{title}\n{text}".encode())


def tell(text: str) -> None:
    """Print to the console even when behave captures stdout (it does whenever JUnit is
    written): the run's opening line and closing summaries are for the reader of the
    console, not for one scenario's captured output."""
    print(text, file=sys.__stdout__, flush=True)


def publish(context: Any, title: str, lines: list[str]) -> None:
    """From a step: print figures under it and attach them to the reports."""
    print("\n".join([f"      {title}", *(f"        {line}" for line in lines)]))
    attach(context, title, "\n".join(lines), inside_step=True)


def words_of(context: Any) -> Words:
    """The words of the run's language (English before the settings are read)."""
    return Words(getattr(getattr(context, "settings", None), "language", "en"))


def attach_exchanges(context: Any, exchanges: Sequence[Exchange]) -> None:
    """Who said what to which agent, the reply, and its latency: one table."""
    if not exchanges:
        return
    words = words_of(context)
    title = words("exchange") if len(exchanges) == 1 else words("exchanges", count=len(exchanges))
    html_table = exchanges_as_html(exchanges, words)
    attach(context, title, exchanges_as_text(exchanges), as_html=html_table)


def _reply_cells(exchange: Exchange, words: Words = IN_ENGLISH) -> tuple[str, str]:
    if exchange.reply is None:
        return words("no reply"), "-"
    latency = exchange.latency or 0.0
    return exchange.reply.message.text, f"{latency * 1000:.1f} ms"


def exchanges_as_text(exchanges: Sequence[Exchange]) -> str:
    lines = []
    for exchange in exchanges:
        reply, latency = _reply_cells(exchange)
        sent = exchange.sent
        lines.append(
            f"{exchange.person.name} ({exchange.person.tenant.name}) -> {exchange.agent.name} "
            f"[{sent.chat.kind.value}, {sent.platform}]: {sent.text!r}\n"
            f"  {exchange.agent.name} -> {sent.chat.title}: {reply!r} ({latency})"
        )
    return "\n".join(lines)


def exchanges_as_html(exchanges: Sequence[Exchange], words: Words = IN_ENGLISH) -> str:
    rows = []
    for exchange in exchanges:
        reply, latency = _reply_cells(exchange, words)
        sent = exchange.sent
        cells = (
            f"{exchange.person.name} ({exchange.person.tenant.name})",
            exchange.agent.name,
            words(f"{sent.chat.kind.value} chat on", platform=sent.platform),
            sent.text,
            reply,
            latency,
        )
        rows.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>")
    columns = ("who", "asked", "where", "said", "reply", "latency")
    head = "".join(f"<th>{words(f'column {h}')}</th>" for h in columns)
    return (
        '<table class="exchanges" style="border-collapse:collapse" cellpadding="4" border="1">'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


class SkipLog:
    """Why scenarios were skipped: attached to each, and listed at the end of the run.

    (behave's pretty formatter prints a skipped scenario only when the next one
    starts, so a line printed from a hook would land beside the wrong scenario.)
    """

    def __init__(self) -> None:
        self.entries: list[tuple[str, str, str]] = []
        """(where, title, why) of each skipped scenario."""

    def record(self, context: Any, scenario: Any) -> None:
        reason = getattr(scenario, "skip_reason", None)
        if reason:
            attach(context, words_of(context)("skipped"), reason)
            title = scenario.name.split(" -- @")[0].strip()
            self.entries.append((str(scenario.location), title, reason))

    def summary(self, words: Words = IN_ENGLISH) -> str:
        if not self.entries:
            return ""
        lines = ["", words("skipped heading")]
        for where, title, reason in self.entries:
            why, named, target = reason.partition(TARGET_IS)
            if named:  # (the reason's own words, then the target's, as known_gaps words it)
                why = words.phrase(why) + words("target is", target=target)
            said = words("skipped because", reason=why)
            wrapped = textwrap.wrap(said, CONSOLE_WIDTH - 6, subsequent_indent="  ")
            lines += [f"{where}  {title}", *(f"      {line}" for line in wrapped)]
        return "\n".join(lines)
