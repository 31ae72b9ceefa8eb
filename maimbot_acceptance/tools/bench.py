"""``python -m maimbot_acceptance.tools.bench``: what the harness costs, what one machine carries.

One run, one machine, figures printed as a table (docs/load-and-bench.md):

* the round trip, request -> reply, through the harness (TenantMessageClient, its
  inbox and the reply matcher the scenarios use) and through a bare maim_message
  ``WebSocketClient``, against the same server, interleaved in the same run;
* N clients connecting at once (N = 10, 100, 500), then each of the largest N
  having 10 exchanges, each waiting for its reply, counting what was lost;
* the peak memory of the run with the largest N (this process, and the server's);
* the default ``behave`` run: its wall time and scenario count.

The server is the reference server in a process of its own (as a deployment runs),
with maim_message's default heartbeat. A script that prints figures, not a test:
nothing here passes or fails; the goals are printed beside the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import platform
import re
import resource
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

from ..judging.matchers import a_reply
from ..judging.stats import Latencies
from ..server.process import server_process
from ..targets.clients import ClientMaker
from ..targets.provisioning import Agent, ConfigApiProvisioner, Tenant
from ..wire.dialects import DIALECTS
from ..wire.logs import tame_library_logging
from ..wire.loop import LoopThread
from ..wire.round_trip import ASKER, REPLY_TIMEOUT, ROOM, BareAsker, round_trips

PROJECT = Path(__file__).resolve().parents[2]
CONNECT_TIMEOUT = 30.0


@dataclass
class Table:
    rows: list[tuple[str, str, str]] = field(default_factory=list)

    def add(self, measure: str, value: str, goal: str = "") -> None:
        self.rows.append((measure, value, goal))
        print(f"  {measure:<42} {value:<50} {goal}".rstrip(), flush=True)


# -- one exchange, through the harness ------------------------------------------------------


class HarnessAsker:
    """Asks through the suite's own client, waiting with the scenarios' reply matcher."""

    def __init__(self, server_url: str, agent: Agent, platform_name: str = "bench") -> None:
        self.agent = agent
        maker = ClientMaker(server_url, "socketio")
        self.client = maker.for_agent(agent, platform_name, f"harness {agent.name}")
        self.expected = a_reply(
            api_key=agent.api_key,
            agent_id=agent.agent_id,
            agent_name=agent.name,
            chat=ROOM,
            platform=platform_name,
            dialect=DIALECTS["reference"],  # the bench measures the reference server
        )

    async def connect(self) -> None:
        await self.client.connect(CONNECT_TIMEOUT)

    async def ask(self, text: str) -> float:
        started = time.perf_counter()
        sent = await self.client.send_text(text, sender=ASKER, chat=ROOM)
        await self.client.inbox.wait_for(self.expected, REPLY_TIMEOUT, since=sent.inbox_mark)
        return time.perf_counter() - started

    async def close(self) -> None:
        await self.client.disconnect()


# -- many at once ----------------------------------------------------------------------------


async def connect_at_once(
    server_url: str, agents: Sequence[Agent]
) -> tuple[float, list[HarnessAsker], list[str]]:
    askers = [HarnessAsker(server_url, agent) for agent in agents]
    started = time.perf_counter()
    outcomes = await asyncio.gather(*(a.connect() for a in askers), return_exceptions=True)
    took = time.perf_counter() - started
    connected = [a for a, o in zip(askers, outcomes, strict=True) if o is None]
    failures = [str(o) for o in outcomes if o is not None]
    return took, connected, failures


async def converse(askers: Sequence[HarnessAsker], exchanges: int) -> tuple[float, Latencies, int]:
    """Every asker has ``exchanges`` exchanges, all askers at once; returns the time,
    the latencies, and how many questions got no reply (lost)."""

    async def one(asker: HarnessAsker) -> tuple[list[float], int]:
        latencies, lost = [], 0
        for turn in range(exchanges):
            try:
                latencies.append(await asker.ask(f"{asker.agent.name}, question {turn}"))
            except AssertionError:
                lost += 1
        return latencies, lost

    started = time.perf_counter()
    results = await asyncio.gather(*(one(a) for a in askers))
    took = time.perf_counter() - started
    latencies = tuple(x for per_asker, _ in results for x in per_asker)
    return took, Latencies(latencies), sum(lost for _, lost in results)


async def close_all(askers: Sequence[HarnessAsker]) -> None:
    await asyncio.gather(*(a.close() for a in askers), return_exceptions=True)


# -- the run ---------------------------------------------------------------------------------


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def peak_rss_mib() -> float:
    """This process's peak resident memory (``ru_maxrss`` is in KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def machine() -> str:
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{os.cpu_count()} CPUs, {memory:.1f} GiB RAM, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}, "
        f"maim_message {version('maim_message')}"
    )


