"""The outcome table: what the portable features must show against each stack and
mode, and how a run is held to it. ``docs/rehearsal.md`` shows the same tables.

Two kinds of expectation. A stack that answers nothing stops the run at first contact,
in one line, quickly. A stack that answers runs every portable scenario: against
api_server (replying) exactly the scenarios of its table fail, each showing its known
gap; against saas (listener kept) at least ``SAAS_AT_LEAST`` scenarios run and every
one that fails carries a known gap that the summary calls OPEN (the issue's bar: which gaps are
saas's is the suite's saas dialect to say, not this table's).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .suite_run import SuiteRun, known_gaps_of_scenarios, suite_knobs

REPLY_TIMEOUT = 10.0
"""The run's -D reply_timeout (suite_run.USER_KNOBS): a run that stops at first
contact does so within it, the grace first contact gives a late answer, and a few
seconds of start-up."""


def first_contact_limit() -> float:
    """Seconds a run stopped at first contact may take (the grace: behave.ini's default,
    none in a suite without the knob)."""
    return REPLY_TIMEOUT + float(suite_knobs().get("first_exchange_grace", 0)) + 5


SAAS_AT_LEAST = 30
UPSTREAM_AT_LEAST = 30


@dataclass(frozen=True)
class StopsAtFirstContact:
    """The run ends in one line, within ``first_contact_limit()``, saying one of ``says``."""

    says: tuple[str, ...]
    why: str


@dataclass(frozen=True)
class FailsAsTabled:
    must_fail: dict[str, str]
    """Scenario -> the known gap its failure shows (held against a run only when the
    suite has the scenario: a table may name scenarios of features still to land)."""
    may_fail: dict[str, str] = field(default_factory=dict)
    """Scenarios whose gap depends on the server's timing: failed in one run, not another."""


@dataclass(frozen=True)
class FailsOnlyOnKnownGaps:
    at_least: int
    must_open: tuple[str, ...] = ()
    """Gaps the run must call OPEN (upstream's broadcast: the reason to rehearse it)."""


@dataclass(frozen=True)
class ListenerLost:
    """The run fails, and says (at first contact, or in a scenario's failure) that
    nothing listens any more: the listener closed while the process lived on."""

    says: str = "nothing is listening"


Expectation = StopsAtFirstContact | FailsAsTabled | FailsOnlyOnKnownGaps | ListenerLost

ANSWERS_NOTHING = StopsAtFirstContact(
    ("answered nothing", "nothing is listening"),
    "MaiMBot drops every chat message in its own conversion",
)

API_SERVER_REPLYING = FailsAsTabled(
    must_fail={
        "A key for a tenant that does not exist is refused at once, saying why": "any_api_key",
        "A key for an agent Acme does not have is refused at once, saying why": "any_api_key",
        "A key pairing Acme with Beta's agent Sales is refused at once, saying why": (
            "any_api_key"
        ),
        "A key that is only the agent id of Acme's Helper is refused at once, saying why": (
            "any_api_key"
        ),
        "A refused client hears nothing of anyone's conversation": "any_api_key",
        # The v1 API takes a key back only by deleting its agent; api_server lets in any key.
        "A key taken back by deleting its agent is refused at once, told why, and hears "
        "nothing": "any_api_key",
        "A key that names its tenant the wrong way reaches no other tenant": (
            "unprefixed_key_is_default_tenant"
        ),
        "A question in a private chat is answered privately": "private_chats_unanswered",
        "Another tenant's client presenting Alice's connection id is refused, and Alice "
        "keeps her replies": "connection_id_takeover",
        "Fifty messages sent at once get fifty replies, in order, none twice": (
            "burst_partly_answered"
        ),
        "A broken connection is noticed within the heartbeat window (silent)": (
            "late_message_unanswered"
        ),
        # The canary features (tenant_memory.feature): a code word told in private
        # is never answered, so the scenario stops where it is planted.
        "What Helper learns from Alice in private is never told to Bob of Beta, who has her "
        "user id": "private_chats_unanswered",
        "What Acme teaches its Helper is no part of Beta's Helper's knowledge": (
            "private_chats_unanswered"
        ),
        # What is said in one chat stays there (chat_memory.feature): a code word told, or
        # asked for, in private is never answered.
        "What Alice tells Helper in private is not recalled in a group": (
            "private_chats_unanswered"
        ),
        "What Alice tells Helper in a group is not recalled in Bob's private chat": (
            "private_chats_unanswered"
        ),
        "A reply that quotes a message quotes the one it answers, in private": (
            "private_chats_unanswered"
        ),
    },
    may_fail={
        "3 tenants with 2 agents each converse at the same time": "follow_up_taken_as_read",
        "A broken connection is noticed within the heartbeat window (cut)": (
            "follow_up_taken_as_read"
        ),
        "A user whose connection dropped comes back and carries on": "follow_up_taken_as_read",
    },
)

