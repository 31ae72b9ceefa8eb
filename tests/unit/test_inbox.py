"""Inbox waits wake on arrival, fail at their timeout, and explain what arrived."""

import asyncio
import time

import pytest

from maimbot_acceptance.errors import NoMatchingMessage, UnexpectedMessage
from maimbot_acceptance.judging.matchers import anything, with_text
from maimbot_acceptance.wire.inbox import Inbox
from maimbot_acceptance.wire.messages import ChatMessage

from .test_messages import reply_payload


def message(text: str) -> ChatMessage:
    return ChatMessage.from_payload(reply_payload({"type": "text", "data": text}))


def deliver_later(inbox: Inbox, delay: float, *texts: str) -> None:
    loop = asyncio.get_running_loop()
    for text in texts:
        loop.call_later(delay, inbox.deliver, message(text))


def test_wait_wakes_when_the_message_arrives(loop):
    inbox = Inbox("Alice")

    async def scenario():
        deliver_later(inbox, 0.05, "other", "hello")
        started = time.monotonic()
        arrival = await inbox.wait_for(with_text("hello"), timeout=5)
        return arrival, time.monotonic() - started

    arrival, waited = loop(scenario())
    assert arrival.message.text == "hello" and arrival.seq == 1
    assert waited < 1.0  # woke on arrival, nowhere near the 5 s timeout


def test_wait_finds_what_already_arrived_after_the_mark(loop):
    inbox = Inbox("Alice")
    inbox.deliver(message("old"))
    mark = inbox.mark()
    inbox.deliver(message("new"))
    arrival = loop(inbox.wait_for(anything(), timeout=1, since=mark))
    assert arrival.message.text == "new"


def test_missing_message_fails_at_the_timeout_and_lists_the_inbox(loop):
    inbox = Inbox("Alice (Acme) -> Helper")
    inbox.deliver(message("Helper heard: hi"))
    started = time.monotonic()
    with pytest.raises(NoMatchingMessage) as failure:
        loop(inbox.wait_for(with_text("bye"), timeout=1.0, context="after Alice said hi"))
    waited = time.monotonic() - started
    assert 1.0 <= waited <= 1.1  # the timeout, +10% at most
    text = str(failure.value)
    assert text.startswith("Alice (Acme) -> Helper: no expected message within 1.00 s")
    assert "with text 'bye'" in text
    assert "after Alice said hi" in text
    assert "Everything this connection received (1)" in text
    assert "not a match: its text was 'Helper heard: hi'" in text


def test_empty_inbox_says_so(loop):
    with pytest.raises(NoMatchingMessage, match="received nothing at all"):
        loop(Inbox("Bob").wait_for(anything(), timeout=0.05))


def test_wait_for_count_reports_how_many_came(loop):
    inbox = Inbox("Alice")
    inbox.deliver(message("a"))
    with pytest.raises(NoMatchingMessage, match="1 of 2 expected messages"):
        loop(inbox.wait_for_count(anything(), 2, timeout=0.05))


def test_expect_nothing_passes_after_a_quiet_window(loop):
    inbox = Inbox("Bob")
    started = time.monotonic()
    loop(inbox.expect_nothing(anything(), window=0.2))
    assert time.monotonic() - started >= 0.2


def test_expect_nothing_fails_as_soon_as_something_arrives(loop):
    inbox = Inbox("Bob (Beta) -> Helper")

    async def scenario():
        deliver_later(inbox, 0.05, "Helper heard: Acme's secret")
        await inbox.expect_nothing(anything(), window=5)

    started = time.monotonic()
    with pytest.raises(UnexpectedMessage) as failure:
        loop(scenario())
    assert time.monotonic() - started < 1.0  # failed on arrival, not at the window's end
    assert "where none was allowed" in str(failure.value)
    assert "Acme's secret" in str(failure.value)


def test_expect_nothing_ignores_what_came_before_the_mark(loop):
    inbox = Inbox("Bob")
    inbox.deliver(message("before"))
    loop(inbox.expect_nothing(anything(), window=0.05, since=inbox.mark()))


def test_forget_drops_old_arrivals_but_keeps_numbering_and_marks(loop):
    inbox = Inbox("Alice")
    for text in ("one", "two", "three"):
        inbox.deliver(message(text))
    mark = inbox.mark()
    inbox.forget(2)
    assert [a.message.text for a in inbox.arrivals] == ["three"]
    assert inbox.mark() == mark == 3
    assert [a.seq for a in inbox.since(0)] == [2]
    assert inbox.deliver(message("four")).seq == 3
    assert [a.message.text for a in inbox.matching(anything(), since=3)] == ["four"]
    assert loop(inbox.wait_for(with_text("four"), 1, since=2)).seq == 3
    assert "less the first 2 (forgotten)" in inbox.transcript()
    inbox.forget(10)  # beyond the end: forgets what there is, never the future
    assert inbox.arrivals == () and inbox.mark() == 4
    assert "received 4 messages, all forgotten" in inbox.transcript()
