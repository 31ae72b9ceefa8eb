"""A feature's description, read as its three readers need it.

Every description opens with its promise ("Promise: ...", one sentence), goes on in
business words, and may end with a note for engineers ("For engineers: ...": code,
knobs, wire names), which the HTML report folds away. behave drops the blank lines
of a description, so the parts are told apart by these markers, not by paragraphs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

PROMISE_MARKERS = ("Promise:", "承诺：")
ENGINEERS_MARKERS = ("For engineers:", "工程师备注：")
SENTENCE_ENDS = (".", "。")


@dataclass(frozen=True)
class FeatureText:
    promise: str
    """The promise in one sentence, without its marker; empty when there is none."""
    body: str
    """What the tenant gets, in business words."""
    engineers: str
    """The evidence for engineers, without its marker; empty when there is none."""


def _strip_marker(line: str, markers: tuple[str, ...]) -> str | None:
    for marker in markers:
        if line.startswith(marker):
            return line.removeprefix(marker).strip()
    return None


def read_description(lines: Sequence[str]) -> FeatureText:
    lines = [line.strip() for line in lines if line.strip()]
    promise: list[str] = []
    body: list[str] = []
    engineers: list[str] = []
    part = body
    for line in lines:
        if (rest := _strip_marker(line, ENGINEERS_MARKERS)) is not None:
            part, line = engineers, rest
        elif not promise and (rest := _strip_marker(line, PROMISE_MARKERS)) is not None:
            part, line = promise, rest
        part.append(line)
        if part is promise and line.endswith(SENTENCE_ENDS):
            part = body  # the promise is one sentence; the rest is the body
    return FeatureText(_join(promise), _join(body), _join(engineers))


def _join(lines: list[str]) -> str:
    # Chinese lines wrap without a space between them; English ones with one.
    text = ""
    for line in lines:
        joiner = "" if not text or (text[-1] > "\u2e7f" and line[:1] > "\u2e7f") else " "
        text += joiner + line
    return text
