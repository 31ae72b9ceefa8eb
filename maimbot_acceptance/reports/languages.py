"""The specs' languages: one run runs the features of one language, and a Chinese
spec is read as the twin of its English one.

Every capability is written twice, ``x.feature`` (English) and ``x.zh-CN.feature``:
the same scenarios, tags and steps in the same order (``tests/unit/test_parity.py``
holds them to it). What judges a run (the clauses of a promise, the step at which a
known gap shows) is written once, against the English text; a Chinese scenario is
judged through its English twin, found by position.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from behave.parser import parse_file

from ..errors import SettingsError

ENGLISH = "en"
SUFFIXES = {"zh-CN": ".zh-CN.feature"}
"""The file name ending of each language but English's (``.feature``)."""


def language_of(feature: Any) -> str:
    """A behave feature's language, as its ``# language:`` line says (English without one)."""
    return getattr(feature, "language", None) or ENGLISH


def keep_language(features: list[Any], language: str, *, share: bool = False) -> None:
    """Leave out, in place, the features of other languages than the run's. ``share``:
    this process runs a share of a parallel run (behavex gives each process one
    feature or scenario, of either language), where leaving all out is no mistake."""
    kept = [feature for feature in features if language_of(feature) == language]
    if features and not kept and not share:
        others = sorted({language_of(feature) for feature in features})
        raise SettingsError(
            f"userdata language={language}: none of the {len(features)} feature(s) given is "
            f"written in it (they are in {', '.join(others)}); -D language={others[0]} runs them"
        )
    features[:] = kept


def english_path(path: Path) -> Path:
    """The English twin's file of a spec in another language (itself when English)."""
    for suffix in SUFFIXES.values():
        if path.name.endswith(suffix):
            return path.with_name(path.name.removesuffix(suffix) + ".feature")
    return path


def twin_path(path: Path, language: str) -> Path:
    """The file of the spec's twin in ``language``."""
    english = english_path(path)
    if language == ENGLISH:
        return english
    return english.with_name(english.name.removesuffix(".feature") + SUFFIXES[language])


@cache
def _parsed(path: str) -> Any:
    return parse_file(path)


def english_twin(feature: Any) -> Any | None:
    """The English feature a feature of another language is the twin of (None for an
    English one, or when the twin's file is missing)."""
    if language_of(feature) == ENGLISH:
        return None
    path = english_path(Path(feature.filename))
    return _parsed(str(path)) if path.exists() else None


def in_english(feature: Any) -> Callable[[Any], Any]:
    """Scenario -> its English twin (itself in an English feature, or without a twin):
    the scenario at the same place in the twin feature, outlines' rows expanded."""
    twin = english_twin(feature)
    if twin is None:
        return lambda scenario: scenario
    pairs = dict(zip(map(id, feature.walk_scenarios()), twin.walk_scenarios(), strict=False))
    return lambda scenario: pairs.get(id(scenario), scenario)


def same_step_in(twin: Any, scenario: Any, step: str | None) -> str | None:
    """The step of ``twin`` at the place of ``scenario``'s step written ``step``
    ("Then ...", as known_gaps.failed_step writes it)."""
    if step is None or twin is scenario:
        return step
    for mine, theirs in zip(scenario.all_steps, twin.all_steps, strict=False):
        if f"{mine.keyword} {mine.name}" == step:
            return f"{theirs.keyword} {theirs.name}"
    return step
