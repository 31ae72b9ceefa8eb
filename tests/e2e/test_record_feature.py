"""A recording becomes a readable feature and a cast (maimbot_acceptance.record)."""

import json
import re
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from maimbot_acceptance.record.feature import Options, render, write_feature
from maimbot_acceptance.record.proxy_bench import synthetic_journal
from maimbot_acceptance.record.recording import read_recording
from maimbot_acceptance.record.scenario_writer import NOBODY_ELSE
from maimbot_acceptance.wire.cast import load_cast

ROOT = Path(__file__).resolve().parents[2]
ACME, BETA = "tenant_acme0001", "tenant_beta0002"
HELPER, SALES, OTHER = "agent_help0001", "agent_sale0002", "agent_help0003"


class Journal:
    """Builds a journal line by line, as the proxy writes it."""

    def __init__(self) -> None:
        self.lines: list[dict] = [{"t": 0, "event": "run", "version": 1, "server": "ws://x/ws"}]
        self.ids = iter(range(1, 10**6))

    def open(self, conn, key, platform="test", at=1.0):
        self.lines.append(
            {"t": at, "event": "open", "conn": conn, "api_key": key, "platform": platform}
        )

    def close(self, conn, at):
        self.lines.append({"t": at, "event": "close", "conn": conn, "by": "client", "code": 1000})

    def ask(self, conn, at, key, user, text, *, nick="", group=True, platform="test", segment=None):
        message_id = f"m{next(self.ids)}"
        sender = {"user_info": {"platform": platform, "user_id": user, "user_nickname": nick}}
        if group:
            sender["group_info"] = {
                "platform": platform,
                "group_id": f"g_{user}",
                "group_name": "G",
            }
        payload = {
            "message_info": {"platform": platform, "message_id": message_id, "sender_info": sender},
            "message_segment": segment or {"type": "text", "data": text},
            "message_dim": {"api_key": key, "platform": platform},
        }
        self._chat(conn, at, "client", payload)
        return message_id

    def answer(self, conns, at, key, agent_name, user, text, *, group=True, platform="test"):
        message_id = f"r{next(self.ids)}"
        to = (
            {"group_info": {"group_id": f"g_{user}"}} if group else {"user_info": {"user_id": user}}
        )
        payload = {
            "message_info": {
                "platform": platform,
                "message_id": message_id,
                "sender_info": {
                    "user_info": {"user_id": key.split(":")[1], "user_nickname": agent_name}
                },
                "receiver_info": to,
            },
            "message_segment": {"type": "text", "data": text},
            "message_dim": {"api_key": key, "platform": platform},
        }
        for n, conn in enumerate(conns):
            self._chat(conn, at + 0.001 * n, "server", payload)

    def _chat(self, conn, at, sender, payload):
        package = {"ver": 1, "msg_id": str(uuid.uuid4()), "type": "sys_std", "payload": payload}
        self.lines.append(
            {"t": at, "event": "chat", "conn": conn, "from": sender, "package": package}
        )

    def write(self, path: Path) -> Path:
        path.write_text("".join(json.dumps(line) + "\n" for line in self.lines), encoding="utf-8")
        return path


def two_tenants() -> Journal:
    """Alice (Acme) and Bob (Beta) each ask their Helper; Carol of Acme only listens."""
    j = Journal()
    j.open(1, f"{ACME}:{HELPER}")
    j.open(2, f"{BETA}:{OTHER}")
    j.open(3, f"{ACME}:{HELPER}")
    j.ask(1, 2.0, f"{ACME}:{HELPER}", "u_alice", "Keep our launch date secret", nick="Alice")
    j.ask(2, 2.1, f"{BETA}:{OTHER}", "u_bob", "What did the last customer say?", nick="Bob")
    j.answer([1, 3], 2.8, f"{ACME}:{HELPER}", "Helper", "u_alice", "Of course.")
    j.answer([2], 2.2, f"{BETA}:{OTHER}", "Helper", "u_bob", "I cannot tell.")
    for conn in (1, 2, 3):
        j.close(conn, 4.0)
    return j


def converted(journal: Journal, tmp_path: Path, **options) -> tuple[str, str]:
    feature, cast, _ = render(
        read_recording(journal.write(tmp_path / "r.jsonl")), Options(**options)
    )
    return feature, cast


