"""The HTML report's first page: what was judged, and the promises table a product
owner signs off.

Plain HTML with its own small style (and a print style that keeps the first page to a
printed page or two), so that it reads the same in any browser and needs nothing of
the formatter but a place at the top of the page.
"""

from __future__ import annotations

from html import escape

from .promises import BROKEN, HELD, HELD_IN_PART, NOT_APPLICABLE, NOT_CHECKED
from .summary import GapVerdict, RunSummary
from .words import Words

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
section.promises td.verdict { font-weight: bold; }
section.promises tr.held td.verdict, section.promises .closed { color: #13612a; }
section.promises tr.broken td.verdict, section.promises .open {
  color: #b00020; font-weight: bold;
}
section.promises tr.broken { background: #fdecee; }
section.promises tr.held-in-part td.verdict { color: #8a4b00; }
section.promises tr.not-checked td.verdict, section.promises .unknown { color: #6b5800; }
section.promises tr.not-applicable td.verdict { color: #555; font-weight: normal; }
section.promises p.ended { color: #8a4b00; font-weight: bold; }
section.promises ul { margin: 0; padding-left: 1.1rem; }
section.promises .small { color: #666; font-size: 0.85rem; }
section.promises.rehearsal h1 { color: #6b5800; }
section.promises dl.legend {
  display: grid; grid-template-columns: max-content auto; gap: 0 0.8rem;
}
section.promises dl.legend dt { font-weight: bold; }
section.promises dl.legend dd { margin: 0; }
details.engineers { margin-top: 0.6rem; font-size: 0.9rem; }
details.engineers summary { cursor: pointer; color: #555; }
@page { margin: 1cm; }
@media print {
  body > *:not(section.promises) { display: none !important; }
  section.promises { font-size: 8pt; padding: 0; }
  section.promises h1 { font-size: 14pt; }
  section.promises h2 { font-size: 11pt; margin: 0.5rem 0 0.2rem; }
  section.promises th, section.promises td { padding: 0.1rem 0.3rem; }
  section.promises p, section.promises ul { margin: 0.1rem 0; }
  section.promises .small { font-size: 7pt; }
  section.promises tr { break-inside: avoid; }
  section.promises a { color: inherit; text-decoration: none; }
}
</style>"""


ROW_CLASS = {
    HELD: "held",
    HELD_IN_PART: "held-in-part",
    BROKEN: "broken",
    NOT_CHECKED: "not-checked",
    NOT_APPLICABLE: "not-applicable",
}

LEGEND = (
    (HELD, "legend held"),
    ("legend held, n of m", "legend held in part"),
    (BROKEN, "legend broken"),
    (NOT_CHECKED, "legend not checked"),
    (NOT_APPLICABLE, "legend not applicable"),
    ("legend open", "legend open means"),
    ("legend not judged", "legend not judged means"),
)
"""(what the reader sees, what it means), as keys of words.py's tables."""


def front_page(summary: RunSummary, *, anchors: bool = True) -> str:
    """``anchors``: link each promise to its feature's section of the report (feature
    ids ``f1``, ``f2``, ... in run order, as behave-html-pretty-formatter gives them)."""
    judged, words = summary.judged, summary.words
    figures = [[escape(n), escape(v)] for n, v in summary.figures]
    parts = [
        f'<section class="promises{" rehearsal" if judged.rehearsal else ""}" id="promises"'
        f' lang="{words.language}">',
        f"<h1>{escape(judged.title_in(words))}</h1>",
        *(f'<p class="target">{escape(line)}</p>' for line in judged.lines(words)),
        *([_ended(summary)] if summary.ended else []),
        f'<p class="tally"><b>{escape(summary.tally())}</b></p>',
        _promises_table(summary, anchors),
        _gaps_table(summary.gaps, judged.rehearsal, words),
        f"<h2>{words('figures heading')}</h2>",
        _table((words("column figure"), words("column value")), figures),
        f"<h2>{words('legend heading')}</h2>",
        '<dl class="legend">'
        + "".join(f"<dt>{escape(words(k))}</dt><dd>{escape(words(v))}</dd>" for k, v in LEGEND)
        + "</dl>",
        "</section>",
    ]
    return "\n".join(parts)


def _ended(summary: RunSummary) -> str:
    return f'<p class="ended" id="run-ended">{escape(summary.ended_line())}</p>'


def standalone_page(summary: RunSummary) -> str:
    """The first page alone (a parallel run's, which has no formatter page to open)."""
    title = escape(summary.judged.title_in(summary.words))
    return (
        f'<!DOCTYPE html><html lang="{summary.words.language}"><head><meta charset="utf-8">'
        f"<title>{title}</title>{STYLE}</head><body>{front_page(summary, anchors=False)}"
        "</body></html>"
    )


def _promises_table(summary: RunSummary, anchors: bool) -> str:
    words = summary.words
    rows = []
    for number, promise in enumerate(summary.promises, start=1):
        notes = [escape(line) for line in summary.details(promise)]
        checked = words(
            "scenarios passed", passed=promise.count("passed"), total=len(promise.outcomes)
        )
        name = escape(promise.capability)
        if anchors:
            name = f'<a href="#f{number}">{name}</a>'
        rows.append(
            f'<tr class="{ROW_CLASS[promise.verdict]}">'
            f"<td>{name}</td><td>{escape(promise.sentence)}</td>"
            f'<td class="verdict">{escape(promise.verdict_in(words))}</td>'
            f'<td>{_list(notes)}<span class="small">{checked}</span></td></tr>'
        )
    columns = ("column capability", "column promise", "column verdict", "column details")
    head = "".join(f"<th>{words(h)}</th>" for h in columns)
    return (
        f'<h2>{words("promises heading")}</h2><table class="promises" id="promises-table">'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _gaps_table(gaps: list[GapVerdict], rehearsal: bool, words: Words) -> str:
    heading = f"<h2>{words('gaps heading')}</h2>"
    if not gaps:
        return heading + f"<p>{words('no gaps')}</p>"
    rows = [
        [
            escape(gap.what) + f' <span class="small">({escape(gap.name)})</span>',
            f'<span class="{gap.kind}">{escape(gap.verdict)}</span>',
        ]
        for gap in gaps
    ]
    note = f"<p>{words('gaps on rehearsal')}</p>" if rehearsal else ""
    head = (words("column gap"), words("column here"))
    return heading + note + '<div id="known-gaps">' + _table(head, rows) + "</div>"


def _list(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>" if items else ""


def _table(head: tuple[str, ...], rows: list[list[str]]) -> str:
    ths = "".join(f"<th>{h}</th>" for h in head)
    trs = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{ths}</tr></thead><tbody>{trs}</tbody></table>"
