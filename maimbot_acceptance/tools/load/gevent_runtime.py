"""A LoopThread runtime for processes that gevent has monkey-patched (Locust).

Locust imports gevent and patches the standard library before a locustfile
loads. The suite's clients are asyncio code, so each load process runs them on
one asyncio loop in a real OS thread, and Locust's users (greenlets) hand
coroutines to it. Under patching, every standard primitive that would do this
is greenlet-based, so this runtime builds from the originals:

* the thread: the original ``_thread.start_new_thread`` (a patched
  ``threading.Thread`` is a greenlet of the calling thread's hub);
* the loop's selector: the original ``selectors.DefaultSelector`` (a plain
  ``asyncio.new_event_loop()`` picks gevent's, which dies at its first idle
  moment: "This operation would block forever");
* blocking work the loop hands to an executor (``getaddrinfo`` for host names,
  large compressions): a real thread per call running the original function
  (the default executor's threads would be greenlets of a hub that never runs,
  so a host name would never resolve);
* results back to greenlets: a plain value passed to the waiting greenlet's hub
  with ``hub.loop.run_callback_threadsafe`` (a concurrent future's patched
  condition, set from another thread, once in tens of thousands of hand-offs
  raised ``BlockingSwitchOutError`` and hung the user).

Without patching the originals are the standard ones, so this runtime also
works (and is unit-tested) in an ordinary process.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import selectors
import socket
from collections.abc import Callable
from typing import Any, Generic, TypeVar

import gevent
from gevent import monkey
from gevent.event import AsyncResult

from ...wire.loop import Handoff, TaskResult, ThreadHandle

T = TypeVar("T")

log = logging.getLogger(__name__)

_start_new_thread: Callable[..., int] = monkey.get_original("_thread", "start_new_thread")
_allocate_lock: Callable[[], Any] = monkey.get_original("_thread", "allocate_lock")
_DefaultSelector: type[selectors.BaseSelector] = monkey.get_original("selectors", "DefaultSelector")
_getaddrinfo: Callable[..., Any] = monkey.get_original("socket", "getaddrinfo")
_getnameinfo: Callable[..., Any] = monkey.get_original("socket", "getnameinfo")


class NativeThread:
    """A real OS thread, joinable without touching a patched lock."""

    def __init__(self, target: Callable[[], None]) -> None:
        self._finished = _allocate_lock()
        self._finished.acquire()

        def run() -> None:
            try:
                target()
            finally:
                self._finished.release()

        _start_new_thread(run, ())

    def is_alive(self) -> bool:
        return bool(self._finished.locked())

    def join(self, timeout: float | None = None) -> None:
        # Blocks the caller's whole thread (its hub too): only used at shut-down, bounded.
        if self._finished.acquire(True, -1 if timeout is None else timeout):
            self._finished.release()


def _settle(future: asyncio.Future[T], outcome: TaskResult[T]) -> None:
    if future.done():  # the awaiting side gave up (cancelled)
        return
    if outcome.error is not None:
        future.set_exception(outcome.error)
    else:
        future.set_result(outcome.value)  # type: ignore[arg-type]


class NativeThreadLoop(asyncio.SelectorEventLoop):
    """An asyncio loop on the original selector, with blocking work on real threads."""

    def __init__(self) -> None:
        super().__init__(_DefaultSelector())

    def run_in_executor(  # type: ignore[override]
        self, executor: Any, func: Callable[..., T], *args: Any
    ) -> asyncio.Future[T]:
        if executor is not None:
            return super().run_in_executor(executor, func, *args)
        self._check_closed()  # type: ignore[attr-defined]
        future: asyncio.Future[T] = self.create_future()

        def work() -> None:
            try:
                outcome: TaskResult[T] = TaskResult(value=func(*args))
            except BaseException as error:
                outcome = TaskResult(error=error)
            # RuntimeError: the loop closed meanwhile, nobody waits any more.
            with contextlib.suppress(RuntimeError):
                self.call_soon_threadsafe(_settle, future, outcome)

        _start_new_thread(work, ())
        return future

    async def getaddrinfo(  # type: ignore[override]
        self,
        host: bytes | str | None,
        port: bytes | str | int | None,
        *,
        family: int = 0,
        type: int = 0,
        proto: int = 0,
        flags: int = 0,
    ) -> list[tuple[socket.AddressFamily, socket.SocketKind, int, str, tuple[Any, ...]]]:
        # asyncio's own would call the patched (greenlet) resolver in the executor.
        return await self.run_in_executor(
            None, _getaddrinfo, host, port, family, type, proto, flags
        )

    async def getnameinfo(
        self, sockaddr: tuple[str, int] | tuple[str, int, int, int], flags: int = 0
    ) -> tuple[str, str]:
        return await self.run_in_executor(None, _getnameinfo, sockaddr, flags)


class GreenletHandoff(Generic[T]):
    """Hands a TaskResult from the loop's thread to a greenlet waiting in another thread."""

    def __init__(self) -> None:
        # The hub of the thread that waits: created here, on the waiting side.
        self._hub = gevent.get_hub()
        self._result: AsyncResult[TaskResult[T]] = AsyncResult()

    def deliver(self, outcome: TaskResult[T]) -> None:
        try:
            self._hub.loop.run_callback_threadsafe(self._result.set, outcome)
        except Exception:  # the hub is gone (its process is exiting): nobody to tell
            log.debug("result dropped: the waiting hub is gone", exc_info=True)

    def wait(self, timeout: float) -> TaskResult[T] | None:
        outcome: TaskResult[T] | None = self._result.wait(timeout)
        return outcome


class GeventRuntime:
    """LoopThread's runtime for a gevent-patched process (see the module's docstring)."""

    def new_event_loop(self) -> asyncio.AbstractEventLoop:
        return NativeThreadLoop()

    def start_thread(self, target: Callable[[], None], name: str) -> ThreadHandle:
        return NativeThread(target)

    def handoff(self) -> Handoff[Any]:
        return GreenletHandoff()
