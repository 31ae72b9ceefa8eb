"""Matchers read text from plain and quote replies, and explain their mismatches."""

from hamcrest import assert_that, contains_string
from hamcrest.core.string_description import StringDescription

from maimbot_acceptance.judging.matchers import a_reply, addressed_to, every, from_agent, with_text
from maimbot_acceptance.wire.dialects import DIALECTS
from maimbot_acceptance.wire.messages import Chat, ChatMessage, ChatUser

from .test_messages import reply_payload

GROUP = Chat.group("g1", "Lobby")
PLAIN = ChatMessage.from_payload(reply_payload({"type": "text", "data": "Helper heard: hi"}))
QUOTE = ChatMessage.from_payload(
    reply_payload(
        {
            "type": "seglist",
            "data": [
                {"type": "reply", "data": "m_1"},
                {"type": "text", "data": "Helper heard: hi"},
            ],
        }
    )
)


REFERENCE, SAAS = DIALECTS["reference"], DIALECTS["saas"]


def mismatch(matcher, item) -> str:
    description = StringDescription()
    matcher.describe_mismatch(item, description)
    return str(description)


def test_with_text_matches_plain_and_quote_replies():
    for message in (PLAIN, QUOTE):
        assert with_text("Helper heard: hi").matches(message)
        assert with_text(contains_string("hi")).matches(message)
        assert not with_text("bye").matches(message)


def test_from_agent_needs_routing_key_and_sender_where_the_dialect_names_the_agent():
    assert from_agent("tenant_1:agent_1", "agent_1", dialect=REFERENCE).matches(PLAIN)
    assert not from_agent("tenant_2:agent_1", "agent_1", dialect=REFERENCE).matches(PLAIN)
    assert not from_agent("tenant_1:agent_1", "agent_2", dialect=REFERENCE).matches(PLAIN)
    assert "routing_key was 'tenant_1:agent_1'" in mismatch(
        from_agent("tenant_2:agent_1", "agent_1", dialect=REFERENCE), PLAIN
    )
    # saas's sender is its one global bot account: only the routing key witnesses.
    assert from_agent("tenant_1:agent_1", "agent_2", dialect=SAAS).matches(PLAIN)
    assert not from_agent("mmc_other", "agent_1", dialect=SAAS).matches(PLAIN)


def test_addressed_to_group_or_private_chat():
    assert addressed_to(GROUP).matches(PLAIN)
    assert not addressed_to(Chat.group("g2", "Other")).matches(PLAIN)
    assert not addressed_to(Chat.private_with(ChatUser("u_alice", "Alice"))).matches(PLAIN)


def test_a_reply_lists_only_the_failing_parts():
    matcher = a_reply(
        api_key="tenant_1:agent_2",
        agent_id="agent_2",
        agent_name="Sales",
        chat=GROUP,
        platform="test",
        dialect=REFERENCE,
    )
    assert not matcher.matches(PLAIN)
    why = mismatch(matcher, PLAIN)
    assert "routing_key was 'tenant_1:agent_1'" in why
    assert "to_group_id" not in why  # the chat was right


def test_every_describes_one_expectation_per_line():
    description = StringDescription()
    helper = from_agent("t:a", "a", "Helper", dialect=REFERENCE)
    description.append_description_of(every(helper, with_text("x")))
    assert str(description).splitlines() == ["from agent Helper (a), key t:a", "with text 'x'"]


def test_matchers_work_with_assert_that():
    assert_that(
        QUOTE,
        a_reply(
            api_key="tenant_1:agent_1",
            agent_id="agent_1",
            agent_name="Helper",
            chat=GROUP,
            platform="test",
            dialect=REFERENCE,
        ),
    )


def test_anything_but_names_what_was_allowed():
    from maimbot_acceptance.judging.matchers import anything_but

    own = anything_but([with_text("Helper heard: hi")], "its own reply")
    assert not own.matches(PLAIN)
    assert own.matches(ChatMessage.from_payload(reply_payload({"type": "text", "data": "x"})))
    assert mismatch(own, PLAIN) == "it is its own reply"


def test_exact_text_names_the_first_differing_character():
    from maimbot_acceptance.judging.matchers import exactly_text

    mangled = ChatMessage.from_payload(reply_payload({"type": "text", "data": "shalom? world"}))
    assert exactly_text("shalom\u200f world").matches(mangled) is False
    assert_that(
        mismatch(exactly_text("shalom\u200f world"), mangled),
        contains_string("differs at character 7: U+003F '?' instead of U+200F"),
    )
    long_text = "x" * 1000
    description = StringDescription()
    exactly_text(long_text).describe_to(description)
    assert "(1000 characters)" in str(description) and len(str(description)) < 200
