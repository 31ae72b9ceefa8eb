"""One asyncio event loop in a background thread, alive for the whole run.

Clients must stay connected *between* behave steps: heartbeats are answered and
replies land in inboxes while the next step is being parsed. A per-step
``asyncio.run`` (or behave's async steps) would freeze the loop between steps, so
the suite runs its loop in a thread and steps hand coroutines to it.

How the thread, its loop and the hand-back of results are made is a
:class:`ThreadRuntime`. The default is the standard library's. Under gevent's
monkey-patching (Locust) those primitives are greenlet-based and would stall a
real thread's loop, so the load generator passes a runtime built from the
unpatched originals (``maimbot_acceptance.tools.load.gevent_runtime``).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import threading
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any, Generic, Protocol, Self, TypeVar

T = TypeVar("T")

log = logging.getLogger(__name__)


class LoopTimeout(RuntimeError):
    """A coroutine handed to the loop did not finish in time: the harness's own trouble
    (every wait bounds itself first), so an error, never a failed expectation."""


@dataclass(frozen=True)
class TaskResult(Generic[T]):
    """How a coroutine handed to the loop ended: its value, or what it raised.

    A plain value, so that it can cross from the loop's thread to the waiting one
    by any means (a concurrent future, a gevent hub callback).
    """

    value: T | None = None
    error: BaseException | None = None

    @classmethod
    def of(cls, task: asyncio.Task[T]) -> TaskResult[T]:
        if task.cancelled():
            return cls(error=concurrent.futures.CancelledError())
        error = task.exception()
        return cls(error=error) if error is not None else cls(value=task.result())

    def unwrap(self) -> T:
        if self.error is not None:
            raise self.error
        return self.value  # type: ignore[return-value]  # None only when T admits it


class Handoff(Protocol[T]):
    """Carries one TaskResult from the loop's thread to the thread that waits for it."""

    def deliver(self, outcome: TaskResult[T]) -> None:
        """Called on the loop's thread, once."""

    def wait(self, timeout: float) -> TaskResult[T] | None:
        """Called by the waiting side; None when ``timeout`` s passed first."""


class ThreadHandle(Protocol):
    def is_alive(self) -> bool: ...

    def join(self, timeout: float | None = None) -> None: ...


class ThreadRuntime(Protocol):
    """How a LoopThread makes its loop and thread, and hands results back."""

    def new_event_loop(self) -> asyncio.AbstractEventLoop: ...

    def start_thread(self, target: Callable[[], None], name: str) -> ThreadHandle: ...

    def handoff(self) -> Handoff[Any]: ...


class _FutureHandoff(Generic[T]):
    def __init__(self) -> None:
        self._future: concurrent.futures.Future[TaskResult[T]] = concurrent.futures.Future()

    def deliver(self, outcome: TaskResult[T]) -> None:
        self._future.set_result(outcome)

    def wait(self, timeout: float) -> TaskResult[T] | None:
        try:
            return self._future.result(timeout)
        except concurrent.futures.TimeoutError:
            return None


class StandardRuntime:
    """The standard library's threads, loop and futures (behave, pytest, scripts)."""

    def new_event_loop(self) -> asyncio.AbstractEventLoop:
        return asyncio.new_event_loop()

    def start_thread(self, target: Callable[[], None], name: str) -> ThreadHandle:
        thread = threading.Thread(target=target, name=name, daemon=True)
        thread.start()
        return thread

    def handoff(self) -> Handoff[Any]:
        return _FutureHandoff()


