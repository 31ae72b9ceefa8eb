"""What the tap costs a model request: ``python -m maimbot_acceptance.llm_tap.bench``.

A deterministic fake model (a tap that answers by itself, recording nothing anyone
reads) is asked directly, then through a tap that forwards to it; the difference of
their latencies is what the tap adds. Sequential requests on one keep-alive session,
on loopback, so the figures are the tap's own work, not the network's.
"""

from __future__ import annotations

import argparse
import asyncio
import time

import aiohttp

from ..judging.stats import percentile
from .tap import LlmTap, TapOptions

PROMPT = {
    "model": "bench",
    "messages": [
        {"role": "system", "content": "You are Helper. " + "Chat history line. " * 200},
        {"role": "user", "content": "What is the code word?"},
    ],
}
"""About the size of a MaiMBot replyer prompt (a few kB)."""


async def _latencies(session: aiohttp.ClientSession, url: str, requests: int) -> list[float]:
    seconds: list[float] = []
    for _ in range(requests):
        started = time.perf_counter()
        async with session.post(f"{url}/chat/completions", json=PROMPT) as response:
            await response.read()
        seconds.append(time.perf_counter() - started)
    return seconds


def _line(name: str, seconds: list[float]) -> str:
    ms = 1000.0
    return (
        f"{name:<12} p50 {percentile(seconds, 0.5) * ms:6.3f} ms   "
        f"p95 {percentile(seconds, 0.95) * ms:6.3f} ms   ({len(seconds)} requests)"
    )


async def bench(requests: int, rounds: int) -> str:
    model = LlmTap()
    await model.start()
    tap = LlmTap(TapOptions(upstream=model.url))
    await tap.start()
    direct: list[float] = []
    tapped: list[float] = []
    try:
        async with aiohttp.ClientSession() as session:
            await _latencies(session, model.url, 20)  # warm both paths up
            await _latencies(session, tap.url, 20)
            for _ in range(rounds):  # interleaved, so drift in the machine hits both alike
                direct += await _latencies(session, model.url, requests // rounds)
                tapped += await _latencies(session, tap.url, requests // rounds)
    finally:
        await tap.stop()
        await model.stop()
    added = (percentile(tapped, 0.5) - percentile(direct, 0.5)) * 1000.0
    added95 = (percentile(tapped, 0.95) - percentile(direct, 0.95)) * 1000.0
    return "\n".join(
        [
            "LLM tap: added latency of one chat completion on loopback",
            _line("direct", direct),
            _line("via the tap", tapped),
            f"added        p50 {added:6.3f} ms   p95 {added95:6.3f} ms",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m maimbot_acceptance.llm_tap.bench")
    parser.add_argument("--requests", type=int, default=2000, help="per path, in all rounds")
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args(argv)
    print(asyncio.run(bench(args.requests, args.rounds)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
