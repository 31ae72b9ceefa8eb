"""The kill matrix: every reference-server fault, run against the features that must catch it.

A fault is *caught* when behave fails and every scenario expected for that fault is
among the failed ones, each failed by an assertion about messages (behave status
"failed": only the harness's expectations raise AssertionError), never by a crash or
by the harness timing out on itself (status "error": LoopTimeout, ScenarioError and
every other exception).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

REPLY_TIMEOUT = 2.0
"""The reference server answers in milliseconds; a short reply timeout keeps the
runs whose faults swallow replies from waiting out the default 5 s, time after time."""


@dataclass(frozen=True)
class Kill:
    """A fault, the features to run against it, and the scenarios that must fail."""

    fault: str
    features: tuple[str, ...]
    must_fail: tuple[str, ...]
    """Scenario names; an outline's examples match by prefix ("A key for ... -- @1.1")."""
    dialect: str = "reference"
    """The embedded server's dialect (-D reference_dialect): "reference" or "saas"."""
    wire: str = "auto"
    """The clients' wire (-D wire): "auto" (on the embedded server connections alternate
    between Socket.IO and the plain WebSocket), or one of them alone."""

    @property
    def name(self) -> str:
        """The fault, and the dialect and wire when not the default (one run each)."""
        marks = [m for m in (self.dialect, self.wire) if m not in ("reference", "auto")]
        return self.fault + "".join(f" ({mark})" for mark in marks)


GROUP_SECRET = (
    "What Alice tells Helper in her group never reaches Bob of Beta in the group of the same id"
)
PRIVATE_SECRET = (
    "What Helper learns from Alice in private is never told to Bob of Beta, who has her user id"
)
TAUGHT_SECRET = "What Acme teaches its Helper is no part of Beta's Helper's knowledge"
"""The canary scenarios (tenant_memory.feature)."""

GROUP_TO_GROUP = "What Alice tells Helper in one group is not recalled in another group"
ONE_PERSON_TWO_GROUPS = "What Alice says in one group is not recited to her in another"
PRIVATE_TO_GROUP = "What Alice tells Helper in private is not recalled in a group"
GROUP_TO_PRIVATE = "What Alice tells Helper in a group is not recalled in Bob's private chat"
SHARED_ON_PURPOSE = "Groups that share memory on purpose share it, and no other group does"
"""The chat canary scenarios (chat_memory.feature)."""

ONE_REPLY_EACH = (
    "Each message gets one reply, even a while later, and a burst no more than one each"
)
NOT_ITSELF = "The platform reports Helper's reply back, and Helper does not answer it"
NAMELESS_GROUP = "A question in a group with no name is answered to that group"
QUOTES = "A reply that quotes a message quotes the one it answers, in "
"""repeat_replies.feature, own_messages.feature, reply_addressing.feature (QUOTES is
the outline's rows' common start: "in her group", "in private", ...)."""

TAKEN_BACK = tuple(
    f"A key taken back by {how} is refused at once"
    for how in (
        "deleting it",
        "disabling it",
        "letting it expire",
        "deleting its agent",
        "deleting the tenant",
    )
)
"""The revocation scenarios (key_revocation.feature); v1 deletes agents only."""