def steps_of(feature: str) -> list[str]:
    return [line.strip() for line in feature.splitlines() if line.startswith("    ")]


def test_tenants_agents_and_users_get_names_and_their_ids_go_to_the_cast(tmp_path):
    feature, cast = converted(two_tenants(), tmp_path)
    steps = steps_of(feature)
    assert steps[:6] == [
        "Given tenant Acme has an agent Helper",
        "And tenant Beta has an agent Helper",
        "And Alice of Acme is connected to Helper",
        "And Bob of Beta is connected to Helper",
        "And Carol of Acme is connected to Helper",
        'When Alice asks Helper "Keep our launch date secret"',
    ]
    for recorded_id in (ACME, BETA, HELPER, OTHER, "u_alice", "u_bob"):
        assert recorded_id not in feature
    (tmp_path / "c.toml").write_text(cast, encoding="utf-8")
    loaded = load_cast(tmp_path / "c.toml")
    assert {n: (t.tenant_id, dict(t.agents)) for n, t in loaded.tenants.items()} == {
        "Acme": (ACME, {"Helper": HELPER}),
        "Beta": (BETA, {"Helper": OTHER}),
    }


def test_each_reply_is_a_portable_then_in_recorded_time_with_its_text_as_a_comment(tmp_path):
    steps = steps_of(converted(two_tenants(), tmp_path, slack=3, min_wait=1)[0])
    assert steps[6:] == [
        'And Bob asks Helper "What did the last customer say?"',
        "Then Bob gets a reply from Helper in the same chat within 1.0 s",
        '# Helper answered in 0.100 s: "I cannot tell."',
        "And Alice gets a reply from Helper in the same chat within 2.4 s",
        '# Helper answered in 0.800 s: "Of course."',
        "And Carol also gets Helper's reply to Alice",
        f"And {NOBODY_ELSE}",
    ]


def test_exact_demands_the_reply_word_for_word(tmp_path):
    steps = steps_of(converted(two_tenants(), tmp_path, exact=True)[0])
    assert (
        'And Alice gets a reply from Helper in the same chat within 2.4 s, reading "Of course."'
        in steps
    )


def test_redact_leaves_no_text_and_no_nickname(tmp_path):
    j = two_tenants()
    feature, cast = converted(j, tmp_path, redact=True)
    for private in (
        "launch date",
        "customer",
        "Of course",
        "cannot tell",
        "Alice",
        "Bob",
        "u_alice",
    ):
        assert private not in feature and private not in cast, private
    assert 'When User1 asks Helper "message 1"' in feature
    assert "(text redacted)" in feature
    assert ACME in cast  # a replay still needs the ids
    with pytest.raises(ValueError, match="choose one"):
        Options(exact=True, redact=True)


def test_recorded_pauses_are_kept_and_a_long_lull_starts_a_new_scenario(tmp_path):
    j = Journal()
    key = f"{ACME}:{HELPER}"
    j.open(1, key)
    for n, at in enumerate((2.0, 4.5, 100.0)):
        j.ask(1, at, key, "u_alice", f"question {n}", nick="Alice")
        j.answer([1], at + 0.01, key, "Helper", "u_alice", "ok")
    feature, _ = converted(j, tmp_path, gap=30)
    assert feature.count("Scenario:") == 2
    assert "When 2.5 s have passed since the last message" in feature
    assert 'And Alice asks Helper "question 1"' in feature


def test_a_question_asked_again_before_its_reply_waits_for_that_reply_first(tmp_path):
    j = Journal()
    key = f"{ACME}:{HELPER}"
    j.open(1, key)
    j.ask(1, 2.0, key, "u_alice", "first", nick="Alice")
    j.ask(1, 2.01, key, "u_alice", "second", nick="Alice")
    j.ask(1, 2.02, key, "u_alice", "third", nick="Alice")
    j.answer([1], 2.05, key, "Helper", "u_alice", "to the first")
    j.answer([1], 2.06, key, "Helper", "u_alice", "to the second")
    steps = steps_of(converted(j, tmp_path)[0])[2:]
    assert steps == [
        'When Alice asks Helper "first"',
        "Then Alice gets a reply from Helper in the same chat within 1.0 s",
        '# Helper answered in 0.050 s: "to the first"',
        'When Alice asks Helper "second"',
        "Then Alice gets a reply from Helper in the same chat within 1.0 s",
        '# Helper answered in 0.050 s: "to the second"',
        'When Alice asks Helper "third"',
        "# Helper did not answer this in the recording",
    ]


