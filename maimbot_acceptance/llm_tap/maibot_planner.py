"""Upstream MaiBot 1.x's planner, played by tool calls: the bot speaks only when its
model calls the ``reply`` tool.

Its planner request carries the tools (``reply``, ``wait``, ``stop``, ...) and shows the
chat as user turns, one per message::

    <message msg_id="mi4d3c6" time="00:46:05" user="Alice">
    Hello Helper, what is two plus two?

(an id longer than 12 characters shown as a short alias, which MaiBot maps back;
``is_self_message="true"`` on the bot's own). Answer: one call
``reply(msg_id=<id>, reply_reference=...)`` for every message of a user not answered
yet, none when there is none (which ends the planner's round). A message holding
``FAKE-NO-REPLY`` is left unanswered. The reference carries the message's text, so
the replyer (a second request, without tools) can be answered with words that name
it: ``FAKE-REPLY「<text>」``, as MaiMBot's replyer is answered.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

REPLY_TOOL = "reply"
REFERENCE = "ECHO-TARGET「{text}」"
REFERENCE_SEEN = re.compile(r"ECHO-TARGET「(?P<text>.*?)」", re.S)
MESSAGE = re.compile(
    r"^<message (?P<attrs>[^>]*)>\n(?P<text>.*)\Z",
    re.S,
)
ATTRIBUTE = re.compile(r'(?P<name>\w+)="(?P<value>[^"]*)"')


@dataclass(frozen=True)
class ToolCall:
    name: str
    arguments: dict[str, str]


def tool_names(tools: Iterable[Any]) -> list[str]:
    """The function names of a request's ``tools`` (OpenAI's shape)."""
    names = []
    for tool in tools:
        function = tool.get("function") if isinstance(tool, dict) else None
        if isinstance(function, dict) and isinstance(function.get("name"), str):
            names.append(function["name"])
    return names


def content_of(message: dict[str, Any]) -> str:
    content = message.get("content")
    if isinstance(content, list):
        return "".join(str(p.get("text", "")) for p in content if isinstance(p, dict))
    return content if isinstance(content, str) else ""


@dataclass(frozen=True)
class ChatLine:
    message_id: str
    who: str
    text: str
    own: bool


def chat_lines(messages: Iterable[dict[str, Any]]) -> list[ChatLine]:
    """The chat's messages as the planner shows them."""
    lines = []
    for message in messages:
        if message.get("role") != "user":
            continue
        found = MESSAGE.match(content_of(message))
        if found is None:
            continue
        attrs = {a.group("name"): a.group("value") for a in ATTRIBUTE.finditer(found["attrs"])}
        if "msg_id" not in attrs:
            continue
        own = attrs.get("is_self_message") == "true"
        text = found["text"].strip()
        lines.append(ChatLine(attrs["msg_id"], attrs.get("user", ""), text, own))
    return lines


def replied_in(messages: Iterable[dict[str, Any]]) -> set[str]:
    """The message ids the request's history already shows a ``reply`` call for."""
    replied = set()
    for message in messages:
        for call in message.get("tool_calls") or []:
            function = call.get("function") if isinstance(call, dict) else None
            if not isinstance(function, dict) or function.get("name") != REPLY_TOOL:
                continue
            try:
                arguments = json.loads(function.get("arguments") or "{}")
            except ValueError:
                continue
            if isinstance(arguments, dict) and arguments.get("msg_id"):
                replied.add(str(arguments["msg_id"]))
    return replied


class MaibotPlanner:
    """Remembers what it answered: MaiBot shows the chat again in every round."""

    def __init__(
        self, decline_mark: str, reply_prefix: str, quote: Callable[[str], str] = str
    ) -> None:
        self.decline_mark = decline_mark
        self.reply_prefix = reply_prefix
        self.quote = quote
        """How a message's text goes into the reference (and so the reply)."""
        self.answered: set[str] = set()

    def plan(self, messages: list[dict[str, Any]], tools: list[Any]) -> list[ToolCall] | None:
        """The calls to make; None for a request that offers no ``reply`` (not the
        planner's)."""
        if REPLY_TOOL not in tool_names(tools):
            return None
        done = self.answered | replied_in(messages)
        calls = []
        for line in chat_lines(messages):
            if line.own or line.message_id in done or self.decline_mark in line.text:
                continue
            if self.reply_prefix in line.text:  # the bot's own words, shown back
                continue
            done.add(line.message_id)
            self.answered.add(line.message_id)
            reference = REFERENCE.format(text=self.quote(line.text))
            calls.append(
                ToolCall(REPLY_TOOL, {"msg_id": line.message_id, "reply_reference": reference})
            )
        return calls


def replyer_text(prompt: str, reply_prefix: str) -> str | None:
    """The reply upstream's replyer is to write, when the prompt carries a reference the
    planner gave: ``FAKE-REPLY「<text>」`` for the last one."""
    found = REFERENCE_SEEN.findall(prompt)
    return f"{reply_prefix}「{found[-1].strip()}」" if found else None
