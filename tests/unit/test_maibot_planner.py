"""The "maimbot" answerer plays upstream MaiBot 1.x's tool-calling planner and its
replyer, on requests of the shapes 1.3.15 sends (abridged from a rehearsal run)."""

import json

from maimbot_acceptance.llm_tap.maibot_planner import MaibotPlanner, ToolCall, replyer_text
from maimbot_acceptance.llm_tap.maimbot_answerer import MaimbotAnswerer

TOOLS = [{"type": "function", "function": {"name": name}} for name in ("wait", "reply", "stop")]
SYSTEM = {"role": "system", "content": "你的名字是麦麦。……发言必须通过reply工具"}


def said(msg_id: str, who: str, text: str, own: bool = False) -> dict[str, str]:
    mark = ' is_self_message="true"' if own else ""
    head = f'<message msg_id="{msg_id}" time="00:46:05" user="{who}"{mark}>'
    return {"role": "user", "content": f"{head}\n{text}"}


def replies(calls: list[ToolCall] | None) -> list[str]:
    assert calls is not None
    assert {call.name for call in calls} <= {"reply"}
    return [call.arguments["msg_id"] for call in calls]


def test_each_user_message_not_answered_yet_gets_a_reply_call_once():
    planner = MaibotPlanner("FAKE-NO-REPLY", "FAKE-REPLY")
    chat = [SYSTEM, said("mi4d3c6", "Alice", "Hello?"), said("m2", "Bob", "Hi")]
    assert replies(planner.plan(chat, TOOLS)) == ["mi4d3c6", "m2"]
    later = [*chat, said("m3", "Alice", "And now?")]
    assert replies(planner.plan(later, TOOLS)) == ["m3"]
    assert replies(planner.plan(later, TOOLS)) == []


def test_the_bot_s_own_lines_declined_ones_and_replied_ones_get_none():
    planner = MaibotPlanner("FAKE-NO-REPLY", "FAKE-REPLY")
    call = {"function": {"name": "reply", "arguments": json.dumps({"msg_id": "m1"})}}
    chat = [
        said("m1", "Alice", "Hello?"),
        {"role": "assistant", "content": "", "tool_calls": [call]},
        said("m2", "麦麦", "FAKE-REPLY「Hello?」", own=True),
        said("m3", "Carol", "FAKE-NO-REPLY please stay quiet"),
        said("m4", "Dave", "a line that quotes FAKE-REPLY back"),
    ]
    assert replies(planner.plan(chat, TOOLS)) == []


def test_a_request_without_the_reply_tool_is_not_the_planner_s():
    planner = MaibotPlanner("FAKE-NO-REPLY", "FAKE-REPLY")
    other = [{"type": "function", "function": {"name": "query_memory"}}]
    assert planner.plan([said("m1", "Alice", "Hello?")], other) is None


def test_the_reference_carries_the_text_and_the_replyer_echoes_it():
    planner = MaibotPlanner("FAKE-NO-REPLY", "FAKE-REPLY")
    calls = planner.plan([said("m1", "Alice", "What is two plus two?")], TOOLS)
    assert calls is not None
    reference = calls[0].arguments["reply_reference"]
    prompt = f"你正在群里聊天……\n回复参考：{reference}\n请写出回复"
    assert replyer_text(prompt, "FAKE-REPLY") == "FAKE-REPLY「What is two plus two?」"
    assert replyer_text("请总结这段对话", "FAKE-REPLY") is None


def test_the_maimbot_answerer_plans_and_replies_for_upstream_too():
    answerer = MaimbotAnswerer()
    calls = answerer.call_tools([said("m1", "Alice", "Hello?")], TOOLS)
    assert replies(calls) == ["m1"]
    reference = calls[0].arguments["reply_reference"] if calls else ""
    assert answerer.answer([{"role": "user", "content": reference}], "m") == "FAKE-REPLY「Hello?」"
