"""``python -m maimbot_acceptance.record``: record, convert (docs/recording.md).

proxy --listen HOST:PORT --server ws://host:8095/ws --out DIR
to-feature FILE.jsonl [--out DIR] [--exact] [--redact] [--slack X]
bench [--samples N] [--messages N]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
import time
from pathlib import Path
from typing import Any

from .proxy import RecordingProxy, serve_proxy


def _host_port(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    if not host or not port.isdigit():
        raise argparse.ArgumentTypeError(f"{text!r} is not HOST:PORT (e.g. 127.0.0.1:8096)")
    return host, int(port)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m maimbot_acceptance.record", description=__doc__.splitlines()[0]
    )
    commands = parser.add_subparsers(dest="command", required=True)
    proxy = commands.add_parser("proxy", help="relay clients to a server, recording the traffic")
    proxy.add_argument(
        "--listen",
        type=_host_port,
        default=("127.0.0.1", 8096),
        metavar="HOST:PORT",
        help="where clients connect (default 127.0.0.1:8096; port 0: any)",
    )
    proxy.add_argument(
        "--server", required=True, metavar="URL", help="the reply backend, ws://host:8095/ws"
    )
    proxy.add_argument(
        "--out",
        default="recordings",
        metavar="DIR",
        help="where the journal goes (default recordings/)",
    )
    proxy.add_argument(
        "--lifetime",
        type=float,
        default=None,
        help="stop after this many seconds (default: on Ctrl-C or SIGTERM)",
    )
    proxy.add_argument(
        "--connect-timeout",
        type=float,
        default=10.0,
        help="seconds to reach the server for a client (default 10)",
    )
    proxy.add_argument(
        "--relay-only",
        action="store_true",
        help="relay without journalling (to measure what recording costs)",
    )
    feature = commands.add_parser("to-feature", help="turn a recording into a feature and a cast")
    feature.add_argument("journal", metavar="FILE.jsonl")
    feature.add_argument(
        "--out",
        default="",
        metavar="DIR",
        help="where to write NAME.feature and NAME.cast.toml (default: beside FILE)",
    )
    feature.add_argument("--name", default="", help="file name stem (default: the journal's)")
    feature.add_argument(
        "--exact",
        action="store_true",
        help="demand the recorded reply text word for word (deterministic agents)",
    )
    feature.add_argument(
        "--redact",
        action="store_true",
        help="replace message texts and user names with placeholders",
    )
    feature.add_argument(
        "--slack",
        type=float,
        default=3.0,
        help="a reply may take its recorded latency times this (default 3)",
    )
    feature.add_argument(
        "--min-wait",
        type=float,
        default=1.0,
        help="but never less than this many seconds (default 1)",
    )
    feature.add_argument(
        "--gap",
        type=float,
        default=30.0,
        help="seconds without a chat message that end a scenario (default 30)",
    )
    bench = commands.add_parser("bench", help="proxy vs direct round trips; conversion speed")
    bench.add_argument("--samples", type=int, default=300, help="round trips each way")
    bench.add_argument("--messages", type=int, default=10_000, help="messages to convert")
    return parser.parse_args(argv)


def run_proxy(args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    host, port = args.listen
    try:
        proxy = RecordingProxy(
            args.server, args.out, host=host, port=port, connect_timeout=args.connect_timeout
        )
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)

        def ready() -> None:
            # One line a script can wait for, as the reference server prints its own.
            where = proxy.journal.path if proxy.journal else "nowhere (relaying only)"
            print(f"proxy: {proxy.url} -> {args.server}, recording to {where}", flush=True)

        await serve_proxy(proxy, args.lifetime, stop, ready)

    try:
        _run_fast(main())
    except OSError as error:
        print(f"error: cannot listen on {host}:{port}: {error.strerror or error}", file=sys.stderr)
        return 2
    return 0


def run_to_feature(args: argparse.Namespace) -> int:
    from .feature import Options, write_feature

    started = time.perf_counter()
    source = Path(args.journal)
    try:
        options = Options(
            exact=args.exact,
            redact=args.redact,
            slack=args.slack,
            min_wait=args.min_wait,
            gap=args.gap,
        )
        written = write_feature(
            source, Path(args.out) if args.out else source.parent, args.name or source.stem, options
        )
    except (OSError, ValueError) as error:
        print(f"error: {source}: {error}", file=sys.stderr)
        return 2
    took = time.perf_counter() - started
    print(f"{written.feature} ({written.summary}), {written.cast} in {took:.2f} s")
    return 0


def _run_fast(coro: Any) -> None:
    """The proxy adds a hop to every round trip; uvloop's loop costs it about half of
    what asyncio's pure-Python selector loop does (see docs/recording.md, "Cost")."""
    try:
        import uvloop
    except ImportError:
        asyncio.run(coro)
    else:
        uvloop.run(coro)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.command == "proxy":
        return run_proxy(args)
    if args.command == "to-feature":
        return run_to_feature(args)
    from .proxy_bench import main as bench_main

    with contextlib.suppress(KeyboardInterrupt):
        return bench_main(args.samples, args.messages)
    return 1


if __name__ == "__main__":
    sys.exit(main())
