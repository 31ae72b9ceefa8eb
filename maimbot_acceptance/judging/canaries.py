"""Whether a canary (a phrase no model could guess) got where it must not.

A canary counts wherever its letters and digits appear in order, whatever came
between or around them: case, full or half width, white space and punctuation are
normalised away, and the messages one connection received are read as one text, so
a canary split over several messages is found too. Pure functions: no I/O.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


def normalised(text: str) -> str:
    """Letters and digits only, case-folded, full width made half (NFKC)."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).casefold() if ch.isalnum())


@dataclass(frozen=True)
class Sighting:
    canary: str
    where: str
    """Whose text it is (a connection, a prompt)."""
    texts: tuple[str, ...]
    """The message(s) it was found in: more than one when it was split over them."""

    def describe(self) -> str:
        shown = " + ".join(repr(t) for t in self.texts)
        split = f" (split over {len(self.texts)} messages)" if len(self.texts) > 1 else ""
        return f"{self.canary!r} reached {self.where}{split}: {shown}"


def sightings(canaries: Iterable[str], where: str, texts: Sequence[str]) -> list[Sighting]:
    """Each canary found in ``texts`` (read in order as one text), with the fewest
    consecutive texts that carry it."""
    found: list[Sighting] = []
    parts = [normalised(t) for t in texts]
    for canary in canaries:
        wanted = normalised(canary)
        if not wanted or wanted not in "".join(parts):
            continue
        found.append(Sighting(canary, where, tuple(texts[i] for i in _span(parts, wanted))))
    return found


def _span(parts: list[str], wanted: str) -> range:
    """The shortest run of consecutive parts whose joined text holds ``wanted``."""
    best = range(len(parts))
    for start in range(len(parts)):
        joined = ""
        for end in range(start, len(parts)):
            joined += parts[end]
            if wanted in joined:
                if end - start < len(best) - 1:
                    best = range(start, end + 1)
                break
    return best


def carries(canary: str, text: str) -> bool:
    """Whether one text carries the canary."""
    wanted = normalised(canary)
    return bool(wanted) and wanted in normalised(text)
