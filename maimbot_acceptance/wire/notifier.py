"""Waiting for a condition that changes only when something happens: no polling.

An inbox gets a message, a connection opens or closes, a server's routing table
changes: whoever holds such a state calls :meth:`Notifier.notify` after each change,
and waiters re-check their condition then, and only then, until it holds or their
time is up.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


class Notifier:
    """Wakes every waiter on each change. Use from one event loop only."""

    def __init__(self) -> None:
        self._waiters: list[asyncio.Future[None]] = []

    def notify(self) -> None:
        waiters, self._waiters = self._waiters, []
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(None)

    async def wait_for(self, check: Callable[[], T | None], timeout: float) -> T | None:
        """The first value other than None that ``check()`` gives, re-evaluated now and
        after each change; None when ``timeout`` s pass first."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while (result := check()) is None:
            remaining = deadline - loop.time()
            if remaining <= 0:
                return None
            waiter: asyncio.Future[None] = loop.create_future()
            self._waiters.append(waiter)
            try:
                await asyncio.wait([waiter], timeout=remaining)
            finally:
                if not waiter.done():  # timed out or cancelled: no one will wake it now
                    self._waiters.remove(waiter)
        return result
