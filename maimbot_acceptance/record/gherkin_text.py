"""Small text rules of the generated Gherkin: keywords, quoting, wrapping, clocks."""

from __future__ import annotations

import textwrap
import time

TEXT_SHOWN = 200
"""Characters of a reply shown in its comment."""


def keyworded(steps: list[str]) -> list[str]:
    """A When after a When, a Then after a Then reads "And" (comments do not count)."""
    out, previous = [], "Given"
    for step in steps:
        keyword = step.split(" ", 1)[0]
        if keyword in ("When", "Then"):
            if keyword == previous:
                step = "And" + step[len(keyword) :]
            previous = keyword
        out.append(step)
    return out


def plain(text: str) -> bool:
    """Text a ``"{text}"`` step can carry as it is."""
    return (
        bool(text)
        and text == text.strip()
        and not any(c in '"\\' or ord(c) < 32 or ord(c) == 127 for c in text)
    )


def escaped(text: str) -> str:
    """For ``{x:Escaped}`` (gherkin.py): backslash escapes for what a line cannot hold."""
    out = []
    for c in text:
        if c in '"\\':
            out.append("\\" + c)
        elif c in "\n\t\r":
            out.append({"\n": "\\n", "\t": "\\t", "\r": "\\r"}[c])
        elif ord(c) < 32 or ord(c) == 127:
            out.append(f"\\x{ord(c):02x}")
        else:
            out.append(c)
    return "".join(out)


def shorten(text: str) -> str:
    one_line = escaped(text)
    return one_line if len(one_line) <= TEXT_SHOWN else one_line[: TEXT_SHOWN - 1] + "…"


def wrapped(text: str) -> list[str]:
    return textwrap.wrap(text, 88, initial_indent="  ", subsequent_indent="  ")


def and_(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def clock(at: float, form: str) -> str:
    return time.strftime(form, time.localtime(at))
