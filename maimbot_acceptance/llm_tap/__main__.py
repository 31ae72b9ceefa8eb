"""``python -m maimbot_acceptance.llm_tap``: run the LLM tap until SIGTERM or SIGINT."""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
from pathlib import Path

from .answers import ANSWERERS
from .tap import LlmTap, TapOptions, TapStartError


def parse(argv: list[str] | None = None) -> tuple[TapOptions, bool]:
    parser = argparse.ArgumentParser(
        prog="python -m maimbot_acceptance.llm_tap",
        description="An OpenAI-compatible endpoint that records every prompt it is sent.",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0: any free port")
    parser.add_argument(
        "--answer", default="echo", choices=sorted(ANSWERERS), help="who answers without upstream"
    )
    parser.add_argument("--upstream", default="", help="forward to this provider (https://…/v1)")
    parser.add_argument("--upstream-key", default="", help="the upstream provider's api key")
    parser.add_argument("--log", type=Path, help="append every record to this JSON-lines file")
    parser.add_argument(
        "--stop-on-eof",
        action="store_true",
        help="also stop when standard input closes (never outlive the process that started it)",
    )
    args = parser.parse_args(argv)
    options = TapOptions(
        args.host, args.port, args.answer, args.upstream, args.upstream_key, args.log
    )
    return options, args.stop_on_eof


async def serve(options: TapOptions, stop_on_eof: bool = False) -> None:
    tap = LlmTap(options)
    await tap.start()
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stopping.set)
    if stop_on_eof:
        loop.add_reader(sys.stdin.fileno(), _stop_at_eof, loop, stopping)
    print(f"READY {tap.url}", flush=True)
    try:
        await stopping.wait()
    finally:
        await tap.stop()


def _stop_at_eof(loop: asyncio.AbstractEventLoop, stopping: asyncio.Event) -> None:
    if not os.read(sys.stdin.fileno(), 4096):
        loop.remove_reader(sys.stdin.fileno())
        stopping.set()


def main(argv: list[str] | None = None) -> int:
    try:
        asyncio.run(serve(*parse(argv)))
    except TapStartError as error:
        print(f"error: {error}", flush=True)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
