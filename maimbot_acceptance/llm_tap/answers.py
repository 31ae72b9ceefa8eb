"""How the tap answers when no upstream model stands behind it: deterministically.

An answerer turns a chat request into the assistant's text. ``ANSWERERS`` names them
for ``--answer``; "echo" is built in, and another one registers with one line below.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable
from typing import Any, Protocol, runtime_checkable

from .maibot_planner import ToolCall
from .maimbot_answerer import MaimbotAnswerer


class Answerer(Protocol):
    def answer(self, messages: list[dict[str, Any]], model: str) -> str: ...


@runtime_checkable
class ToolCaller(Protocol):
    """An answerer that also calls tools, when a request offers them (upstream MaiBot's
    planner acts only by tool calls): the calls (none: nothing to do), or None when
    the request is not one it plans for, and the answer is text."""

    def call_tools(
        self, messages: list[dict[str, Any]], tools: list[Any]
    ) -> list[ToolCall] | None: ...


def content_text(content: Any) -> str:
    """The text of one message's ``content``: a string, or OpenAI's list of parts."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "\n".join(
            str(part.get("text", ""))
            for part in content
            if isinstance(part, dict) and part.get("type") == "text"
        )
    return ""


class EchoAnswerer:
    """Answers with the last user message, word for word (or a fixed line without one)."""

    def answer(self, messages: list[dict[str, Any]], model: str) -> str:
        for message in reversed(messages):
            if message.get("role") == "user":
                return content_text(message.get("content"))
        return "(no user message)"


ANSWERERS: dict[str, Callable[[], Answerer]] = {
    "echo": EchoAnswerer,
    "maimbot": MaimbotAnswerer,
}
"""--answer NAME -> a factory of that answerer."""


DEFAULT_DIMENSIONS = 1024
"""As MaiMBot's knowledge base expects by default (``lpmm_knowledge.embedding_dimension``)."""


def embedding(text: str, dimensions: int = DEFAULT_DIMENSIONS) -> list[float]:
    """A unit vector that depends only on ``text``: the same text, the same vector."""
    digest = hashlib.shake_256(text.encode()).digest(2 * dimensions)
    raw = [
        int.from_bytes(digest[i : i + 2], "big") / 32767.5 - 1.0 for i in range(0, len(digest), 2)
    ]
    norm = math.sqrt(sum(x * x for x in raw)) or 1.0
    return [x / norm for x in raw]
