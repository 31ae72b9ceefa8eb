"""Parameter types of the step phrasings: escaped text, connections, catalogue names."""

import parse
import pytest

from maimbot_acceptance.scenario import gherkin
from maimbot_acceptance.scenario.bad_input import CHAT_INPUTS, GARBAGE, MIB, text_of_length


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        (r"tab\there", "tab\there"),
        (r"rlm\u200Fend", "rlm\u200fend"),
        (r"\U0001F468\u200D\U0001F469", "\U0001f468\u200d\U0001f469"),
        (r"nul\x00 bell\u0007", "nul\x00 bell\x07"),
        (r"a \"quote\" and a \\ backslash", 'a "quote" and a \\ backslash'),
        ("你好 世界 👋🏽", "你好 世界 👋🏽"),  # written as is: left alone
        (r"\q stays", r"\q stays"),
    ],
)
def test_escapes_name_the_characters_that_cannot_be_seen(written, meant):
    assert gherkin.decode_escapes(written) == meant


def test_a_connection_is_named_by_user_agent_and_optional_platform():
    step = parse.compile(
        "{c:Connection} receives nothing", extra_types={"Connection": gherkin.parse_connection}
    )
    assert step.parse("Alice's connection to Sales receives nothing")["c"] == (
        "Alice",
        "Sales",
        "",
    )
    assert step.parse("""Alice's connection to Helper on "qq" receives nothing""")["c"] == (
        "Alice",
        "Helper",
        "qq",
    )


def test_a_connection_can_be_named_in_chinese():
    step = parse.compile(
        "{c:Connection}没有收到任何消息", extra_types={"Connection": gherkin.parse_connection}
    )
    assert step.parse("Alice 到 Sales 的连接没有收到任何消息")["c"] == ("Alice", "Sales", "")
    assert step.parse('Alice 在 "qq" 上到 Helper 的连接没有收到任何消息')["c"] == (
        "Alice",
        "Helper",
        "qq",
    )


def test_names_can_be_listed_in_english_or_chinese():
    step = parse.compile("{agents:Names}", extra_types={"Names": gherkin.parse_names})
    assert step.parse("Helper, Sales and Billing")["agents"] == ["Helper", "Sales", "Billing"]
    assert step.parse("Helper 和 Sales")["agents"] == ["Helper", "Sales"]
    assert step.parse("Helper、Sales")["agents"] == ["Helper", "Sales"]


def test_catalogue_phrases_match_whole_names_only():
    step = parse.compile(
        "Alice sends Helper {what:ChatInput}", extra_types={"ChatInput": gherkin.parse_chat_input}
    )
    for name in CHAT_INPUTS:
        assert step.parse(f"Alice sends Helper {name}")["what"] == name
    assert step.parse("Alice sends Helper a poem") is None
    assert all(GARBAGE[name]() is not None for name in GARBAGE)


def test_sized_inputs_are_sized_against_the_servers_limit():
    assert len(text_of_length(MIB)) == MIB
    over = CHAT_INPUTS["a message just over the server's size limit"](1000)
    assert len(over.data) == 1001


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("her group", ("group", "", False)),
        ("private", ("private", "", False)),
        ("the group Garden", ("group", "Garden", False)),
        ("a group with no name", ("group", "", True)),
    ],
)
def test_a_place_is_a_users_own_chat_a_named_group_or_a_nameless_one(written, meant):
    step = parse.compile("in {p:ChatPlace}!", extra_types={"ChatPlace": gherkin.parse_chat_place})
    assert tuple(step.parse(f"in {written}!")["p"]) == meant


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("她的群聊", ("group", "", False)),
        ("私聊", ("private", "", False)),
        ("群聊 Garden ", ("group", "Garden", False)),
        ("一个没有名字的群聊", ("group", "", True)),
    ],
)
def test_a_place_in_chinese_is_the_same_place(written, meant):
    step = parse.compile("在{p:ChatPlace}里", extra_types={"ChatPlace": gherkin.parse_chat_place})
    assert tuple(step.parse(f"在{written}里")["p"]) == meant
