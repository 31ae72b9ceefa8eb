"""A plain asyncio driver of the same chat load: the yardstick for the Locust run.

    python -m maimbot_acceptance.tools.load.asyncio_driver \\
        --server-url ws://host:8095/ws --config-url http://host:8000 -u 200 -r 100 -t 30

The same users as the locustfile's (a tenant and an agent each, or a cast's agents
with --cast; one connection each, question after question) with the same
ChatSession, so the same client, the same judgement and the same knobs, but in one
process on one event loop and
without Locust. Whatever the Locust run costs beyond this is Locust's (greenlets,
hand-offs between threads, statistics, master and workers).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from dataclasses import asdict, dataclass

from ...errors import SettingsError
from ...judging.stats import percentile
from ...wire.logs import tame_library_logging
from ...wire.loop import log_loop_exception
from .failures import FailureLog
from .options import LoadOptions, add_arguments
from .session import ChatSession, TimedRequest, agents_for


@dataclass(frozen=True)
class Figures:
    """What a load run measured, for exchanges (question -> reply) only."""

    requests: int
    failures: dict[str, int]
    """By kind, exchanges' and set-ups' alike: a user that never got going (its
    provisioning or connecting failed) is a failure too, as Locust counts it."""
    seconds: float
    """From the first user's start to the last exchange's end (Locust counts the same way)."""
    p50_ms: float
    p95_ms: float
    users_stranded: int = 0
    """Users that never got going: provisioning or connecting failed."""

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds > 0 else 0.0

    def to_json(self) -> str:
        return json.dumps({**asdict(self), "per_second": self.per_second})


async def drive(options: LoadOptions, users: int, spawn_rate: float, run_time: float) -> Figures:
    """``users`` users, started ``spawn_rate`` a second, conversing until ``run_time`` s."""
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(log_loop_exception)  # maim_message's cancellation noise
    agents = agents_for(options)
    failure_log = FailureLog()
    exchanges: list[TimedRequest] = []
    started = loop.time()
    deadline = started + run_time
    last_end = started
    stranded = 0

    def note(attempt: TimedRequest) -> bool:
        if attempt.failure is not None:
            failure_log.note(attempt.failure)
        return attempt.failure is None

    async def user(index: int) -> None:
        nonlocal last_end, stranded
        # The spawn ramp, as Locust's --spawn-rate paces its users.
        await asyncio.sleep(index / spawn_rate)
        session = ChatSession(options, agents)
        try:
            if not note(await session.provision()) or not note(await session.connect()):
                stranded += 1
                return
            while loop.time() < deadline:
                attempt = await session.exchange()
                exchanges.append(attempt)
                note(attempt)
                last_end = loop.time()
                if options.think_time:
                    await asyncio.sleep(options.think_time)  # the user's pacing (wait_time)
        finally:
            await session.close()

    try:
        await asyncio.gather(*(user(index) for index in range(users)))
    finally:
        await agents.close()
    times = [a.milliseconds for a in exchanges]
    return Figures(
        requests=len(exchanges),
        failures=dict(failure_log.counts),  # (every failure noted, set-ups' included)
        seconds=last_end - started,
        p50_ms=percentile(times, 0.50),
        p95_ms=percentile(times, 0.95),
        users_stranded=stranded,
    )


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m maimbot_acceptance.tools.load.asyncio_driver",
        description="The chat load on one asyncio loop, without Locust (a yardstick).",
    )
    parser.add_argument("-u", "--users", type=int, default=10)
    parser.add_argument("-r", "--spawn-rate", type=float, default=10.0)
    parser.add_argument("-t", "--run-time", type=float, default=10.0, help="seconds")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    add_arguments(parser)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        options = LoadOptions.from_namespace(args)
    except SettingsError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    tame_library_logging("ERROR")
    figures = asyncio.run(drive(options, args.users, args.spawn_rate, args.run_time))
    if args.json:
        print(figures.to_json())
    else:
        print(
            f"{figures.requests} exchanges in {figures.seconds:.1f} s: "
            f"{figures.per_second:.0f}/s, p50 {figures.p50_ms:.0f} ms, "
            f"p95 {figures.p95_ms:.0f} ms, failures {figures.failures or 0}"
        )
    if figures.users_stranded:
        print(
            f"{figures.users_stranded} of {args.users} users never got going (provisioning "
            "or connecting failed): the figures above are of the others",
            file=sys.stderr,
        )
    return 1 if figures.failures else 0


if __name__ == "__main__":
    sys.exit(main())
