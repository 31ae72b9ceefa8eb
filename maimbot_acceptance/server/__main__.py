"""Run the reference server on its own: ``python -m maimbot_acceptance.server``.

Prints one line per endpoint once both listen, then serves until Ctrl-C, SIGTERM,
or ``--lifetime`` seconds (a bound for scripted runs, so nothing outlives a test).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import signal
import sys

from ..errors import CastError
from ..wire.cast import load_cast
from ..wire.logs import tame_library_logging
from .faults import FAULTS
from .memory import KEEP
from .reference import ReferenceServer, ServerOptions
from .registry import SERVER_DIALECTS
from .reply_backend import DEFAULT_MAX_MESSAGE_SIZE, ServerStartError


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m maimbot_acceptance.server", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--host", default="127.0.0.1", help="bind address (default: loopback)")
    parser.add_argument("--port", type=int, default=8095, help="reply backend port (0: any)")
    parser.add_argument("--config-port", type=int, default=8000, help="config API port (0: any)")
    parser.add_argument("--no-config-api", action="store_true", help="serve the reply backend only")
    parser.add_argument(
        "--cast",
        default="",
        metavar="FILE",
        help="start with the tenants and agents of this cast file (see cast.example.toml)",
    )
    parser.add_argument(
        "--quote-every", type=int, default=3, help="every n-th reply is a quote seglist (0: never)"
    )
    parser.add_argument("--heartbeat", type=float, default=None, help="ping interval, seconds")
    parser.add_argument(
        "--max-message-size",
        type=int,
        default=DEFAULT_MAX_MESSAGE_SIZE,
        metavar="BYTES",
        help=f"largest package accepted on the wire (default {DEFAULT_MAX_MESSAGE_SIZE})",
    )
    parser.add_argument(
        "--fault",
        default="",
        choices=["", *sorted(FAULTS)],
        metavar="NAME",
        help=f"misbehave in one named way: {', '.join(sorted(FAULTS))}",
    )
    parser.add_argument(
        "--model-url",
        default="",
        metavar="URL",
        help="send each reply's prompt to this OpenAI-compatible model, e.g. an LLM tap's "
        "http://127.0.0.1:PORT/v1 (default: none)",
    )
    parser.add_argument(
        "--memory",
        type=int,
        default=KEEP,
        metavar="N",
        help=f"entries the agents keep of each chat, person and knowledge base (default {KEEP}; "
        "0: they remember nothing, and the canary scenarios say 'not checked')",
    )
    parser.add_argument(
        "--shared-memory-groups",
        default="",
        metavar="IDS",
        help="group ids, comma-separated, whose chats share one memory on purpose (as "
        "MaiBot's shared_memory_groups; the suite's -D shared_memory_groups names the same)",
    )
    parser.add_argument(
        "--dialect",
        default="reference",
        choices=SERVER_DIALECTS,
        help="reference: api_server-like (tenant:agent keys, the v1 config API); saas: "
        "MaimConfig's v2 API on the config port, minted mmc_ keys, one global bot account",
    )
    parser.add_argument(
        "--no-verdicts",
        action="store_true",
        help="refuse as the real servers do: no verdict message after the handshake, a "
        "refused Socket.IO client dropped, a refused plain-WebSocket client closed with "
        "upstream MaiBot's words (code 1000, 'Authentication failed: 认证失败')",
    )
    parser.add_argument("--lifetime", type=float, default=None, help="stop after this many s")
    parser.add_argument(
        "--stop-on-eof",
        action="store_true",
        help="also stop when standard input closes (so it never outlives the process that "
        "started it with a pipe there, however that process ends)",
    )
    parser.add_argument("--log-level", default="WARNING", help="log level (default WARNING)")
    return parser.parse_args(argv)


async def serve(args: argparse.Namespace) -> int:
    try:
        cast = load_cast(args.cast) if args.cast else None
    except CastError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    server = ReferenceServer(
        ServerOptions(
            host=args.host,
            port=args.port,
            config_port=args.config_port,
            dialect=args.dialect,
            config_api=not args.no_config_api,
            quote_every=args.quote_every,
            heartbeat=args.heartbeat,
            fault=args.fault,
            cast=cast,
            max_message_size=args.max_message_size,
            model_url=args.model_url,
            memory=args.memory,
            shared_memory_groups=tuple(g for g in args.shared_memory_groups.split(",") if g),
            verdicts=not args.no_verdicts,
        )
    )
    try:
        await server.start()
    except ServerStartError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.fault:
        print(f"fault: {args.fault} ({FAULTS[args.fault].summary})", flush=True)
    if cast is not None:
        print(f"seeded: {cast.describe()}", flush=True)
    if args.dialect != "reference":
        print(f"dialect: {args.dialect} (config API: MaimConfig's v2 routes)", flush=True)
    print("wires: Socket.IO at /ws/ (maim_message 0.7), plain WebSocket at /ws (0.6)", flush=True)
    print(f"reply backend: {server.server_url}", flush=True)
    if server.config_url:
        print(f"config API: {server.config_url}", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    if args.stop_on_eof:
        stdin = sys.stdin.fileno()
        loop.add_reader(stdin, _stop_at_eof, loop, stdin, stop)
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), args.lifetime)
    await server.stop()
    print("stopped", flush=True)
    return 0


def _stop_at_eof(loop: asyncio.AbstractEventLoop, fd: int, stop: asyncio.Event) -> None:
    if not os.read(fd, 4096):
        loop.remove_reader(fd)
        stop.set()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(
        level=args.log_level.upper(), format="%(asctime)s %(name)s %(levelname)s %(message)s"
    )
    tame_library_logging(args.log_level)
    return asyncio.run(serve(args))


if __name__ == "__main__":
    sys.exit(main())
