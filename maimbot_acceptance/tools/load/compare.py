"""Figures: the Locust run beside a plain asyncio driver, same client, same server, same run.

    python -m maimbot_acceptance.tools.load.compare -u 200 -r 100 -t 30 --processes 2

Starts one reference server, runs the plain asyncio driver against it, then
Locust headless (master and ``--processes`` workers), each as child processes
with the same users, spawn rate and duration, and prints for each:
exchanges (question -> reply) per second, p50 and p95, failures, and the load
processes' CPU time per exchange (user + system, of every process of that
driver, from their resource usage once reaped), with the server's CPU and the
whole machine's load beside them, since the machine may be shared.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import psutil

from ...server.process import server_process
from .__main__ import LOCUSTFILE, locust_command, reference_server_args
from .asyncio_driver import Figures


@dataclass(frozen=True)
class Measured:
    name: str
    figures: Figures
    load_cpu: float
    """CPU seconds (user + system) of the load processes."""
    server_cpu: float
    machine_busy: float
    """Percent of all cores busy over the phase, whoever used them."""

    @property
    def cpu_ms_per_request(self) -> float:
        return 1000 * self.load_cpu / self.figures.requests if self.figures.requests else 0.0


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _measure(name: str, server: psutil.Process, run: Callable[[], Figures]) -> Measured:
    load_before, server_before = _children_cpu(), sum(server.cpu_times()[:2])
    psutil.cpu_percent()  # starts the machine-wide interval
    figures = run()
    return Measured(
        name,
        figures,
        load_cpu=_children_cpu() - load_before,
        server_cpu=sum(server.cpu_times()[:2]) - server_before,
        machine_busy=psutil.cpu_percent(),
    )


def _driver(args: argparse.Namespace, server_url: str, config_url: str) -> Figures:
    command = [sys.executable, "-m", "maimbot_acceptance.tools.load.asyncio_driver", "--json"]
    command += ["-u", str(args.users), "-r", str(args.spawn_rate), "-t", str(args.run_time)]
    command += ["--server-url", server_url, "--config-url", config_url]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if not done.stdout.strip():
        raise SystemExit(f"the asyncio driver failed:\n{done.stderr}")
    data = json.loads(done.stdout.strip().splitlines()[-1])
    data.pop("per_second")
    return Figures(**data)


def _locust(args: argparse.Namespace, server_url: str, config_url: str, csv_dir: Path) -> Figures:
    prefix = csv_dir / "compare"
    locust_args = ["-u", str(args.users), "-r", str(args.spawn_rate), "-t", f"{args.run_time}s"]
    locust_args += ["--processes", str(args.processes), "--csv", str(prefix), "--only-summary"]
    command = locust_command(LOCUSTFILE, server_url, config_url, locust_args)
    with open(csv_dir / "locust.log", "w") as log:
        subprocess.run(command, stdout=log, stderr=subprocess.STDOUT, check=False)
    with open(f"{prefix}_stats.csv", newline="") as stats:
        row = next(r for r in csv.DictReader(stats) if r["Type"] == "chat")
    failures: dict[str, int] = {}
    with open(f"{prefix}_failures.csv", newline="") as failed:
        for failure in csv.DictReader(failed):
            if failure["Method"] == "chat":
                failures[failure["Error"]] = int(failure["Occurrences"])
    requests = int(row["Request Count"])
    return Figures(
        requests=requests,
        failures=failures,
        seconds=requests / float(row["Requests/s"]) if float(row["Requests/s"]) else 0.0,
        p50_ms=float(row["50%"]),
        p95_ms=float(row["95%"]),
    )


def _table(results: list[Measured]) -> str:
    lines = [
        "| driver | exchanges | per s | p50 ms | p95 ms | failures | load CPU ms/exchange "
        "| server CPU s | machine busy |",
        "|---|---:|---:|---:|---:|---|---:|---:|---:|",
    ]
    for m in results:
        f = m.figures
        failures = ", ".join(f"{k}: {v}" for k, v in f.failures.items()) or "0"
        lines.append(
            f"| {m.name} | {f.requests} | {f.per_second:.0f} | {f.p50_ms:.0f} | {f.p95_ms:.0f} "
            f"| {failures} | {m.cpu_ms_per_request:.2f} | {m.server_cpu:.1f} "
            f"| {m.machine_busy:.0f}% |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m maimbot_acceptance.tools.load.compare")
    parser.add_argument("-u", "--users", type=int, default=200)
    parser.add_argument("-r", "--spawn-rate", type=float, default=100.0)
    parser.add_argument("-t", "--run-time", type=int, default=30, help="seconds")
    parser.add_argument("--processes", type=int, default=2, help="Locust worker processes")
    args = parser.parse_args(argv)
    load_before = os.getloadavg()
    started = time.strftime("%Y-%m-%d %H:%M:%S")
    with (
        tempfile.TemporaryDirectory() as scratch,
        server_process(*reference_server_args(), lifetime=None, log=sys.stderr) as server,
    ):
        process = psutil.Process(server.process.pid)
        url, config = server.server_url, server.config_url or ""
        results = [
            _measure("plain asyncio (1 process)", process, lambda: _driver(args, url, config)),
            _measure(
                f"Locust (master + {args.processes} workers)",
                process,
                lambda: _locust(args, url, config, Path(scratch)),
            ),
        ]
    plain, locust = results
    print(
        f"{args.users} users, spawn rate {args.spawn_rate:g}/s, {args.run_time} s each, "
        f"one reference server, started {started}; {os.cpu_count()} cores, "
        f"load average before {load_before[0]:.2f}, after {os.getloadavg()[0]:.2f}"
    )
    print(_table(results))
    if plain.figures.per_second and plain.figures.p95_ms:
        throughput = locust.figures.per_second / plain.figures.per_second
        p95 = locust.figures.p95_ms / plain.figures.p95_ms
        print(f"Locust / plain: throughput {throughput:.2f}x, p95 {p95:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
