"""One asyncio event loop in a background thread, alive for the whole run.

Clients must stay connected *between* behave steps: heartbeats are answered and
replies land in inboxes while the next step is being parsed. A per-step
``asyncio.run`` (or behave's async steps) would freeze the loop between steps, so
the suite runs its loop in a thread and steps hand coroutines to it.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")

log = logging.getLogger(__name__)


class LoopTimeout(AssertionError):
    """A coroutine handed to the loop did not finish in time."""


class LoopThread:
    """An event loop running in a daemon thread until :meth:`stop`."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._loop = asyncio.new_event_loop()
        self._loop.set_exception_handler(_log_loop_exception)
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    @property
    def loop(self) -> asyncio.AbstractEventLoop:
        return self._loop

    def start(self) -> LoopThread:
        self._thread.start()
        return self

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._loop.run_forever()

    def run(self, coro: Coroutine[Any, Any, T], timeout: float) -> T:
        """Run ``coro`` on the loop and wait for its result, at most ``timeout`` s.

        The coroutine's own waits carry their own timeouts and explain themselves;
        this bound is the backstop that keeps a step from hanging forever.
        """
        future = asyncio.run_coroutine_threadsafe(coro, self._loop)
        try:
            return future.result(timeout)
        except concurrent.futures.TimeoutError:
            future.cancel()
            raise LoopTimeout(
                f"{getattr(coro, '__qualname__', coro)} did not finish within {timeout:.1f} s"
            ) from None

    def call_soon(self, callback: Any, *args: Any) -> None:
        self._loop.call_soon_threadsafe(callback, *args)

    def pending_tasks(self) -> list[asyncio.Task[Any]]:
        """Tasks still alive on the loop (for leak checks)."""

        async def snapshot() -> list[asyncio.Task[Any]]:
            current = asyncio.current_task()
            return [task for task in asyncio.all_tasks() if task is not current]

        return self.run(snapshot(), timeout=5)

    def stop(self, timeout: float = 5.0) -> None:
        """Cancel what is left on the loop, then stop and close it."""
        if not self._thread.is_alive():
            if not self._loop.is_closed():
                self._loop.close()
            return
        try:
            self.run(_cancel_all_tasks(), timeout)
            self.run(self._loop.shutdown_asyncgens(), timeout)
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout)
            if not self._thread.is_alive():
                self._loop.close()


async def _cancel_all_tasks() -> None:
    current = asyncio.current_task()
    tasks = [task for task in asyncio.all_tasks() if task is not current]
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


def _log_loop_exception(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
    """Send what asyncio would print to stderr to the log instead.

    maim_message 0.7.5 reports every cancelled connection task through a done
    callback that calls ``fut.exception()`` on a cancelled future; asyncio then
    prints a CancelledError traceback for each disconnect. That is library noise,
    kept at DEBUG; anything else is a warning in the captured log.
    """
    exception = context.get("exception")
    level = logging.DEBUG if isinstance(exception, asyncio.CancelledError) else logging.WARNING
    log.log(level, "event loop: %s", context.get("message"), exc_info=exception)