class LoopThread:
    """An event loop running in a daemon thread until :meth:`stop`."""

    def __init__(self, name: str, runtime: ThreadRuntime | None = None) -> None:
        self.name = name
        self._runtime = runtime or StandardRuntime()
        self._loop = self._runtime.new_event_loop()
        self._loop.set_exception_handler(log_loop_exception)
        self._thread: ThreadHandle | None = None

    @property
    def loop(self) -> asyncio.AbstractEventLoop:
        return self._loop

    @property
    def is_alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> LoopThread:
        if self._thread is not None:
            raise RuntimeError(f"loop thread {self.name} was already started")
        self._thread = self._runtime.start_thread(self._run, self.name)
        return self

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._loop.run_forever()

    def run(self, coro: Coroutine[Any, Any, T], timeout: float) -> T:
        """Run ``coro`` on the loop and wait for its result, at most ``timeout`` s.

        The coroutine's own waits carry their own timeouts and explain themselves;
        this bound is the backstop that keeps a step from hanging forever. If the
        wait ends early (timeout, Ctrl-C, a killed greenlet) the coroutine is cancelled.
        """
        handoff: Handoff[T] = self._runtime.handoff()
        started: list[asyncio.Task[T]] = []

        def start() -> None:
            task = self._loop.create_task(coro)
            started.append(task)
            task.add_done_callback(lambda done: handoff.deliver(TaskResult.of(done)))

        try:
            self._loop.call_soon_threadsafe(start)
        except RuntimeError:  # the loop is closed: nothing will ever run the coroutine
            coro.close()
            raise
        try:
            outcome = handoff.wait(timeout)
        except BaseException:
            self._cancel_soon(started)
            raise
        if outcome is None:
            self._cancel_soon(started)
            raise LoopTimeout(
                f"{getattr(coro, '__qualname__', coro)} did not finish within {timeout:.1f} s"
            )
        return outcome.unwrap()

    def _cancel_soon(self, started: list[asyncio.Task[T]]) -> None:
        # Runs after start() (the loop keeps call order), so the task is there.
        if not self._loop.is_closed():
            self._loop.call_soon_threadsafe(lambda: [task.cancel() for task in started])

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
        if not self.is_alive:
            if not self._loop.is_closed():
                self._loop.close()
            return
        assert self._thread is not None
        try:
            self.run(_cancel_all_tasks(), timeout)
            self.run(self._loop.shutdown_asyncgens(), timeout)
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout)
            if not self._thread.is_alive():
                self._loop.close()


class Service(Protocol):
    async def start(self) -> None: ...

    async def stop(self) -> None: ...


class OnItsOwnLoop:
    """A service the suite starts in-process (the reference server, the LLM tap), run
    on an event-loop thread of its own: it and the clients never stall each other, and
    the clients' leak checks stay blind to its tasks. A start that fails stops the
    thread again."""

    def __init__(self, service: Service, thread_name: str) -> None:
        self._service = service
        self._thread = LoopThread(thread_name)

    def start(self, timeout: float = 10.0) -> Self:
        self._thread.start()
        try:
            self._thread.run(self._service.start(), timeout)
        except BaseException:
            self._thread.stop()
            raise
        return self

    def run(self, coro: Coroutine[Any, Any, T], timeout: float) -> T:
        """Run ``coro`` on the service's own loop (where everything of it lives)."""
        return self._thread.run(coro, timeout)

    def stop(self, timeout: float = 10.0) -> None:
        try:
            self._thread.run(self._service.stop(), timeout)
        finally:
            self._thread.stop()


async def _cancel_all_tasks() -> None:
    current = asyncio.current_task()
    tasks = [task for task in asyncio.all_tasks() if task is not current]
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


def log_loop_exception(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
    """Send what asyncio would print to stderr to the log instead.

    maim_message 0.7.5 reports every cancelled connection task through a done
    callback that calls ``fut.exception()`` on a cancelled future; asyncio then
    prints a CancelledError traceback for each disconnect. That is library noise,
    kept at DEBUG; anything else is a warning in the captured log.
    """
    exception = context.get("exception")
    level = logging.DEBUG if isinstance(exception, asyncio.CancelledError) else logging.WARNING
    log.log(level, "event loop: %s", context.get("message"), exc_info=exception)
