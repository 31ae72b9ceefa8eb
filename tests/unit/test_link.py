"""The link's core without a socket: every state, the acceptance decision, the outbox,
and how a package read off either wire is sorted."""

import pytest

from maimbot_acceptance.wire.events import ConnectionEvent
from maimbot_acceptance.wire.link import (
    Accepted,
    Backoff,
    Link,
    LinkState,
    Outbox,
    Refused,
    TimedOut,
    heartbeat_of,
    read_package,
)
from maimbot_acceptance.wire.messages import Chat, ChatUser, SentMessage

SETTLE = 0.3


def event(kind: str, at: float, detail: str = "", accepted: bool = True) -> ConnectionEvent:
    return ConnectionEvent(kind, at, detail, accepted)


def fresh() -> Link:
    link = Link("Alice", SETTLE)
    link.begin(deadline=5.0)
    return link


def test_a_new_link_is_idle_and_says_it_is_not_connected():
    link = Link("Alice", SETTLE)
    assert link.state is LinkState.IDLE and not link.is_up
    assert link.why_not_up(0) == "it is not connected"


def test_open_then_a_favourable_verdict_is_accepted_at_once():
    link = fresh()
    assert link.state is LinkState.CONNECTING
    assert link.feed(event("open", 1.0)) is None
    assert link.feed(event("verdict", 1.01)) == Accepted()
    assert link.state is LinkState.UP and link.is_up


def test_an_open_without_a_verdict_is_accepted_once_it_stayed_up_the_settle_window():
    link = fresh()
    link.feed(event("open", 1.0))
    assert link.acceptance is not None and link.acceptance.wake_at() == 1.0 + SETTLE
    assert link.time_is_up() == Accepted()
    assert link.state is LinkState.UP


def test_before_an_open_the_wake_up_is_the_handshakes_deadline_and_then_it_timed_out():
    link = fresh()
    assert link.acceptance is not None and link.acceptance.wake_at() == 5.0
    assert link.time_is_up() == TimedOut()
    assert link.state is LinkState.TIMED_OUT


@pytest.mark.parametrize(
    ("events", "reason"),
    [
        ([event("verdict", 1.0, "unknown tenant", accepted=False)], "unknown tenant"),
        ([event("verdict", 1.0, accepted=False)], "no reason given"),
        ([event("close", 1.0, "HTTP 404")], "the handshake was rejected (HTTP 404)"),
        (
            [event("open", 1.0), event("close", 1.004, "Authentication failed")],
            "0.00 s after the handshake, without a verdict: Authentication failed",
        ),
    ],
    ids=["verdict", "verdict-without-reason", "close-before-open", "close-after-open"],
)
def test_refusals(events, reason):
    link = fresh()
    decisions = [link.feed(e) for e in events]
    assert isinstance(decisions[-1], Refused) and reason in decisions[-1].reason
    assert link.state is LinkState.REFUSED
    link.closed_by_us()  # tearing the attempt down does not make it a goodbye
    assert link.state is LinkState.REFUSED


def test_a_decision_stands_whatever_comes_after():
    link = fresh()
    link.feed(event("open", 1.0))
    link.feed(event("verdict", 1.0))
    assert link.acceptance is not None
    assert link.acceptance.feed(event("close", 2.0)) == Accepted()


def test_a_close_while_up_is_a_loss_and_says_when_and_why():
    link = fresh()
    link.feed(event("open", 1.0))
    link.feed(event("verdict", 1.0))
    link.feed(event("close", 2.0, "the link broke without a goodbye"))
    assert link.state is LinkState.LOST
    assert link.why_not_up(2.5) == (
        "the connection closed 0.50 s ago: the link broke without a goodbye"
    )


def test_a_drop_of_ours_is_a_loss_and_a_new_attempt_forgets_it():
    link = fresh()
    link.feed(event("open", 1.0))
    link.time_is_up()
    link.drop()
    link.feed(event("close", 2.0, "dropped by this client, without a goodbye"))
    assert link.state is LinkState.LOST and link.dropped_by_us
    link.begin(deadline=9.0)
    assert link.state is LinkState.CONNECTING and not link.dropped_by_us


def test_a_goodbye_of_ours_closes_the_link():
    link = fresh()
    link.feed(event("open", 1.0))
    link.time_is_up()
    link.closed_by_us()
    assert link.state is LinkState.CLOSED and link.why_not_up(3) == "it is not connected"


def test_the_heartbeat_window_is_the_interval_plus_the_timeout():
    link = Link("Alice", SETTLE)
    assert link.heartbeat_window is None
    link.heartbeat = (1.0, 2.0)
    assert link.heartbeat_window == 3.0


SENT = [
    SentMessage(
        f"m{n}", f"text {n}", ChatUser("u", "U"), Chat.group("g", "G"), "test", 0, 0, 0, f"p{n}"
    )
    for n in range(3)
]


def test_the_outbox_keeps_what_is_unacknowledged_in_order():
    outbox = Outbox()
    for sent in SENT:
        outbox.track(sent, {"msg_id": sent.package_id})
    assert outbox.ack("p1", 4.0) and not outbox.ack("p1", 5.0) and not outbox.ack("other", 5.0)
    assert outbox.acknowledged == {"p1": 4.0}
    assert outbox.unacknowledged() == [SENT[0], SENT[2]]
    assert [sent for sent, _ in outbox.to_resend()] == [SENT[0], SENT[2]]
    outbox.untrack("p2")
    outbox.give_up()
    assert outbox.unacknowledged() == []


@pytest.mark.parametrize(
    ("package", "kind", "package_id"),
    [
        ({"type": "sys_std", "payload": {"message_info": {}}}, "chat", ""),
        ({"type": "sys_ack", "meta": {"acked_msg_id": "p1"}}, "ack", "p1"),
        ({"type": "sys_ack", "meta": "odd"}, "ack", ""),
        ({"type": "custom_auth_result", "payload": {"accepted": True}}, "verdict", ""),
        ({"type": "custom_protocol_error", "payload": {"reason": "x"}}, "error", ""),
        ({"type": "custom_other"}, "other", ""),
        ([1, 2], "other", ""),
        ({"type": "sys_std", "payload": "not a mapping"}, "chat", ""),
    ],
)
def test_packages_are_sorted_whatever_the_wire(package, kind, package_id):
    incoming = read_package(package)
    assert (incoming.kind, incoming.package_id) == (kind, package_id)
    assert isinstance(incoming.payload, dict)


def test_a_verdict_may_announce_the_heartbeat():
    assert heartbeat_of({"accepted": True, "heartbeat": [1, 2]}) == (1.0, 2.0)
    assert heartbeat_of({"accepted": True}) is None
    assert heartbeat_of({"heartbeat": "soon"}) is None


def test_the_backoff_doubles_up_to_its_ceiling():
    backoff = Backoff(0.05, 0.5)
    assert [backoff.next_pause() for _ in range(6)] == [0.05, 0.1, 0.2, 0.4, 0.5, 0.5]
