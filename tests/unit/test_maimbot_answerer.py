"""The "maimbot" answerer plays MaiMBot's planner and replyer on prompts of the shapes
MaiMBot sends (abridged from a replying api_server run)."""

import json
import re

from maimbot_acceptance.llm_tap import ANSWERERS
from maimbot_acceptance.llm_tap.maimbot_answerer import MaimbotAnswerer

PLANNER = """你的名字是麦麦
你现在正在一个群聊中，以下是具体的聊天内容
**聊天内容**
聊天记录信息：

[m12]09:49:53, Alice: Hello, is anyone there?
--- 以上消息是你已经看过，请关注以下未读的新消息---
[m28]09:49:53, Helper: FAKE-REPLY「Hello, is anyone there?」
[m29]09:49:54, Bob: What is the weather like?
[m30]09:49:54, 麦麦(你): an old line of the bot's own
[m31]09:49:55, Carol: FAKE-NO-REPLY please stay quiet
[m32]09:49:55, Dave: 第二个问题？

**可选的action**
reply
{
    "action": "reply",
    "target_message_id":"想要回复的消息id",
    "reason":"回复的原因"
}
"""


def actions(answer: str) -> list[dict[str, str]]:
    blocks = re.findall(r"```json\n(.*?)\n```", answer, re.S)
    return [json.loads(block) for block in blocks]


def ask(prompt: str) -> str:
    return MaimbotAnswerer().answer([{"role": "user", "content": prompt}], "any-model")


def test_the_planner_replies_to_each_unread_user_line_and_nothing_else():
    planned = actions(ask(PLANNER))
    assert [a["target_message_id"] for a in planned] == ["m29", "m32"]
    assert {a["action"] for a in planned} == {"reply"}


def test_the_planner_declines_when_nothing_unread_is_a_user_s():
    only_read = PLANNER.split("[m29]")[0] + PLANNER[PLANNER.index("\n**可选的action**") :]
    assert [a["action"] for a in actions(ask(only_read))] == ["no_reply"]


def test_without_a_read_mark_every_line_is_unread():
    unmarked = PLANNER.replace("--- 以上消息是你已经看过，请关注以下未读的新消息---\n", "")
    assert [a["target_message_id"] for a in actions(ask(unmarked))] == ["m12", "m29", "m32"]


def test_the_replyer_echoes_the_message_it_answers():
    prompt = "群里正在聊的是……\n现在Bob说的：What is the weather like?。引起了你的注意，你想要回复"
    assert ask(prompt) == "FAKE-REPLY「What is the weather like?」"


def test_anything_else_gets_a_fixed_line_and_the_same_prompt_the_same_answer():
    assert ask("请从下面的聊天中学习表达方式") == "OK, got it."
    assert ask(PLANNER) == ask(PLANNER)


def test_it_is_registered_as_maimbot():
    assert isinstance(ANSWERERS["maimbot"](), MaimbotAnswerer)


def test_a_long_message_is_quoted_short():
    """MaiMBot's api_server takes minutes over a reply of 1 MiB, and answers no one meanwhile."""
    long = "All work and no play. " * 50_000
    reply = ask(f"群里……\n现在Alice说的：{long}。引起了你的注意")
    assert reply.startswith("FAKE-REPLY「All work and no play.") and reply.endswith("…」")
    assert len(reply) < 500
