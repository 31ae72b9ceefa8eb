"""The rehearsal against the real MaiMBot (opt-in: set MAIMBOT_GIT to its git dir).

Each stack and mode is brought up on loopback by ``maimbot_acceptance.rehearsal``,
the portable features run against it with the knobs a user gives, and the run is held
to the outcome table (``docs/rehearsal.md``):

* api_server as shipped, and with the listener kept: MaiMBot drops every chat
  message, so the run ends in one line, within reply_timeout, first contact's grace
  and 5 s;
* api_server replying: exactly the scenarios of the table fail, each showing its
  known gap; nothing errors;
* saas with the listener kept (needs MAIMDB_GIT and MAIMCONFIG_GIT too): at least 30
  scenarios run, and every failing one carries a known gap called OPEN;
* saas as shipped: the lost listener shows ("nothing is listening").

* upstream MaiBot 1.x, installed from PyPI (opt-in on its own: MAIBOT_UPSTREAM=1, or
  a version, MAIBOT_UPSTREAM=1.3.15): at least 30 scenarios run, every failing one
  carries a known gap of upstream called OPEN, the broadcast among them.

It takes minutes (a stack's venv is made with pip unless MAIMBOT_VENV, or SAAS_VENV
for saas, UPSTREAM_VENV for upstream, names one to reuse), so it is not part of CI.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from maimbot_acceptance.rehearsal.bring_up import Target, stack_up
from maimbot_acceptance.rehearsal.outcome import EXPECTED, judge
from maimbot_acceptance.rehearsal.suite_run import run_suite
from maimbot_acceptance.rehearsal.upstream import DEFAULT_VERSION

GIT = {name: os.environ.get(name, "") for name in ("MAIMBOT_GIT", "MAIMDB_GIT", "MAIMCONFIG_GIT")}
VENV = {
    "api_server": os.environ.get("MAIMBOT_VENV", ""),
    "saas": os.environ.get("SAAS_VENV", ""),
    "upstream": os.environ.get("UPSTREAM_VENV", ""),
}
UPSTREAM = os.environ.get("MAIBOT_UPSTREAM", "")


@pytest.mark.parametrize(("stack", "mode"), sorted(EXPECTED))
def test_the_real_maimbot_gets_the_verdicts_of_the_outcome_table(
    stack: str, mode: str, tmp_path: Path
) -> None:
    if stack == "upstream" and not UPSTREAM:
        pytest.skip("needs MAIBOT_UPSTREAM=1 (or a version): installs maibot from PyPI")
    if stack != "upstream" and not GIT["MAIMBOT_GIT"]:
        pytest.skip("needs MAIMBOT_GIT (a git dir of tcmofashi/MaiMBot, api_server and saas)")
    if stack == "saas" and not (GIT["MAIMDB_GIT"] and GIT["MAIMCONFIG_GIT"]):
        pytest.skip("the saas stack needs MAIMDB_GIT and MAIMCONFIG_GIT too")
    target = Target(
        stack=stack,
        mode=mode,
        maimbot_git=Path(GIT["MAIMBOT_GIT"]) if GIT["MAIMBOT_GIT"] else None,
        work=tmp_path,
        maimdb_git=Path(GIT["MAIMDB_GIT"]) if GIT["MAIMDB_GIT"] else None,
        maimconfig_git=Path(GIT["MAIMCONFIG_GIT"]) if GIT["MAIMCONFIG_GIT"] else None,
        venv=Path(VENV[stack]) if VENV[stack] else None,
        version=UPSTREAM if UPSTREAM[:1].isdigit() else DEFAULT_VERSION,
    )
    with stack_up(target) as up:
        run = run_suite(up.stack.target_knobs(), up.stack.tap_url, tmp_path)
    judgement = judge(run, EXPECTED[(stack, mode)])
    assert judgement.matched, "\n".join(judgement.mismatches) + "\n" + run.output[-3000:]
