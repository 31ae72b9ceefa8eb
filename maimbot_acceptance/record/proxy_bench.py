"""``python -m maimbot_acceptance.record bench``: what recording costs, in one run.

* the round trip, request -> reply, of a bare maim_message client straight to the
  reference server, through the proxy relaying only (``--relay-only``: the cost of any
  proxy process, the floor), and through the recording proxy; interleaved in blocks in
  the same run, every one in a process of its own, as deployed; goal: p50 through the
  recording proxy at most 1.1x direct;
* converting a journal of 10,000 chat messages (5,000 questions, 5,000 replies, over
  50 connections of 10 tenants) to a feature and a cast; goal: under 5 s.

A script that prints figures, not a test: nothing here passes or fails.
"""

from __future__ import annotations

import asyncio
import json
import logging
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ..judging.stats import Latencies
from ..server.process import server_process
from ..server.registry import AgentRecord
from ..server.replies import reply_to
from ..wire.dialects import ids_named_by, tenant_agent_key
from ..wire.messages import Chat, ChatUser, build_message, text_segment
from ..wire.round_trip import BareAsker, round_trips
from .feature import Options, render
from .recording import read_recording

TENANT = "tenant_bench000000000001"
AGENTS = {"direct": "agent_bench0000000001", "relay": "agent_bench0000000002",
          "proxy": "agent_bench0000000003"}  # fmt: skip
"""One agent per way, so that no reply reaches another way's connection."""
CAST = f"""platform = "bench"
[tenants.Bench]
id = "{TENANT}"
[tenants.Bench.agents]
Direct = "{AGENTS["direct"]}"
Relay = "{AGENTS["relay"]}"
Proxy = "{AGENTS["proxy"]}"
"""


def synthetic_journal(path: Path, messages: int, tenants: int = 10, per_tenant: int = 5) -> None:
    """A journal of ``messages`` chat messages: half questions, half their replies, over
    ``tenants`` x ``per_tenant`` connections open throughout, a few ms apart; built as
    the suite's users and the reference server's agents build them."""
    lines = [{"t": 0.0, "event": "run", "version": 1, "server": "ws://bench/ws"}]
    links: list[tuple[int, str]] = []
    for t in range(tenants):
        for a in range(per_tenant):
            number = len(links) + 1
            key = tenant_agent_key(f"tenant_{t:016x}", f"agent_{t:08x}{a:08x}")
            links.append((number, key))
            lines.append(
                {"t": 1.0, "event": "open", "conn": number, "api_key": key, "platform": "test"}
            )
    at = 2.0
    for n in range(messages // 2):
        number, key = links[n % len(links)]
        tenant_id, agent_id = ids_named_by(key)
        user = ChatUser(f"user_{number}", "Bench")
        question = build_message(
            segment=text_segment(f"question {n}"),
            api_key=key,
            platform="test",
            sender=user,
            chat=Chat.group(f"group_{user.user_id}", "Bench room"),
            message_id=f"q{n}",
        )
        agent = AgentRecord(agent_id, tenant_id, "Helper", "", "echo")
        reply = reply_to(question, agent, key, "test", f"answer {n}", quoting=False)
        for sender, payload, when in (("client", question, at), ("server", reply, at + 0.004)):
            package = {"type": "sys_std", "payload": payload.to_dict()}
            lines.append(
                {"t": when, "event": "chat", "conn": number, "from": sender, "package": package}
            )
        at += 0.01
    for number, _ in links:
        lines.append({"t": at + 1, "event": "close", "conn": number, "by": "client", "code": 1000})
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")


def conversion(messages: int) -> tuple[float, str]:
    with tempfile.TemporaryDirectory() as scratch:
        journal = Path(scratch) / "big.jsonl"
        synthetic_journal(journal, messages)
        started = time.perf_counter()
        feature, _, summary = render(read_recording(journal), Options(), "big")
        took = time.perf_counter() - started
    return took, f"{summary}, {len(feature.splitlines())} lines"


async def time_each_way(urls: dict[str, str], samples: int) -> dict[str, Latencies]:
    askers = {name: BareAsker(url, f"{TENANT}:{AGENTS[name]}") for name, url in urls.items()}
    try:
        for asker in askers.values():
            await asker.connect()
        seconds = await round_trips(askers, samples)
    finally:
        for asker in askers.values():
            await asker.close()
    return {name: Latencies(tuple(each)) for name, each in seconds.items()}


def _proxy(server_url: str, out: str, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "maimbot_acceptance.record", "proxy", "--listen", "127.0.0.1:0",
         "--server", server_url, "--out", out, "--lifetime", "300", *extra],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip


def main(samples: int, messages: int) -> int:
    logging.basicConfig(level=logging.CRITICAL)
    for name in ("maim_message", "socketio", "engineio", "asyncio"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    print(f"Recording benchmark, {time.strftime('%Y-%m-%d %H:%M')}")
    with tempfile.TemporaryDirectory() as scratch:
        cast = Path(scratch) / "bench.cast.toml"
        cast.write_text(CAST, encoding="utf-8")
        with server_process("--no-config-api", "--cast", str(cast), "--log-level", "ERROR",
                            lifetime=300) as server:  # fmt: skip
            relay, proxy = (
                _proxy(server.server_url, scratch, "--relay-only"),
                _proxy(server.server_url, scratch),
            )
            try:
                urls = {"direct": server.server_url}
                for name, process in (("relay", relay), ("proxy", proxy)):
                    assert process.stdout is not None
                    urls[name] = process.stdout.readline().split()[1]
                latencies = asyncio.run(time_each_way(urls, samples))
            finally:
                for process in (relay, proxy):
                    process.terminate()
                    process.wait(10)
    p50 = {name: each.p50 for name, each in latencies.items()}
    p95 = {name: each.p95 for name, each in latencies.items()}
    count = len(latencies["direct"].seconds)
    labels = {"direct": "direct", "relay": "via a bare relay", "proxy": "via the proxy"}
    for name, label in labels.items():
        figures = f"p50 {p50[name] * 1000:.2f} ms  p95 {p95[name] * 1000:.2f} ms"
        print(f"  round trip {label:<17} {figures}  ({count} exchanges)")
    for name, goal in (("relay", ""), ("proxy", "   (goal: p50 <= 1.1x)")):
        ratio = f"p50 {p50[name] / p50['direct']:.2f}x  p95 {p95[name] / p95['direct']:.2f}x"
        print(f"  {labels[name]} / direct{'':<{17 - len(labels[name])}} {ratio}{goal}")
    took, summary = conversion(messages)
    half = messages // 2
    print(
        f"  to-feature, {messages} chat messages ({half} questions, {half} replies): {took:.2f} s"
    )
    print(f"    ({summary})   (goal: < 5 s)")
    return 0
