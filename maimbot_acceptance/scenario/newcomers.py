"""Fresh users arriving at a server that has been up for a while.

The real MaiMBot stopped accepting new connections a minute or so after it started
(docs/protocol.md, maim_message defect 1: its listener is lost to garbage
collection, most likely while many new clients arrive). So waves of newcomers
connect and converse at intervals over a span; between waves, everyone who came
earlier must stay connected, and the wait ends the moment one of them drops.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from ..wire.client import TenantMessageClient


@dataclass
class Newcomer:
    """One fresh user: when it came (seconds after the first), and how it went."""

    name: str
    came_at: float
    client: TenantMessageClient | None = None
    latency: float | None = None
    failure: str = ""


@dataclass
class Welcome:
    """Every newcomer of a run, and what ended it early, if anything did."""

    newcomers: list[Newcomer]
    trouble: str = ""


async def welcome_newcomers(
    *,
    every: float,
    span: float,
    connect: Callable[[int], Awaitable[TenantMessageClient]],
    converse: Callable[[int, TenantMessageClient], Awaitable[float]],
) -> Welcome:
    """A newcomer every ``every`` s until ``span`` s have passed, starting at once.

    ``connect(n)`` opens newcomer n's connection; ``converse(n, client)`` asks one
    question and returns the reply's latency. The first newcomer that cannot connect
    or gets no reply ends the run, as does an earlier newcomer's connection
    dropping; ``trouble`` then says which and why.
    """
    started = time.monotonic()
    arrived: list[Newcomer] = []
    number = 0
    while True:
        number += 1
        newcomer = Newcomer(f"Newcomer{number}", time.monotonic() - started)
        arrived.append(newcomer)
        try:
            newcomer.client = await connect(number)
            newcomer.latency = await converse(number, newcomer.client)
        except AssertionError as failure:  # ConnectFailed included
            newcomer.failure = str(failure)
            return Welcome(arrived, f"{newcomer.name}, +{newcomer.came_at:.1f} s: {failure}")
        if number * every > span + 1e-9:  # (not next_at - started: clock-dependent rounding)
            return Welcome(arrived)
        next_at = started + number * every
        stay = max(next_at - time.monotonic(), 0.0)
        earlier = [n.client for n in arrived if n.client is not None]
        try:
            # The wait between waves watches everyone who came: it ends at the first drop.
            await asyncio.gather(*(client.stay_connected(stay) for client in earlier))
        except AssertionError as dropped:
            waited = time.monotonic() - started
            return Welcome(
                arrived, f"while waiting for the next newcomer, +{waited:.1f} s: {dropped}"
            )
