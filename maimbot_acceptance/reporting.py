"""Figures and transcripts a scenario publishes, beside its pass/fail.

``publish`` prints under the current step (behave.ini turns stdout capture off so
that product owners see them in the console) and attaches the same text to the
report for formatters that embed attachments.
"""

from __future__ import annotations

from typing import Any


def publish(context: Any, title: str, lines: list[str]) -> None:
    text = "\n".join([f"      {title}", *(f"        {line}" for line in lines)])
    print(text)
    context.attach("text/plain", text.encode("utf-8"))