EXPECTED: dict[tuple[str, str], Expectation] = {
    ("api_server", "shipped"): ANSWERS_NOTHING,
    ("api_server", "kept"): ANSWERS_NOTHING,
    ("api_server", "replying"): API_SERVER_REPLYING,
    ("saas", "kept"): FailsOnlyOnKnownGaps(SAAS_AT_LEAST),
    ("saas", "shipped"): ListenerLost(),
    ("upstream", "installed"): FailsOnlyOnKnownGaps(UPSTREAM_AT_LEAST, ("platform_broadcast",)),
}
"""(stack, mode) -> what its run must show."""


@dataclass
class Judgement:
    rows: list[tuple[str, str, str]]
    """(scenario, verdict, the known gap it shows or why it matters) for the table."""
    mismatches: list[str]

    @property
    def matched(self) -> bool:
        return not self.mismatches


def judge(run: SuiteRun, expected: Expectation) -> Judgement:
    mismatches = ["a traceback in the output"] if "Traceback" in run.output else []
    if isinstance(expected, StopsAtFirstContact):
        return stopped_at_first_contact(run, expected, mismatches)
    if isinstance(expected, ListenerLost):
        return listener_lost(run, expected, mismatches)
    failed = sorted(name for name, verdict in run.verdicts.items() if verdict == "failed")
    errors = sorted(name for name, verdict in run.verdicts.items() if verdict == "error")
    mismatches += [f"errored: {name}: {run.failures[name][:300]}" for name in errors]
    if not run.verdicts:
        mismatches.append(f"no scenario ran; it said: {' / '.join(run.said()[-3:])}")
    if isinstance(expected, FailsAsTabled):
        known = {**expected.may_fail, **expected.must_fail}
        for name in failed:
            if name not in known:
                mismatches.append(f"failed, not in the table: {name}: {run.failures[name][:600]}")
        in_the_suite = known_gaps_of_scenarios()
        for name in expected.must_fail:
            if name in in_the_suite and run.verdicts.get(name) != "failed":
                mismatches.append(f"{run.verdicts.get(name, 'not run')}, expected failed: {name}")
        gaps = {known[name] for name in failed if name in known}
    else:
        tagged = known_gaps_of_scenarios()
        ran = sum(verdict in ("passed", "failed") for verdict in run.verdicts.values())
        if ran < expected.at_least:
            mismatches.append(f"{ran} scenarios ran, expected at least {expected.at_least}")
        # A scenario may name gaps of several MaiMBots; the run judges its target's.
        called_open = {
            name: [gap for gap in sorted(tagged.get(name, ())) if is_open(gap, run)]
            for name in failed
        }
        known = {name: ", ".join(gaps) for name, gaps in called_open.items()}
        mismatches += [
            f"failed without a known gap called OPEN (tagged: "
            f"{', '.join(sorted(tagged.get(name, ()))) or 'none'}): {name}: "
            f"{run.failures[name][:600]}"
            for name in failed
            if not known[name]
        ]
        gaps = set(expected.must_open)
    mismatches += [
        f"the summary does not call {gap} OPEN" for gap in sorted(gaps) if not is_open(gap, run)
    ]
    rows = [(name, run.verdicts[name], known.get(name, "")) for name in failed + errors]
    return Judgement(rows, mismatches)


def is_open(gap: str, run: SuiteRun) -> bool:
    """The run's summary calls the gap OPEN (its scenario failed where it shows): in
    every language of the report the verdict says OPEN ("在此服务器上未修复（OPEN）")."""
    said = rf"^\s*{re.escape(gap)}[:：].*\bOPEN\b"  # (a Chinese summary's colon is "：")
    return re.search(said, run.output, re.MULTILINE) is not None


def listener_lost(run: SuiteRun, expected: ListenerLost, mismatches: list[str]) -> Judgement:
    """First contact says it in its one line; a scenario, in its JUnit failure."""
    saying = [name for name, text in run.failures.items() if expected.says in text]
    if expected.says in run.output:
        saying.append("(the run's output)")
    if run.returncode == 0 or not saying:
        last = " / ".join(run.said()[-3:])
        mismatches.append(
            f"exit code {run.returncode}; expected a failed run saying {expected.says!r}; "
            f"it said: {last}"
        )
    failed = sum(verdict == "failed" for verdict in run.verdicts.values())
    row = ("(the listener)", f"exit {run.returncode}, {failed} failed", f"{len(saying)} say "
           f"{expected.says!r}")  # fmt: skip
    return Judgement([row], mismatches)


def stopped_at_first_contact(
    run: SuiteRun, expected: StopsAtFirstContact, mismatches: list[str]
) -> Judgement:
    said = run.said()
    line = said[0] if said else "(nothing)"
    if run.returncode != 2 or len(said) != 1:
        mismatches.append(f"exit code {run.returncode} and {len(said)} lines, expected 2 and one")
    if not any(words in line for words in expected.says):
        mismatches.append(f"the line does not say {' or '.join(expected.says)}: {line}")
    if run.seconds > first_contact_limit():
        mismatches.append(f"took {run.seconds:.1f} s, expected within {first_contact_limit():g} s")
    row = (f"(first contact) {line}", f"stopped, exit {run.returncode}", expected.why)
    return Judgement([row], mismatches)
