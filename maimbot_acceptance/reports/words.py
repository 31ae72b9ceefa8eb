"""Every word the run's report says to a reader, one table per language.

The report speaks the language of the run (``-D language``): the first page, the
verdicts, the coverage and gap lines, the console summary, the JUnit property names.
``WORDS[language][key]`` holds each sentence, with ``{named}`` blanks: English here,
Chinese in ``words_zh``. A new reader-facing sentence is a key in every table
(``tests/unit/test_words.py`` holds the tables to the same keys and blanks). Phrases
written elsewhere in English (a clause of a promise, a known gap's plain words, a skip
reason) are looked up in ``PHRASES`` by their English text, and stay English where a
language has no entry for them.

Terms a Chinese reader expects in English stay so: API key, WebSocket, tenant IDs,
MaiMBot, p50/p95, the names of known gaps and tags.
"""

from __future__ import annotations

import re
import string
import unicodedata
from dataclasses import dataclass
from functools import cache

from ..targets import known_gaps
from .words_zh import CHINESE, CHINESE_PHRASES, CHINESE_TEMPLATES

ENGLISH: dict[str, str] = {
    # verdicts of a promise (promises.py), and how the tally counts them
    "held": "held",
    "held in part": "held in part",
    "broken": "broken",
    "not checked here": "not checked here",
    "not applicable to this kind of target": "not applicable to this kind of target",
    "not applicable, short": "N/A",
    "held, some checked": "held, {checked} of {total} checked: {missed} was not checked here",
    "held, some checked, clauses": (
        "held, {checked} of {total} checked: {missed} were not checked here"
    ),
    "clause joiner": " and ",
    "tally": (
        "{total} promises: {held} held, {held_in_part} held in part, {broken} broken, "
        "{not_checked} not checked here"
    ),
    "tally, not applicable": ", {count} not applicable to this kind of target",
    "broke": "broke: {line}",
    "not checked because": "not checked here: {line}",
    "with known gap": " (known gap: {name})",
    "scenarios skipped": "{count} scenario{s}: {reason}",
    "scenarios passed": "{passed} of {total} scenarios passed",
    # what was judged (summary.Judged, run_report.target_line)
    "title, rehearsal": "Rehearsal of the suite on its reference server: not a verdict on MaiMBot",
    "title, deployment": "MaiMBot judged on {date}: what it promises, and what held",
    "target, rehearsal": "Target: {target}, {date}.",
    "rehearsal, said": (
        "A rehearsal of the suite on its own stand-in: every verdict below is the reference "
        "server's, not MaiMBot's."
    ),
    "target, deployment": "Target: {target}, {date}; {told}.",
    "tells no version": "it tells no version",
    "embedded server": "the embedded reference server the suite started",
    "speaking dialect": ", speaking the {dialect} dialect",
    "with fault": ", with the fault '{fault}' switched on",
    "a deployment": "a deployment: {target}",
    # known gaps (run_record.py; known_gaps.GapLedger's verdicts)
    **known_gaps.VERDICTS,
    "gap not judged": (
        "not judged here: a rehearsal (its scenarios on the reference server: {counts})"
    ),
    "count of outcome": "{count} {outcome}",
    "outcome passed": "passed",
    "outcome failed": "failed",
    "outcome error": "error",
    "outcome skipped": "skipped",
    "outcome shown": "shown",
    # the console summary (summary.RunSummary.as_text)
    "gaps met, console": "Known gaps of MaiMBot met (tagged @known_gap.<name>):",
    "figures, console": "Figures:",
    # JUnit property names (summary.RunSummary.properties)
    "property judged": "judged",
    "property target": "target",
    "property date": "date",
    "property target told": "target told",
    "property promises": "promises",
    "property promise": "promise: {name}",
    "property known gap": "known gap: {name}",
    "property figure": "figure: {name}",
    "said of": "{name}: {value}",
    "details joiner": "; ",
    # figures (figures.py)
    "figure connections": "connection success rate",
    "figure replies": "reply success rate",
    "figure p50": "reply latency p50",
    "figure p95": "reply latency p95",
    "figure wall time": "wall time of the run",
    "rate of connections": "{percent:.1f}% ({succeeded} of {attempted} connections)",
    "rate of replies": "{percent:.1f}% ({succeeded} of {attempted} questions answered)",
    "figure revoked key refused": "revoked key refused",
    "revoked key refused within": "within {slowest} of its revocation (the slowest of {count})",
    "figure open when revoked": "connection open when its key was revoked",
    "closed saying why": "closed, saying why, in {count}, within {slowest}",
    "kept open": "kept open in {count}",
    "of connections": "{fates} (of {total})",
    "none measured": "none measured",
    "no replies": "no replies to measure",
    # the first page (front_page.py, html_report.py)
    "promises heading": "Promises",
    "column capability": "capability",
    "column promise": "the promise",
    "column verdict": "verdict",
    "column details": "details",
    "gaps heading": "Known gaps of MaiMBot met",
    "no gaps": "None: no scenario of a known gap ran.",
    "gaps on rehearsal": (
        "The reference server is the suite's stand-in, not MaiMBot: these gaps are judged "
        "only by a run against a MaiMBot deployment."
    ),
    "column gap": "gap",
    "column here": "here",
    "figures heading": "Figures",
    "column figure": "figure",
    "column value": "value",
    "legend heading": "How to read this page",
    "legend held": (
        "every scenario of the capability that ran passed, and together they checked each "
        "part of the promise"
    ),
    "legend held, n of m": "held, n of m checked",
    "legend held in part": (
        "what ran passed, but a part of the promise (named) was not checked by this run"
    ),
    "legend broken": (
        "a scenario failed: the promise does not hold here (the known gap its failure shows "
        "is named)"
    ),
    "legend not checked": "no scenario of the capability ran here (why is said)",
    "legend not applicable": (
        "no target of this kind can stage its scenarios (a server restart against a "
        "deployment): nothing this run could have checked"
    ),
    "legend open": "OPEN",
    "legend open means": "a known gap of MaiMBot that this run showed",
    "legend not judged": "not judged here",
    "legend not judged means": "a known gap of MaiMBot met on a server that is not MaiMBot",
    "promise marker": "Promise:",
    "engineers": "For engineers",
    # each scenario's exchanges, attached to the HTML report (reporting.py)
    "exchange": "Exchange",
    "exchanges": "Exchanges ({count})",
    "column who": "who",
    "column asked": "asked",
    "column where": "where",
    "column said": "said",
    "column reply": "reply",
    "column latency": "latency",
    "group chat on": "group chat, {platform}",
    "private chat on": "private chat, {platform}",
    "no reply": "(no reply)",
    # the console's list of skipped scenarios (reporting.SkipLog)
    "skipped": "Skipped",
    "skipped heading": "Skipped scenarios, and why:",
    "skipped because": "skipped: {reason}",
    "target is": "; the target is {target}",
    # how a run ended (run_end.py), and a run that selected nothing (green.py)
    "run ended": "run ended",
    "interrupted": (
        "interrupted ({signal} at {at:.1f} s) after {done} of {selected} scenarios: the rest "
        "were not run, and nothing of them is judged"
    ),
    "interrupted while it ran": "interrupted while it ran ({signal} at {at:.1f} s)",
    "not run, interrupted": "not run: the run was interrupted ({signal} at {at:.1f} s)",
    "interrupted before the first scenario": (
        "interrupted ({signal}) before the first scenario, during {doing}: nothing was judged"
    ),
    "interrupted again": "interrupted again ({signal}): stopped at once, without the reports",
    "stopped": (
        "stopped at the first failure (--stop) after {done} of {selected} scenarios: the rest "
        "were not run"
    ),
    "not run, stopped": "not run: the run stopped at the first failure (--stop)",
    "target lost": (
        "the target stopped answering at {at:.1f} s ({problem}): {count} scenarios could not "
        "run; none of them is judged"
    ),
    "lost while it ran": (
        "could not finish: the target stopped answering at {at:.1f} s, while it ran"
    ),
    "not run, target lost": "could not run: the target stopped answering at {at:.1f} s",
    "suite error": (
        "the suite's own error, not a verdict on the target: {count} scenario(s) ended in an "
        "error of the suite ({first}); its traceback is under the failed step (behave's "
        "pretty output, the default, and the HTML report)"
    ),
    "nothing selected": (
        "not green: the run selected no scenario (the tags or names given match none of the "
        "suite's scenarios)"
    ),
    "nothing ran": (
        "not green: no scenario ran ({selected} selected, all skipped: {reasons}); "
        "-D may_go_unchecked=<capability or @tag> says that is expected"
    ),
    "capability not checked": (
        "not green: {count} selected capability was not checked at all: {said}; "
        "-D may_go_unchecked=<capability or @tag> says that is expected"
    ),
    "capabilities not checked": (
        "not green: {count} selected capabilities were not checked at all: {said}; "
        "-D may_go_unchecked=<capability or @tag> says that is expected"
    ),
    "capability, why": "{name} ({reasons})",
    "count of reason": "{count} {reason}",
    "list joiner": ", ",
}