def behave_run(table: Table) -> None:
    if not (PROJECT / "features").is_dir():
        table.add("default behave run", "skipped: no features/ beside the package")
        return
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "behave", "--no-color", "-f", "progress"],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    took = time.perf_counter() - started
    summary = re.search(
        r"^(\d+) scenarios? passed, (\d+) failed, (\d+) skipped", result.stdout, re.M
    )
    if summary is None:
        table.add("default behave run", f"{took:.1f} s, no summary (exit {result.returncode})")
        return
    passed, failed, skipped = (int(n) for n in summary.groups())
    table.add(
        "default behave run",
        f"{took:.1f} s wall, {passed + failed} scenarios run "
        f"({passed} passed, {failed} failed, {skipped} skipped)",
        "well under 20 s",
    )


async def provision(config_url: str, count: int) -> list[Agent]:
    """One tenant with ``count`` agents, through the config API, as scenarios do."""
    provisioner = ConfigApiProvisioner(config_url)
    try:
        tenant: Tenant = await provisioner.create_tenant("Bench")
        return list(
            await asyncio.gather(
                *(
                    provisioner.create_agent(tenant, f"Agent{n}", "echo")
                    for n in range(1, count + 1)
                )
            )
        )
    finally:
        await provisioner.close()


async def measure_harness(
    server_url: str, config_url: str, args: argparse.Namespace, table: Table
) -> None:
    largest = max(args.sizes)
    agents = await provision(config_url, largest + 2)
    harness, bare = HarnessAsker(server_url, agents[-1]), BareAsker(server_url, agents[-2].api_key)
    await harness.connect()
    await bare.connect()
    try:
        seconds = await round_trips({"harness": harness, "bare": bare}, args.samples)
    finally:
        await harness.close()
        await bare.close()
    through_harness, through_bare = (
        Latencies(tuple(seconds["harness"])),
        Latencies(tuple(seconds["bare"])),
    )
    count = len(through_harness.seconds)
    table.add(
        "round trip, harness (p50 / p95)",
        f"{ms(through_harness.p50)} / {ms(through_harness.p95)} ({count} exchanges)",
    )
    table.add(
        "round trip, bare maim_message (p50 / p95)",
        f"{ms(through_bare.p50)} / {ms(through_bare.p95)} ({count} exchanges)",
    )
    table.add(
        "harness / bare (p50 / p95)",
        f"{through_harness.p50 / through_bare.p50:.2f} / "
        f"{through_harness.p95 / through_bare.p95:.2f}",
        "<= 1.2",
    )
    for size in sorted(args.sizes):
        took, askers, failures = await connect_at_once(server_url, agents[:size])
        try:
            failed = f", first failure: {failures[0]}" if failures else ""
            table.add(
                f"connect {size} at once",
                f"{took:.2f} s, {len(askers)} connected, {len(failures)} failed{failed}",
            )
            if size == largest:
                talk, latencies, lost = await converse(askers, args.exchanges)
                table.add(
                    f"{size} x {args.exchanges} exchanges at once",
                    f"{talk:.2f} s, {lost} lost, p50 {ms(latencies.p50)}, "
                    f"p95 {ms(latencies.p95)}, max {ms(latencies.max)}",
                )
                table.add(
                    f"{size} connected and conversed",
                    f"{took + talk:.2f} s, {len(failures)} failed, {lost} lost",
                    "<= 30 s, 0 lost",
                )
        finally:
            await close_all(askers)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m maimbot_acceptance.tools.bench", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--sizes",
        type=lambda text: [int(n) for n in text.split(",")],
        default=[10, 100, 500],
        help="how many clients connect at once, comma-separated (default 10,100,500)",
    )
    parser.add_argument("--exchanges", type=int, default=10, help="exchanges each (default 10)")
    parser.add_argument("--samples", type=int, default=300, help="round trips each way")
    parser.add_argument("--no-behave", action="store_true", help="skip the behave run")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    tame_library_logging("ERROR")
    started = time.perf_counter()
    table = Table()
    print(f"MaiMBot acceptance harness benchmark, {time.strftime('%Y-%m-%d %H:%M')}")
    print(f"  {machine()}\n")
    if not args.no_behave:
        behave_run(table)
    # The suite's own loop thread: it keeps maim_message's teardown noise (asyncio
    # tracebacks of cancelled tasks) out of the output, as in behave runs.
    loop = LoopThread("bench").start()
    try:
        with server_process("--log-level", "ERROR", lifetime=600) as server:
            assert server.config_url is not None
            loop.run(measure_harness(server.server_url, server.config_url, args, table), 600)
            server_peak = server.peak_rss_mib()
    finally:
        loop.stop()
    table.add(
        f"peak RSS, {max(args.sizes)} connections",
        f"bench {peak_rss_mib():.0f} MiB, server {server_peak or float('nan'):.0f} MiB",
    )
    table.add("benchmark wall time", f"{time.perf_counter() - started:.1f} s", "< 120 s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
