"""The HTML report's first page: the promises table a product owner signs off.

Plain HTML with its own small style, so that it reads the same in any browser and
needs nothing of the formatter but a place at the top of the page.
"""

from __future__ import annotations

from html import escape

from .promises import BROKEN, HELD, NOT_CHECKED, Promise
from .summary import GapVerdict, RunSummary, broken_lines, skipped_lines

STYLE = """<style>
section.promises { font-family: sans-serif; padding: 0.5rem 1rem 1.5rem; }
section.promises h1 { font-size: 1.6rem; margin: 0.3rem 0; }
section.promises h2 { font-size: 1.15rem; margin: 1.2rem 0 0.4rem; }
section.promises p { margin: 0.3rem 0; }
section.promises table { border-collapse: collapse; width: 100%; }
section.promises th, section.promises td {
  border: 1px solid #bbb; padding: 0.35rem 0.5rem; text-align: left; vertical-align: top;
}
section.promises th { background: #e4e4e4; color: #222; }
section.promises td.verdict { font-weight: bold; white-space: nowrap; }
section.promises tr.held td.verdict, section.promises .closed { color: #13612a; }
section.promises tr.broken td.verdict, section.promises .open { color: #b00020; font-weight: bold; }
section.promises tr.broken { background: #fdecee; }
section.promises tr.not-checked td.verdict, section.promises .unknown { color: #6b5800; }
section.promises ul { margin: 0; padding-left: 1.1rem; }
section.promises .small { color: #666; font-size: 0.85rem; }
details.engineers { margin-top: 0.6rem; font-size: 0.9rem; }
details.engineers summary { cursor: pointer; color: #555; }
</style>"""


ROW_CLASS = {HELD: "held", BROKEN: "broken", NOT_CHECKED: "not-checked"}


def front_page(summary: RunSummary, title: str) -> str:
    parts = [
        '<section class="promises" id="promises">',
        f"<h1>{escape(title)}: what MaiMBot promises, and what held</h1>",
        f'<p class="target"><b>Target:</b> {escape(summary.target)}</p>',
        f'<p class="tally"><b>{escape(summary.tally())}</b></p>',
        _promises_table(summary.promises),
        _gaps_table(summary.gaps),
        "<h2>Figures</h2>",
        _table(("figure", "value"), [[escape(n), escape(v)] for n, v in summary.figures]),
        "</section>",
    ]
    return "\n".join(parts)


def _promises_table(promises: list[Promise]) -> str:
    rows = []
    for promise in promises:
        notes = [f"broke: {escape(line)}" for line in broken_lines(promise)]
        notes += [f"not checked here: {escape(line)}" for line in skipped_lines(promise)]
        checked = f"{promise.count('passed')} of {len(promise.outcomes)} scenarios passed"
        rows.append(
            f'<tr class="{ROW_CLASS[promise.verdict]}">'
            f"<td>{escape(promise.capability)}</td><td>{escape(promise.sentence)}</td>"
            f'<td class="verdict">{escape(promise.verdict)}</td>'
            f'<td>{_list(notes)}<span class="small">{checked}</span></td></tr>'
        )
    head = "".join(f"<th>{h}</th>" for h in ("capability", "the promise", "verdict", "details"))
    return (
        '<h2>Promises</h2><table class="promises" id="promises-table">'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _gaps_table(gaps: list[GapVerdict]) -> str:
    if not gaps:
        return "<h2>Known gaps met</h2><p>None: no scenario of a known gap ran.</p>"
    rows = [
        [
            escape(gap.what) + f' <span class="small">({escape(gap.name)})</span>',
            f'<span class="{gap.kind}">{escape(gap.verdict)}</span>',
        ]
        for gap in gaps
    ]
    return (
        '<h2>Known gaps met</h2><div id="known-gaps">'
        + _table(("gap", "on this server"), rows)
        + "</div>"
    )


def _list(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>" if items else ""


def _table(head: tuple[str, ...], rows: list[list[str]]) -> str:
    ths = "".join(f"<th>{h}</th>" for h in head)
    trs = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{ths}</tr></thead><tbody>{trs}</tbody></table>"
