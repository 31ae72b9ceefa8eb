"""Newcomers keep coming at intervals, and the run ends at the first trouble."""

import asyncio
import itertools

from maimbot_acceptance.errors import ConnectionLost, NothingListening
from maimbot_acceptance.scenario.newcomers import welcome_newcomers


class FakeClient:
    def __init__(self, drops_after: float | None = None) -> None:
        self.drops_after = drops_after

    async def stay_connected(self, span: float) -> None:
        if self.drops_after is not None and self.drops_after < span:
            await asyncio.sleep(self.drops_after)
            raise ConnectionLost("an earlier newcomer's connection closed")
        await asyncio.sleep(span)


def run(loop, *, fail_at=None, drop_first_after=None, every=0.05, span=0.2):
    async def connect(number):
        if number == fail_at:
            raise NothingListening("nothing is listening at 127.0.0.1:1")
        return FakeClient(drop_first_after if number == 1 else None)

    async def converse(number, client):
        return 0.001 * number

    return loop(welcome_newcomers(every=every, span=span, connect=connect, converse=converse))


def test_a_newcomer_every_interval_until_the_span_is_over(loop):
    welcome = run(loop)
    assert welcome.trouble == ""
    assert [n.name for n in welcome.newcomers] == [f"Newcomer{n}" for n in range(1, 6)]
    arrivals = [n.came_at for n in welcome.newcomers]
    assert all(0.04 <= later - earlier < 0.2 for earlier, later in itertools.pairwise(arrivals))
    assert all(n.client and n.latency is not None and not n.failure for n in welcome.newcomers)


def test_the_first_newcomer_who_cannot_connect_ends_the_run(loop):
    welcome = run(loop, fail_at=3)
    assert len(welcome.newcomers) == 3
    assert welcome.trouble.startswith("Newcomer3, +0.1 s: nothing is listening")


def test_an_earlier_newcomer_dropping_ends_the_wait_at_once(loop):
    welcome = run(loop, drop_first_after=0.01, every=1.0, span=5)
    assert len(welcome.newcomers) == 1
    assert "while waiting for the next newcomer, +0.0 s" in welcome.trouble
