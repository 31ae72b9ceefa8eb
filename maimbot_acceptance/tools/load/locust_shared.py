"""What one Locust process shares among its users: the client loop, the agents, the closes.

Each Locust process (the master with ``--processes``, every worker) gets one
:class:`LoadProcess`, made by its first user: one real OS thread running one
asyncio loop that holds every user's TenantMessageClient (see gevent_runtime.py
for why the thread and its loop are built from gevent's originals). It is made
lazily, by the first user, because a thread started when the locustfile is
imported does not survive ``--processes``' fork.

Users (greenlets) hand it coroutines with :meth:`LoadProcess.run` and block only
on a gevent primitive. A user that stops hands its disconnect over without
waiting for it (maim_message's client takes 0.5 s to stop, and a worker that
blocks in ``on_stop`` sends its last statistics too late for the master);
:meth:`shutdown`, from Locust's ``quitting`` event, waits for them, bounded.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import Coroutine
from typing import Any, ClassVar, TypeVar

from ...wire.loop import LoopThread, LoopTimeout
from .failures import FailureLog, LoadFailure
from .gevent_runtime import GeventRuntime
from .options import LoadOptions
from .session import ChatSession, TimedRequest, agents_for

T = TypeVar("T")

log = logging.getLogger(__name__)

BACKSTOP = 5.0
"""Seconds a user waits for the loop beyond a coroutine's own timeouts."""


class LoadProcess:
    """The client loop and agent source of this process, shared by all its users."""

    _current: ClassVar[LoadProcess | None] = None

    def __init__(self, options: LoadOptions) -> None:
        self.pid = os.getpid()
        self.options = options
        self.failures = FailureLog()
        self.agents = agents_for(options)
        self._loop = LoopThread(f"load-clients-{self.pid}", GeventRuntime()).start()
        self._closing: set[asyncio.Task[None]] = set()  # touched on the loop only

    @classmethod
    def of_this_process(cls, options: LoadOptions) -> LoadProcess:
        """This process's LoadProcess, made on first use (a forked child makes its own)."""
        current = cls._current
        if current is None or current.pid != os.getpid():
            current = cls._current = cls(options)
        return current

    @classmethod
    def shut_down_this_process(cls, timeout: float = 5.0) -> None:
        """Shut this process's LoadProcess down, if it has one (Locust's ``quitting``)."""
        current, cls._current = cls._current, None
        if current is not None and current.pid == os.getpid():
            current.shutdown(timeout)

    # -- for users ---------------------------------------------------------------

    def new_session(self) -> ChatSession:
        return ChatSession(self.options, self.agents)

    def run(self, coro: Coroutine[Any, Any, T], timeout: float) -> T:
        """Run ``coro`` on the client loop; the calling greenlet waits, bounded."""
        return self._loop.run(coro, timeout + BACKSTOP)

    def attempt(self, request: Coroutine[Any, Any, TimedRequest], timeout: float) -> TimedRequest:
        """Run one request; a loop too busy to finish it in time is its failure too."""
        started = time.monotonic()
        try:
            return self.run(request, timeout)
        except LoopTimeout as late:
            failure = LoadFailure("client loop overloaded", f"{late} (load process {self.pid})")
            return TimedRequest(time.monotonic() - started, failure=failure)

    def close_soon(self, session: ChatSession) -> None:
        """Start closing ``session`` and return at once; shutdown() waits for it."""
        self._loop.call_soon(self._start_closing, session)

    def _start_closing(self, session: ChatSession) -> None:
        task = asyncio.get_running_loop().create_task(session.close())
        self._closing.add(task)
        task.add_done_callback(self._closing.discard)

    # -- the end -----------------------------------------------------------------

    def shutdown(self, timeout: float = 5.0) -> None:
        """Let pending closes finish (at most ``timeout`` s), then stop the loop."""
        try:
            self._loop.run(self._finish(timeout), timeout + BACKSTOP)
        except Exception:
            log.warning("load clients did not close cleanly", exc_info=True)
        finally:
            self._loop.stop(timeout)

    async def _finish(self, timeout: float) -> None:
        if self._closing:
            _, late = await asyncio.wait(set(self._closing), timeout=timeout)
            if late:
                log.warning("%d load connections did not close within %.1f s", len(late), timeout)
        await self.agents.close()
