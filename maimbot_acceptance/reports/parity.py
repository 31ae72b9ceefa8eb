"""Whether a spec and its twin in another language say the same: every scenario has
one twin, at the same place, with the same tags and the same steps (the same step
functions, given the same names and numbers) in the same order, and the other way round.

Only the words may differ, and the free text users say (``FREE_TEXT``). Each problem
is one line naming the scenario, where it is, and what its twin needs, so that adding
a twin is a matter of following the message.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from behave.parser import parse_file

from .languages import SUFFIXES, english_path, twin_path

FREE_TEXT = frozenset({"text", "question", "situation"})
"""Step parameters that are what someone says, written in the spec's own language."""

StepOf = Callable[[Any], str]
"""A step -> the step function it runs, and the parameters that must be the same."""


@dataclass(frozen=True)
class Told:
    """A scenario (an outline's row) as parity compares it."""

    title: str
    where: str
    tags: tuple[str, ...]
    steps: tuple[str, ...]
    said: tuple[str, ...]
    """Its own steps as written (the Background's left out), for the message."""

    @property
    def signature(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        return self.tags, self.steps


def step_signature(match: Any, step: Any) -> str:
    """A behave ``Match`` (None: undefined) as the function and its fixed parameters."""
    if match is None:
        return f"undefined: {step.keyword} {step.name}"
    func = match.func
    fixed = sorted(
        f"{a.name}={a.value!r}" for a in match.arguments or () if a.name not in FREE_TEXT
    )
    table = f" table {len(step.table.headings)}x{len(step.table.rows)}" if step.table else ""
    module = Path(func.__code__.co_filename).stem  # (behave runs step files, not modules)
    return f"{module}.{func.__name__}({', '.join(fixed)}){table}"


def told(feature: Any, step_of: StepOf) -> list[Told]:
    return [
        Told(
            title=scenario.name.split(" -- @")[0].strip(),
            where=f"{feature.filename}:{scenario.line}",
            tags=tuple(sorted(str(tag) for tag in scenario.effective_tags)),
            steps=tuple(step_of(step) for step in scenario.all_steps),
            said=tuple(f"{step.keyword} {step.name}" for step in scenario.steps),
        )
        for scenario in feature.walk_scenarios()
    ]


def compare(english: Any, twin: Any, step_of: StepOf) -> list[str]:
    """What differs between an English feature and its twin, one line each."""
    ours, theirs = told(english, step_of), told(twin, step_of)
    problems: list[str] = []
    matcher = difflib.SequenceMatcher(
        a=[t.signature for t in ours], b=[t.signature for t in theirs], autojunk=False
    )
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            continue
        pairs = list(zip(ours[a1:a2], theirs[b1:b2], strict=False))
        problems += [_differ(mine, other) for mine, other in pairs]
        for lonely in ours[a1 + len(pairs) : a2]:
            problems.append(_missing(lonely, twin.filename, theirs[b1 - 1] if b1 else None))
        for lonely in theirs[b1 + len(pairs) : b2]:
            problems.append(_missing(lonely, english.filename, ours[a1 - 1] if a1 else None))
    return problems


def _missing(lonely: Told, other_file: str, after: Told | None) -> str:
    place = f"after '{after.title}' ({after.where})" if after else "first"
    tags = " ".join(f"@{t}" for t in lonely.tags) or "no tags"
    return (
        f"{lonely.where} '{lonely.title}' has no twin in {other_file}: add one {place}, "
        f"with {tags} and the steps: " + " / ".join(lonely.said)
    )


def _differ(mine: Told, other: Told) -> str:
    said = f"{mine.where} '{mine.title}' and its twin {other.where} '{other.title}' differ"
    if mine.tags != other.tags:
        return f"{said}: tags {list(mine.tags)} vs {list(other.tags)}"
    background = len(mine.steps) - len(mine.said)
    for number, (a, b) in enumerate(zip(mine.steps, other.steps, strict=False), start=1):
        if a != b:
            where = "the Background's " if number <= background else ""
            return f"{said} at {where}step {number}: {a} vs {b}"
    return f"{said}: {len(mine.steps)} steps vs {len(other.steps)}"


def parity_problems(features: Iterable[Path], step_of: StepOf) -> list[str]:
    """Every feature file's twin in every language, and what differs between them."""
    problems: list[str] = []
    paths = sorted(features)
    english = [p for p in paths if english_path(p) == p]
    for path in paths:
        if english_path(path) != path and not english_path(path).exists():
            problems.append(f"{path} has no English twin {english_path(path).name}")
    for path in english:
        for language in SUFFIXES:
            other = twin_path(path, language)
            if not other.exists():
                problems.append(f"{path} has no {language} twin {other.name}")
                continue
            problems += compare(parse_file(str(path)), parse_file(str(other)), step_of)
    return problems