WORDS: dict[str, dict[str, str]] = {"en": ENGLISH, "zh-CN": CHINESE}
"""By the run's language (targets.settings.LANGUAGES)."""

PHRASES: dict[str, dict[str, str]] = {"zh-CN": CHINESE_PHRASES}
"""By language: English phrases of other modules -> the language's words for them."""
TEMPLATES: dict[str, dict[str, str]] = {"zh-CN": CHINESE_TEMPLATES}
"""By language: English phrases with ``{named}`` blanks (a skip reason that names what it
needs) -> the language's words, each blank's value itself looked up as a phrase."""


@dataclass(frozen=True)
class Words:
    """The words of one language: ``words("key", blank=value)``, ``words.phrase(english)``."""

    language: str = "en"

    def __call__(self, key: str, **blanks: object) -> str:
        return WORDS[self.language][key].format(**blanks)

    def verdict(self, kind: str) -> str:
        """A verdict's kind (promises.HELD, ...: English words themselves) in words; a
        kind the table has no words for yet is said as it is named."""
        return WORDS[self.language].get(kind, kind)

    def status(self, status: str) -> str:
        """A scenario's status ("passed", "skipped", ...) in words, as behave names it
        where the table has no words for it."""
        return WORDS[self.language].get(f"outcome {status}", status)

    def phrase(self, english: str) -> str:
        said = PHRASES.get(self.language, {}).get(english)
        if said is not None:
            return said
        for template, words in TEMPLATES.get(self.language, {}).items():
            found = _pattern(template).fullmatch(english)
            if found:
                return words.format(**{k: self.phrase(v) for k, v in found.groupdict().items()})
        return english


IN_ENGLISH = Words()


@cache
def _pattern(template: str) -> re.Pattern[str]:
    """``template``'s text, its blanks any text: "needs {how}" -> "needs (?P<how>.+?)"."""
    parts = string.Formatter().parse(template)
    return re.compile(
        "".join(
            re.escape(text) + (f"(?P<{name}>.+?)" if name else "") for text, name, _, _ in parts
        )
    )


def width(text: str) -> int:
    """Columns a console gives ``text``: two for each wide (CJK) character."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def padded(text: str, columns: int) -> str:
    return text + " " * max(0, columns - width(text))