MATRIX: tuple[Kill, ...] = (
    Kill(
        "leak-cross-tenant",
        ("tenant_isolation.feature", "concurrent_conversations.feature"),
        (
            "Two tenants with agents of the same name never see each other's conversations",
            "3 tenants with 2 agents each converse at the same time",
        ),
    ),
    Kill(
        "leak-cross-agent",
        ("tenant_isolation.feature",),
        ("One agent's reply never reaches the tenant's connection to another agent",),
    ),
    Kill(
        "wrong-platform",
        ("tenant_isolation.feature",),
        ("A reply on one platform never reaches the agent's connection on another",),
    ),
    Kill(
        "first-connection-only",
        ("tenant_isolation.feature",),
        ("Every connection of the agent on that platform gets the reply",),
    ),
    Kill(
        "drop-reply",
        ("concurrent_conversations.feature",),
        (
            "3 tenants with 2 agents each converse at the same time",
            "10 tenants with 5 agents each converse at the same time",
        ),
    ),
    Kill(
        "late-reply",
        ("chat_exchange.feature",),
        ("A user asks an agent and gets a reply",),
    ),
    Kill(
        "duplicate-reply",
        ("dropped_connections.feature", "message_bursts.feature"),
        (
            "A user whose connection dropped comes back and carries on",
            "Fifty messages sent at once get fifty replies, in order, none twice",
        ),
    ),
    Kill(
        "reorder",
        ("message_bursts.feature",),
        (
            "Fifty messages sent at once get fifty replies, in order, none twice",
            "The echo agent answers a burst word for word, in order",
        ),
    ),
    Kill(
        "drop-idle",
        ("idle_connections.feature",),
        ("A user who stays quiet for longer than the heartbeat window can still ask",),
    ),
    Kill(
        "lazy-heartbeat",
        ("unreliable_network.feature",),
        ("A broken connection is noticed within the heartbeat window (silent)",),
    ),
    Kill(
        "stale-cutoff",
        ("unreliable_network.feature",),
        ("A slow network still gets its replies in time",),
    ),
    Kill(
        "ghost-connections",
        ("dropped_connections.feature",),
        ("The server lets go of a connection that dropped without a goodbye",),
    ),
    Kill(
        "forget-on-restart",
        ("server_restart.feature",),
        (
            "Users carry on after the server restarts (graceful)",
            "Users carry on after the server restarts (hard kill)",
        ),
    ),
    Kill(
        "stop-accepting",
        ("long_running_server.feature",),
        ("Fresh users keep connecting and conversing for a few seconds",),
    ),
    Kill(
        "no-private-replies",
        ("chat_exchange.feature",),
        ("A question in a private chat is answered privately",),
    ),
    Kill("deaf", ("chat_exchange.feature",), ("A user asks an agent and gets a reply",)),
    Kill(
        "unprefixed-key-as-default",
        ("authentication.feature",),
        ("A key that names its tenant the wrong way reaches no other tenant",),
    ),
    Kill(
        "accept-any-key",
        ("authentication.feature",),
        (
            "A key for a tenant that does not exist is refused at once",
            "A key for an agent Acme does not have is refused at once",
            "A key pairing Acme with Beta's agent Sales is refused at once",
            "A key that is only the agent id of Acme's Helper is refused at once",
            "A refused client hears nothing of anyone's conversation",
        ),
    ),
    Kill("accept-revoked-key", ("key_revocation.feature",), (TAKEN_BACK[3],)),
    Kill(
        "trust-connection-id",
        ("connection_takeover.feature",),
        (
            "Another tenant's client presenting Alice's connection id is refused, "
            "and Alice keeps her replies",
        ),
    ),
    Kill(
        "trust-message-key",
        ("message_spoofing.feature",),
        (
            "Evil's message naming Acme's agent reaches nobody at Acme, "
            "and Evil's own conversation goes on",
        ),
    ),
    Kill(
        "trust-message-platform",
        ("bad_input.feature",),
        ("A message answered on the connection it came from, whatever platform it claims",),
    ),
    Kill(
        "memory-without-tenant",
        ("tenant_memory.feature",),
        (
            GROUP_SECRET,
            PRIVATE_SECRET,
            TAUGHT_SECRET,
        ),
    ),
    Kill(
        "person-by-user-id",
        ("tenant_memory.feature",),
        (
            GROUP_SECRET,
            PRIVATE_SECRET,
        ),
    ),
    Kill(
        "group-by-group-id",
        ("tenant_memory.feature",),
        (GROUP_SECRET,),
    ),
    Kill(
        "shared-knowledge-base",
        ("tenant_memory.feature",),
        (TAUGHT_SECRET,),
    ),
    Kill("person-of-first-tenant", ("tenant_memory.feature",), (PRIVATE_SECRET,)),
    Kill(
        "one-history-per-agent",
        ("chat_memory.feature",),
        (
            GROUP_TO_GROUP,
            ONE_PERSON_TWO_GROUPS,
            PRIVATE_TO_GROUP,
            GROUP_TO_PRIVATE,
            SHARED_ON_PURPOSE,
        ),
    ),
    Kill("person-across-chats", ("chat_memory.feature",), (ONE_PERSON_TWO_GROUPS,)),
    Kill("repeat-reply-later", ("repeat_replies.feature",), (ONE_REPLY_EACH,)),
    Kill("answers-itself", ("own_messages.feature",), (NOT_ITSELF,)),
    Kill(
        "nameless-group-as-private",
        ("reply_addressing.feature",),
        (NAMELESS_GROUP, QUOTES + "a group with no name"),
    ),
    Kill("quotes-previous-message", ("reply_addressing.feature",), (QUOTES,)),
)

CORRECT_SERVER = Kill("", tuple(sorted({f for kill in MATRIX for f in kill.features})), ())
"""The same features against the correct server: everything must pass."""

PLAIN_WIRE_FAULTS = (
    "leak-cross-tenant",
    "accept-any-key",
    "trust-connection-id",
    "lazy-heartbeat",
    "ghost-connections",
    "drop-idle",
)
"""Faults of who may connect, where a reply goes and how a link's life is kept, run
again with every client on the plain WebSocket (upstream MaiBot's wire): the default
runs mix the wires per connection, these prove each is caught on the plain wire alone."""

PLAIN_MATRIX: tuple[Kill, ...] = tuple(
    Kill(kill.fault, kill.features, kill.must_fail, wire="plain")
    for kill in MATRIX
    if kill.fault in PLAIN_WIRE_FAULTS
)

CORRECT_PLAIN_SERVER = Kill(
    "", tuple(sorted({f for kill in PLAIN_MATRIX for f in kill.features})), (), wire="plain"
)

