"""LoopThread hands coroutines to its loop and their outcomes back, whatever its runtime."""

from __future__ import annotations

import asyncio
import time

import pytest

from maimbot_acceptance.tools.load.gevent_runtime import GeventRuntime
from maimbot_acceptance.wire.loop import LoopThread, LoopTimeout, StandardRuntime

RUNTIMES = {"standard": StandardRuntime, "gevent": GeventRuntime}


@pytest.fixture(params=sorted(RUNTIMES))
def thread(request):
    """A started LoopThread on each runtime (GeventRuntime works unpatched too)."""
    loop_thread = LoopThread(f"test-{request.param}", RUNTIMES[request.param]()).start()
    yield loop_thread
    loop_thread.stop()
    assert not loop_thread.is_alive


def test_the_value_comes_back(thread):
    async def answer():
        await asyncio.sleep(0)
        return 42

    assert thread.run(answer(), 5) == 42


def test_what_the_coroutine_raises_is_raised_to_the_caller(thread):
    async def fail():
        raise ValueError("no such agent")

    with pytest.raises(ValueError, match="no such agent"):
        thread.run(fail(), 5)


def test_a_timeout_names_the_coroutine_and_cancels_it(thread):
    cancelled = asyncio.Event()

    async def hang():
        try:
            await asyncio.sleep(30)
        except asyncio.CancelledError:
            cancelled.set()
            raise

    started = time.monotonic()
    with pytest.raises(LoopTimeout, match=r"hang did not finish within 0\.2 s"):
        thread.run(hang(), 0.2)
    assert time.monotonic() - started < 2
    thread.run(asyncio.wait_for(cancelled.wait(), 2), 5)  # the coroutine was cancelled


def test_host_names_resolve_on_the_loop(thread):
    async def resolve():
        return await asyncio.get_running_loop().getaddrinfo("localhost", 80)

    assert thread.run(resolve(), 10)


def test_a_stopped_loop_refuses_work_at_once():
    thread = LoopThread("test-stopped").start()
    thread.stop()

    async def never():
        return None

    with pytest.raises(RuntimeError):
        thread.run(never(), 1)
