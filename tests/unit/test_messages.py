"""Reading and writing chat messages, in both reply shapes the real server uses."""

import time

from maimbot_acceptance.wire.messages import (
    Chat,
    ChatKind,
    ChatMessage,
    ChatUser,
    build_message,
    segment_types,
    text_of,
    text_segment,
)

ALICE = ChatUser("u_alice", "Alice")


def reply_payload(segment: dict, receiver: dict | None = None) -> dict:
    return {
        "message_info": {
            "platform": "test",
            "message_id": "r1",
            "time": 1.0,
            "sender_info": {
                "user_info": {"platform": "test", "user_id": "agent_1", "user_nickname": "Helper"}
            },
            "receiver_info": receiver or {"group_info": {"platform": "test", "group_id": "g1"}},
        },
        "message_segment": segment,
        "message_dim": {"api_key": "tenant_1:agent_1", "platform": "test"},
    }


def test_text_of_plain_text():
    assert text_of({"type": "text", "data": "hello"}) == "hello"


def test_text_of_quote_seglist_skips_the_quote():
    segment = {
        "type": "seglist",
        "data": [{"type": "reply", "data": "m_1"}, {"type": "text", "data": "hello"}],
    }
    assert text_of(segment) == "hello"


def test_text_of_joins_text_parts_and_ignores_other_segments():
    segment = {
        "type": "seglist",
        "data": [
            {"type": "text", "data": "a"},
            {"type": "image", "data": "iVBORw0KGgo="},
            {"type": "text", "data": "b"},
        ],
    }
    assert text_of(segment) == "ab"


def test_text_of_non_text_is_empty():
    assert text_of({"type": "image", "data": "iVBORw0KGgo="}) == ""
    assert text_of(None) == ""


def test_chat_message_reads_a_group_reply():
    message = ChatMessage.from_payload(reply_payload({"type": "text", "data": "hi"}))
    assert (message.routing_key, message.sender_id, message.to_group_id) == (
        "tenant_1:agent_1",
        "agent_1",
        "g1",
    )
    assert message.to_user_id is None
    assert message.text == "hi"
    assert not message.is_quote_reply


def test_chat_message_reads_a_private_quote_reply():
    segment = {
        "type": "seglist",
        "data": [{"type": "reply", "data": "m_9"}, {"type": "text", "data": "hi"}],
    }
    receiver = {"user_info": {"platform": "test", "user_id": "u_alice"}}
    message = ChatMessage.from_payload(reply_payload(segment, receiver))
    assert message.to_user_id == "u_alice" and message.to_group_id is None
    assert message.quoted_message_id == "m_9"
    assert message.segment_types == ("reply", "text")
    assert message.text == "hi"


NESTED = {
    "type": "seglist",
    "data": [
        {"type": "reply", "data": "m_9"},
        {"type": "seglist", "data": [{"type": "text", "data": "look: "}, {"type": "image"}]},
    ],
}


def test_a_nested_seglist_is_read_through_for_its_text_and_its_kinds():
    # A wrapper must not hide what it carries: a recorded image inside a seglist is
    # commented as an image, not as a "seglist" (record/scenario_writer.py).
    assert text_of(NESTED) == "look: "
    assert segment_types(NESTED) == ("reply", "text", "image")
    assert ChatMessage.from_payload(reply_payload(NESTED)).quoted_message_id == "m_9"


def test_no_segment_carries_no_kind():
    assert segment_types(None) == ()
    assert segment_types({"type": "image", "data": "x"}) == ("image",)


def test_a_users_message_names_the_group_it_is_said_in():
    message = ChatMessage.from_payload(
        build_message(
            segment=text_segment("hi"),
            api_key="t:a",
            platform="test",
            sender=ALICE,
            chat=Chat.group("g7", "Room"),
        ).to_dict()
    )
    assert (message.in_group_id, message.to_group_id, message.sender_id) == ("g7", None, "u_alice")


def test_chat_message_tolerates_garbage():
    message = ChatMessage.from_payload({"message_info": "nonsense"})
    assert message.routing_key is None and message.text == ""
    assert "no receiver" in message.describe()


def test_build_message_is_dated_now_and_names_the_group():
    before = time.time()
    message = build_message(
        segment=text_segment("hello"),
        api_key="t:a",
        platform="test",
        sender=ALICE,
        chat=Chat.group("g1", "Lobby"),
    )
    info = message.message_info
    assert before <= info.time <= time.time()
    assert info.sender_info.group_info.group_id == "g1"
    assert info.sender_info.user_info.user_id == "u_alice"
    assert message.message_dim.api_key == "t:a"


def test_build_message_in_private_has_no_group():
    chat = Chat.private_with(ALICE)
    assert chat.kind is ChatKind.PRIVATE
    message = build_message(
        segment=text_segment("hello"), api_key="t:a", platform="test", sender=ALICE, chat=chat
    )
    assert message.message_info.sender_info.group_info is None