SAAS_MATRIX: tuple[Kill, ...] = (
    Kill(
        "accept-any-key",
        ("authentication.feature",),
        (
            "A key for a tenant that does not exist is refused at once",
            "A key for an agent Acme does not have is refused at once",
            "A key pairing Acme with Beta's agent Sales is refused at once",
            "A refused client hears nothing of anyone's conversation",
            "A key never handed out, naming Acme's Helper, hears nothing of Helper's conversation",
        ),
        dialect="saas",
    ),
    Kill(
        "trust-message-key",
        ("message_spoofing.feature",),
        (
            "Evil's message naming Acme's agent reaches nobody at Acme, "
            "and Evil's own conversation goes on",
        ),
        dialect="saas",
    ),
    Kill("person-of-first-tenant", ("tenant_memory.feature",), (PRIVATE_SECRET,), dialect="saas"),
    Kill("answers-itself", ("own_messages.feature",), (NOT_ITSELF,), dialect="saas"),
    Kill("accept-revoked-key", ("key_revocation.feature",), TAKEN_BACK, dialect="saas"),
)
"""saas's own gaps, by the faults that reproduce them in the saas dialect: a forged key let
in and filed under the agent it names (forged_key_accepted), a reply routed by the key a
message claims (reply_follows_claimed_key), a colliding person's private chat never
answered (colliding_person_unanswered)."""

CORRECT_SAAS_SERVER = Kill(
    "", tuple(sorted({f for kill in SAAS_MATRIX for f in kill.features})), (), dialect="saas"
)


@dataclass(frozen=True)
class Verdict:
    scenario: str
    status: str
    message: str


@dataclass
class Run:
    kill: Kill
    returncode: int
    seconds: float
    verdicts: list[Verdict] = field(default_factory=list)
    output: str = ""

    @property
    def failed(self) -> list[Verdict]:
        return [v for v in self.verdicts if v.status not in ("passed", "skipped")]

    def verdict_for(self, expected: str) -> list[Verdict]:
        return [v for v in self.verdicts if v.scenario.startswith(expected)]

    def problems(self) -> list[str]:
        """Why this run does not show the fault caught (empty when it does)."""
        if not self.kill.fault:
            return [f"{v.scenario}: {v.status}: {v.message[:300]}" for v in self.failed]
        problems = [] if self.returncode else ["behave passed"]
        for expected in self.kill.must_fail:
            verdicts = self.verdict_for(expected)
            if not verdicts:
                problems.append(f"no scenario named {expected!r} ran")
            for verdict in verdicts:
                if verdict.status != "failed":  # "error": a crash or the harness's own timeout
                    problems.append(
                        f"{verdict.scenario}: {verdict.status}, not failed: {verdict.message[:300]}"
                    )
        return problems


def run(kill: Kill) -> Run:
    """behave over the kill's features against the embedded server with its fault."""
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "report.json"
        command = [sys.executable, "-m", "behave", "--no-color", "-f", "json", "-o", str(report)]
        command += [
            "-f",
            "progress",
            "-D",
            f"fault={kill.fault}",
            "-D",
            f"reply_timeout={REPLY_TIMEOUT}",
            "-D",
            f"reference_dialect={kill.dialect}",
            "-D",
            f"wire={kill.wire}",
        ]
        command += [f"features/{feature}" for feature in kill.features]
        started = time.monotonic()
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
        seconds = time.monotonic() - started
        verdicts = _verdicts(report) if report.exists() else []
    return Run(kill, done.returncode, seconds, verdicts, done.stdout + done.stderr)


def _verdicts(report: Path) -> list[Verdict]:
    verdicts = []
    for feature in json.loads(report.read_text(encoding="utf-8") or "[]"):
        for element in feature.get("elements", []):
            if element.get("type") != "scenario":
                continue
            messages = [
                "\n".join(_lines(step["result"].get("error_message")))
                for step in element.get("steps", [])
                if step.get("result", {}).get("status") in ("failed", "error")
            ]
            verdicts.append(Verdict(element["name"], element["status"], "\n".join(messages)))
    return verdicts


def _lines(message: str | list[str] | None) -> Iterable[str]:
    if message is None:
        return []
    return [message] if isinstance(message, str) else message


def run_all(kills: Iterable[Kill], workers: int = 2) -> list[Run]:
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(run, kills))


def table(runs: list[Run], wall: float) -> str:
    """The matrix as printed after the test: fault, what failed, how long it took."""
    lines = [f"Kill matrix: {len(runs)} runs in {wall:.1f} s wall", ""]
    width = max(len(r.kill.name if r.kill.fault else "(correct server, saas)") for r in runs)
    for each in runs:
        correct = f"(correct server{each.kill.name.replace(' (', ', ').replace(')', '')})"
        name = each.kill.name if each.kill.fault else correct
        failed = sorted({v.scenario.split(" -- @")[0] for v in each.failed})
        if each.kill.fault:
            outcome = "MISSED" if each.problems() else "caught"
        else:
            outcome = "FAILS" if each.problems() else "passes"
        head = f"{name:<{width}}  {outcome:<7} {each.seconds:5.1f} s"
        lines.append(f"{head}  {failed[0] if failed else '-'}")
        lines += [f"{'':<{len(head)}}  {scenario}" for scenario in failed[1:]]
    return "\n".join(lines)
