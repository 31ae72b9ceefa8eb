"""A message sent while the connection was down is reported, delivered, or caught lost."""

import dataclasses

import pytest

from maimbot_acceptance.errors import NoMatchingMessage
from maimbot_acceptance.judging.matchers import anything
from maimbot_acceptance.judging.outage import OutageMessage
from maimbot_acceptance.wire.events import Reconnection
from maimbot_acceptance.wire.inbox import Inbox
from maimbot_acceptance.wire.messages import Chat, ChatMessage, ChatUser, SentMessage

ALICE = ChatUser("u_alice", "Alice")
SENT = SentMessage("m_1", "Anyone?", ALICE, Chat.group("g", "G"), "test", 0.0, 0.0, 0, "pkg_1")


@dataclasses.dataclass
class FakeClient:
    inbox: Inbox = dataclasses.field(default_factory=lambda: Inbox("Alice -> Helper"))
    acknowledged: dict = dataclasses.field(default_factory=dict)
    reconnections: list = dataclasses.field(default_factory=list)


def reply() -> ChatMessage:
    return ChatMessage.from_payload({"message_segment": {"type": "text", "data": "Here"}})


def test_a_refused_message_is_reported_as_not_delivered(loop):
    attempt = OutageMessage(
        "Alice to Helper", FakeClient(), "Anyone?", None, refused="not connected"
    )
    loop(attempt.settle(anything(), 0.1))
    assert attempt.outcome() == (
        "Alice to Helper: 'Anyone?': not delivered: the client refused it at once (not connected)"
    )


def test_a_resent_message_that_is_answered_was_delivered_after_reconnecting(loop):
    client = FakeClient(reconnections=[Reconnection(0.1, 1, (SENT,))])
    client.inbox.deliver(reply())
    attempt = OutageMessage("Alice to Helper", client, "Anyone?", SENT)
    loop(attempt.settle(anything(), 1))
    assert "delivered after reconnecting (resent" in attempt.outcome()
    assert "answered" in attempt.outcome()


def test_a_message_that_went_out_and_was_never_answered_is_caught_as_lost(loop):
    client = FakeClient(acknowledged={"pkg_1": 0.0})
    attempt = OutageMessage("Alice to Helper", client, "Anyone?", SENT)
    with pytest.raises(NoMatchingMessage, match="'Anyone\\?' was silently lost: it was delivered"):
        loop(attempt.settle(anything(), 0.1))