def test_a_message_without_text_is_named_by_what_it_carries_inside_its_seglists(tmp_path):
    j = Journal()
    key = f"{ACME}:{HELPER}"
    j.open(1, key)
    inner = {"type": "seglist", "data": [{"type": "image", "data": "iVBOR"}]}
    j.ask(1, 2.0, key, "u_alice", "", nick="Alice", segment={"type": "seglist", "data": [inner]})
    j.ask(1, 2.1, key, "u_alice", "and this?", nick="Alice")
    recording = read_recording(j.write(tmp_path / "r.jsonl"))
    said = recording.conversations[0].said[0]
    assert (said.text, said.segment_types, said.group_id) == ("", ("image",), "g_u_alice")
    assert "# Alice sent Helper a image message: not replayed" in steps_of(
        converted(j, tmp_path)[0]
    )


def test_keys_that_name_no_tenant_are_left_out_and_said_so(tmp_path):
    j = two_tenants()
    j.open(9, "acme:agentX", at=1.5)
    j.ask(9, 2.5, "acme:agentX", "u_eve", "hello", nick="Eve")
    feature, cast = converted(j, tmp_path)
    assert "Eve" not in feature and "acme:" not in cast
    assert "1 messages on connections whose key names no tenant:agent" in feature


def odd_phrasings() -> Journal:
    """A private chat, another platform, text no plain step can carry."""
    j = Journal()
    key = f"{ACME}:{HELPER}"
    j.open(1, key)
    j.open(2, f"{ACME}:{SALES}", platform="qq")
    j.ask(1, 2.0, key, "u_alice", "just us", nick="Alice", group=False)
    j.answer([1], 2.01, key, "Helper", "u_alice", "sure", group=False)
    j.ask(1, 2.1, key, "u_alice", 'two\nlines and a "quote"', nick="Alice")
    j.answer([1], 2.11, key, "Helper", "u_alice", "ok")
    j.ask(2, 2.2, f"{ACME}:{SALES}", "u_alice", "on QQ", nick="Alice", platform="qq")
    j.answer([2], 2.21, f"{ACME}:{SALES}", "Sales", "u_alice", "ok", platform="qq")
    j.ask(
        2, 2.3, f"{ACME}:{SALES}", "u_alice", "tab\there", nick="Alice", group=False, platform="qq"
    )
    j.answer([2], 2.31, f"{ACME}:{SALES}", "Sales", "u_alice", "ok", group=False, platform="qq")
    return j


def test_every_generated_phrasing_is_a_step_of_the_suite(tmp_path):
    """behave --dry-run fails on an undefined step; the feature must live under features/."""
    feature, _ = converted(odd_phrasings(), tmp_path, exact=True)
    steps = steps_of(feature)
    assert 'When Alice asks Helper "just us" in a private chat' in steps
    assert 'When Alice asks Helper the text "two\\nlines and a \\"quote\\""' in steps
    assert 'When Alice asks Sales on "qq": "on QQ"' in steps
    assert 'When Alice asks Sales, in a private chat on "qq", the text "tab\\there"' in steps
    assert 'And Alice is also connected to Sales on "qq"' in steps
    folder = ROOT / "features" / f".recorded-test-{uuid.uuid4().hex[:8]}"
    folder.mkdir()
    try:
        (folder / "odd.feature").write_text(feature, encoding="utf-8")
        done = subprocess.run(
            [sys.executable, "-m", "behave", "--dry-run", "-f", "plain", str(folder)],
            cwd=ROOT, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
    finally:
        shutil.rmtree(folder)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "undefined" not in (done.stdout + done.stderr).lower()


def test_ten_thousand_messages_convert_in_under_five_seconds(tmp_path):
    journal = tmp_path / "big.jsonl"
    synthetic_journal(journal, 10_000)
    started = time.perf_counter()
    written = write_feature(journal, tmp_path, "big", Options())
    took = time.perf_counter() - started
    text = written.feature.read_text(encoding="utf-8")
    assert len(re.findall(r"^    (When|And) \w+ asks ", text, re.MULTILINE)) == 5_000
    assert text.count("gets a reply from") == 5_000
    assert took < 5, f"{took:.2f} s"
