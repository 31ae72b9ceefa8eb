"""The upstream dialect without MaiBot installed: the reference server plays upstream
MaiBot 1.x (-D reference_dialect=upstream with a cast of upstream: listed keys, the
bot's account per platform, upstream's reply shapes on the plain wire, but each reply
to its asker's client only), so CI covers the dialect's judging and its skips."""

from __future__ import annotations

from pathlib import Path

from .test_suite_runs import ANOTHER_DIALECT, behave, scenario_counts, skip_reasons

CAST = """dialect = "upstream"
platform = "test"

[bot_accounts]
qq = "10001"
test = "10001"

[tenants.Acme]
key = "key-acme"

[tenants.Beta]
key = "key-beta"

[tenants.Evil]
key = "key-evil"
"""

UNSTAGEABLE = (
    "which the cast",  # the grid's Tenant1..N
    "a tenant of the upstream target is an API client of its one bot",
    "no control plane to take a key back with",  # revocation
    ANOTHER_DIALECT,
)


def upstream_cast(tmp_path: Path) -> str:
    path = tmp_path / "upstream.cast.toml"
    path.write_text(CAST, encoding="utf-8")
    return f"cast={path}"


def test_the_suite_runs_green_on_the_reference_server_speaking_upstream(tmp_path):
    result = behave(
        "-D", "reference_dialect=upstream", "-D", upstream_cast(tmp_path),
        "-D", "may_go_unchecked=Many conversations*,Tenants and their agents,A key its tenant*",
    )  # fmt: skip
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-3000:]
    counts = scenario_counts(result.stdout)
    assert counts["passed"] >= 60 and counts["failed"] == 0, counts
    assert "speaking the upstream dialect" in output and "over the plain WebSocket wire" in output
    reasons = skip_reasons(result.stdout)
    assert reasons and all(any(why in r for why in UNSTAGEABLE) for r in reasons), reasons


def test_a_reply_sent_to_another_client_fails_isolation_by_its_chat(tmp_path):
    """Upstream's replies name no agent: the judging knows a stranger's reply by its chat."""
    result = behave(
        "-D", "reference_dialect=upstream", "-D", upstream_cast(tmp_path),
        "-D", "fault=leak-cross-tenant", "-f", "plain", "features/tenant_isolation.feature",
    )  # fmt: skip
    output = result.stdout + result.stderr
    assert result.returncode == 1, output[-3000:]
    assert scenario_counts(result.stdout)["failed"] >= 1
    assert "Two tenants with agents of the same name never see each other's conversations" in (
        output
    )
    # Bob's reply reached Alice: known for a stranger's by its chat, not by any agent's name.
    assert "a message other than a reply of its own agent, on its platform, to someone" in output
    assert "to group group_user_bob_" in output
