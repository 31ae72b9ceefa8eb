"""The "maimbot" answerer: plays MaiMBot's planner and replyer so the real MaiMBot
replies, deterministically, with words that name the message they answer.

MaiMBot asks its model twice per reply (both branches, api_server and saas):

- the planner (``planner.py`` for groups, ``brain_planner.py`` for private chats) is
  shown the chat under ``**聊天内容**``, one line per message, ``[m12]10:41:07, Alice:
  text``, with a read mark (``--- 以上消息是你已经看过…``) above the unread ones; it acts
  only on fenced ```json blocks naming an ``action`` and a ``target_message_id``.
  Answer: one ``reply`` block per unread line of a user (not the bot, not one of the
  bot's own fake replies), or ``no_reply`` when there is none. A line holding
  ``FAKE-NO-REPLY`` is left unanswered, so a test can ask for a planner that declines.
- the replyer (``group_generator.py``, ``private_generator.py``) is told ``现在<who>说的：
  <text>。引起了你的注意``. Answer: ``FAKE-REPLY「<text>」``.

Everything else it asks (tools, expressions, jargon, memory) gets ``OK, got it.``.

Upstream MaiBot 1.x plans by tool calls instead: ``maibot_planner.py`` plays it, and
its replyer is answered the same way, ``FAKE-REPLY「<text>」``.
"""

from __future__ import annotations

import json
import re
from typing import Any

from .maibot_planner import MaibotPlanner, ToolCall, replyer_text

REPLY_PREFIX = "FAKE-REPLY"
DECLINE_MARK = "FAKE-NO-REPLY"
OTHERWISE = "OK, got it."
BOT_NAME = "麦麦"
"""The bot's nickname in MaiMBot's bot_config template: its own lines start with it."""

CHAT_SECTION = "**聊天内容**"
READ_MARK = "以上消息是你已经看过，请关注以下未读的新消息"
CHAT_LINE = re.compile(r"^\[(?P<id>m\d+)\]\d{1,2}:\d{2}:\d{2}, (?P<who>.+?): (?P<text>.*)$")
SECTION_END = re.compile(r"\n\*\*(可选的action|可用的action|动作记录)\*\*")
REPLY_TARGET = re.compile(r"(?m)^现在[^\n]*?说的[：:](?P<text>.*?)。引起了你的注意", re.S)


class MaimbotAnswerer:
    def __init__(self) -> None:
        self.planner = MaibotPlanner(DECLINE_MARK, REPLY_PREFIX, quoted)

    def call_tools(self, messages: list[dict[str, Any]], tools: list[Any]) -> list[ToolCall] | None:
        """Upstream's planner: a ``reply`` call per message not answered yet."""
        return self.planner.plan(messages, tools)

    def answer(self, messages: list[dict[str, Any]], model: str) -> str:
        # MaiMBot sends each prompt as one plain string.
        prompt = "\n".join(str(message.get("content") or "") for message in messages)
        if CHAT_SECTION in prompt and "target_message_id" in prompt and '"action"' in prompt:
            return plan(prompt)
        upstream_reply = replyer_text(prompt, REPLY_PREFIX)
        if upstream_reply is not None:
            return upstream_reply
        asked = REPLY_TARGET.search(prompt)
        if asked:
            return f"{REPLY_PREFIX}「{quoted(asked.group('text'))}」"
        return OTHERWISE


ECHO_LIMIT = 400
"""Characters of a message its fake reply quotes: a model writes a short reply to a long
message (MaiMBot's api_server takes minutes over a reply of 1 MiB, and stops answering)."""


def quoted(text: str) -> str:
    """A message as a fake reply quotes it: whole, or its first ECHO_LIMIT characters."""
    text = text.strip()
    return text if len(text) <= ECHO_LIMIT else text[:ECHO_LIMIT] + "…"


def unread_lines(prompt: str) -> list[re.Match[str]]:
    """The chat lines after the read mark (all of them without one)."""
    chat = prompt.split(CHAT_SECTION, 1)[1]
    end = SECTION_END.search(chat)
    chat = chat[: end.start()] if end else chat
    chat = chat.split(READ_MARK, 1)[-1]
    found = (CHAT_LINE.match(line.strip()) for line in chat.splitlines())
    return [line for line in found if line]


def plan(prompt: str) -> str:
    targets = [
        line.group("id")
        for line in unread_lines(prompt)
        if not line.group("who").startswith(BOT_NAME)
        and REPLY_PREFIX not in line.group("text")
        and DECLINE_MARK not in line.group("text")
    ]
    if not targets:
        return fenced({"action": "no_reply", "reason": "no unread user message"})
    reason = "reply to every unread user message"
    return "\n".join(
        fenced({"action": "reply", "target_message_id": target, "reason": reason})
        for target in targets
    )


def fenced(action: dict[str, str]) -> str:
    return f"```json\n{json.dumps(action, ensure_ascii=False)}\n```"
