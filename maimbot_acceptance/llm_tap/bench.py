"""What the tap costs a model request: ``python -m maimbot_acceptance.llm_tap.bench``.

A deterministic fake model (a tap that answers by itself, recording nothing anyone
reads) is asked directly, then through a tap that forwards to it; the difference of
their latencies is what the tap adds. Round trips are timed the one way every
benchmark times them (``wire.round_trip``: interleaved blocks after a warm-up), on one
keep-alive session each, on loopback, so the figures are the tap's own work.
"""

from __future__ import annotations

import argparse
import asyncio
import time

import aiohttp

from ..judging.stats import percentile
from ..wire.round_trip import round_trips
from .tap import LlmTap, TapOptions

HISTORY = "Chat history line. " * 200
"""About the size of a MaiMBot replyer prompt (a few kB)."""


class CompletionAsker:
    """Asks one chat completion at a time of the model at ``url``."""

    def __init__(self, session: aiohttp.ClientSession, url: str) -> None:
        self._session = session
        self._url = f"{url}/chat/completions"

    async def ask(self, text: str) -> float:
        body = {
            "model": "bench",
            "messages": [
                {"role": "system", "content": f"You are Helper. {HISTORY}"},
                {"role": "user", "content": text},
            ],
        }
        started = time.perf_counter()
        async with self._session.post(self._url, json=body) as response:
            await response.read()
        return time.perf_counter() - started


def _line(name: str, seconds: list[float]) -> str:
    ms = 1000.0
    return (
        f"{name:<12} p50 {percentile(seconds, 0.5) * ms:6.3f} ms   "
        f"p95 {percentile(seconds, 0.95) * ms:6.3f} ms   ({len(seconds)} requests)"
    )


async def bench(requests: int) -> str:
    model = LlmTap()
    await model.start()
    tap = LlmTap(TapOptions(upstream=model.url))
    await tap.start()
    try:
        async with aiohttp.ClientSession() as direct, aiohttp.ClientSession() as tapped:
            askers = {
                "direct": CompletionAsker(direct, model.url),
                "via the tap": CompletionAsker(tapped, tap.url),
            }
            seconds = await round_trips(askers, requests)
    finally:
        await tap.stop()
        await model.stop()
    added = {
        fraction: (
            percentile(seconds["via the tap"], fraction) - percentile(seconds["direct"], fraction)
        )
        * 1000.0
        for fraction in (0.5, 0.95)
    }
    return "\n".join(
        [
            "LLM tap: added latency of one chat completion on loopback",
            *(_line(name, each) for name, each in seconds.items()),
            f"added        p50 {added[0.5]:6.3f} ms   p95 {added[0.95]:6.3f} ms",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m maimbot_acceptance.llm_tap.bench")
    parser.add_argument("--requests", type=int, default=2000, help="per path")
    args = parser.parse_args(argv)
    print(asyncio.run(bench(args.requests)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
