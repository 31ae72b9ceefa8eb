"""Notifier: waiters wake on each change and re-check; nothing polls."""

import asyncio
import time

from maimbot_acceptance.wire.notifier import Notifier


def test_a_waiter_wakes_on_the_change_that_makes_its_condition_true(loop):
    async def scenario():
        changes, state = Notifier(), {"count": 0}

        def bump():
            state["count"] += 1
            changes.notify()

        for delay in (0.02, 0.04, 0.06):
            asyncio.get_running_loop().call_later(delay, bump)
        started = time.monotonic()
        value = await changes.wait_for(lambda: state["count"] if state["count"] >= 3 else None, 5)
        return value, time.monotonic() - started

    value, waited = loop(scenario())
    assert value == 3 and waited < 1.0


def test_a_condition_true_at_once_needs_no_change(loop):
    async def scenario():
        return await Notifier().wait_for(lambda: "ready", 0)

    assert loop(scenario()) == "ready"


def test_no_change_in_time_gives_none_at_the_timeout(loop):
    async def scenario():
        started = time.monotonic()
        value = await Notifier().wait_for(lambda: None, 0.1)
        return value, time.monotonic() - started

    value, waited = loop(scenario())
    assert value is None and 0.1 <= waited < 0.5
