"""The pure rules (quotes, misdelivery, silence), judged without a loop or a server."""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

from maimbot_acceptance.judging.rules import (
    misdelivered,
    misplaced_quotes,
    never_to_receive,
    quoted_replies,
    repeated_replies,
)
from maimbot_acceptance.wire.client import TenantMessageClient
from maimbot_acceptance.wire.dialects import DIALECTS, tenant_agent_key
from maimbot_acceptance.wire.inbox import Arrival
from maimbot_acceptance.wire.messages import Chat, ChatMessage, ChatUser, SentMessage

from .test_messages import reply_payload

ALICE = ChatUser("u_alice", "Alice")
GROUP = Chat.group("g1", "Alice's group")


@dataclass
class Turn:
    sent: SentMessage
    reply: Arrival | None


def sent(message_id: str, text: str = "hi") -> SentMessage:
    return SentMessage(
        message_id=message_id,
        text=text,
        sender=ALICE,
        chat=GROUP,
        platform="test",
        sent_at=time.monotonic(),
        wall_time=time.time(),
        inbox_mark=0,
    )


def reply(seq: int, quoting: str | None = None, **dim: str) -> Arrival:
    text = {"type": "text", "data": "Helper heard: hi"}
    segment = (
        text
        if quoting is None
        else {"type": "seglist", "data": [{"type": "reply", "data": quoting}, text]}
    )
    payload = reply_payload(segment)
    payload["message_dim"] = {**payload["message_dim"], **dim}
    return Arrival(seq, time.monotonic(), ChatMessage.from_payload(payload))


def test_quotes_in_place_pass_and_plain_replies_are_not_judged():
    turns = [
        Turn(sent("m1"), reply(0, quoting="m1")),
        Turn(sent("m2"), reply(1)),
        Turn(sent("m3"), None),
    ]
    assert misplaced_quotes(turns) == []
    assert quoted_replies(turns) == 1


def test_a_reply_quoting_another_turn_is_named_with_both_turns():
    turns = [Turn(sent("m1", "first"), reply(0, quoting="m2")), Turn(sent("m2"), reply(1))]
    assert misplaced_quotes(turns) == ["the reply to #1 ('first') quotes #2 (m2)"]


def test_a_quote_of_a_message_never_sent_says_so():
    turns = [Turn(sent("m1", "first"), reply(0, quoting="m_unknown"))]
    assert misplaced_quotes(turns) == ["the reply to #1 ('first') quotes #? (m_unknown)"]


def client_with(*arrivals: Arrival) -> TenantMessageClient:
    client = TenantMessageClient(
        api_key=tenant_agent_key("tenant_1", "agent_1"),
        tenant_id="tenant_1",
        agent_id="agent_1",
        platform="test",
        server_url="ws://127.0.0.1:9/ws",
        label="Alice -> Helper",
    )
    for arrival in arrivals:
        client.inbox.deliver(arrival.message)
    return client


def test_misdelivery_names_a_message_of_another_agent_and_passes_its_own():
    client = client_with(reply(0), reply(1, api_key="tenant_2:agent_9"))
    (line,) = misdelivered([client], DIALECTS["reference"])
    assert line.startswith("Alice -> Helper got #2: ")


def test_silence_rule_lets_the_own_agents_replies_through_but_not_to_strangers():
    own = client_with()
    rule = never_to_receive(own, [], DIALECTS["reference"])
    assert not rule.matches(reply(0).message)
    assert rule.matches(reply(0, platform="qq").message)
    assert rule.matches(reply(0, api_key="tenant_2:agent_9").message)
    to_a_stranger = never_to_receive(own, [GROUP], DIALECTS["reference"])
    assert to_a_stranger.matches(reply(0).message)


def test_one_reply_per_message_passes_and_each_kind_of_repeat_is_named():
    def replies(*quotes: str | None) -> list[ChatMessage]:
        return [
            replace(reply(n, quoting=q).message, message_id=f"r{n}") for n, q in enumerate(quotes)
        ]

    assert repeated_replies(replies(None, "m1"), asked=3) == []
    assert repeated_replies(replies(None, None), asked=1) == ["2 replies to 1 message(s)"]
    twice = repeated_replies(replies("m1", "m1"), asked=2)
    assert twice == ["reply 2 quotes m1, which an earlier reply quoted"]
    own = repeated_replies(replies("echo1"), asked=1, own_ids=["echo1"])
    assert own == ["reply 1 quotes the agent's own message echo1"]
    same = reply(0).message
    assert repeated_replies([same, same], asked=2) == [f"reply 2 is reply {same.message_id} again"]


def test_two_different_replies_sharing_an_id_are_not_one_reply_sent_twice():
    """Upstream's reply ids are the millisecond they were sent (send_api_<ms>)."""
    first = replace(reply(0).message, message_id="send_api_1796613156087", text="one")
    second = replace(first, text="two")
    assert repeated_replies([first, second], asked=2) == []
    assert repeated_replies([first, first], asked=2) == [
        "reply 2 is reply send_api_1796613156087 again"
    ]
