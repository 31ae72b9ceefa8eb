"""The HTML report as a product owner opens it: in a real browser (headless Chromium).

Skipped, with the reason, where Debian's ``chromium`` is not installed (``.ci/run``
installs it where apt works). The browser loads the report of a small run; a script
added to a copy of the page writes what the first screen shows into the DOM, which
``--dump-dom`` hands back: the title, whether the promises table starts on the first
screen (before any feature), and each promise's verdict and its colour.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from .test_suite_runs import behave

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(),
    reason="headless Chromium is not installed (Debian: apt-get install -y chromium)",
)

SCREEN = (1280, 900)
"""The first screen: what a laptop shows before any scrolling."""

CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
)  # fmt: skip
"""Root in a container, and a closed network: nothing to fetch, nothing to sync."""

PROBE = """<script>
window.addEventListener("load", () => {
  const table = document.getElementById("promises-table");
  const feature = document.querySelector(".feature-title");
  const rows = [...document.querySelectorAll("#promises-table tbody tr")].map(tr => ({
    capability: tr.cells[0].textContent,
    verdict: tr.cells[2].textContent,
    colour: getComputedStyle(tr.cells[2]).color,
  }));
  const seen = {
    title: document.title,
    heading: document.querySelector("section.promises h1").textContent,
    table_top: table.getBoundingClientRect().top,
    feature_top: feature ? feature.getBoundingClientRect().top : null,
    rows: rows,
  };
  const out = document.createElement("pre");
  out.id = "probe";
  out.textContent = JSON.stringify(seen);
  document.body.appendChild(out);
});
</script>"""


def chromium(*args: str) -> str:
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run(
            [CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
            capture_output=True, text=True, timeout=60,
        )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def first_screen(report: Path) -> dict:
    """What the browser shows of ``report`` at the first screen (see PROBE)."""
    probed = report.with_name("probed.html")
    probed.write_text(report.read_text(encoding="utf-8") + PROBE, encoding="utf-8")
    dom = chromium(f"--window-size={SCREEN[0]},{SCREEN[1]}", "--dump-dom", probed.as_uri())
    found = re.search(r'<pre id="probe">(.*?)</pre>', dom, re.DOTALL)
    assert found, dom[-2000:]
    return json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&"))


def report_of(tmp_path: Path, *args: str) -> Path:
    html = tmp_path / "acceptance.html"
    behave(
        "features/tenant_isolation.feature", "features/tenants_and_agents.feature",
        "-f", "html-pretty", "-o", str(html), "-f", "progress", *args,
    )  # fmt: skip
    assert html.exists()
    return html


def test_a_default_run_opens_as_a_rehearsal_with_its_promises_all_held(tmp_path: Path):
    report = report_of(tmp_path)
    seen = first_screen(report)
    assert seen["title"] == "MaiMBot acceptance"
    assert seen["heading"] == (
        "Rehearsal of the suite on its reference server: not a verdict on MaiMBot"
    )
    assert 0 <= seen["table_top"] < SCREEN[1], seen
    assert seen["feature_top"] > seen["table_top"], "the promises come before any feature"
    verdicts = {row["capability"]: row["verdict"] for row in seen["rows"]}
    assert verdicts == {"Tenant isolation": "held", "Tenants and their agents": "held"}


def test_a_run_against_a_fault_shows_the_broken_promise_as_broken(tmp_path: Path):
    seen = first_screen(report_of(tmp_path, "-D", "fault=leak-cross-tenant"))
    rows = {row["capability"]: row for row in seen["rows"]}
    broken = rows["Tenant isolation"]
    assert broken["verdict"] == "broken", seen
    assert broken["colour"] == "rgb(176, 0, 32)", "a broken promise is shown in red"
    assert rows["Tenants and their agents"]["colour"] != broken["colour"]
    assert 0 <= seen["table_top"] < SCREEN[1], seen


def test_a_verdict_says_which_clause_went_unchecked_and_the_page_holds_no_control_bytes(
    tmp_path: Path,
):
    html = tmp_path / "acceptance.html"
    behave(
        "features/bad_input.feature", "features/long_running_server.feature",
        "-f", "html-pretty", "-o", str(html), "-f", "progress",
    )  # fmt: skip
    seen = first_screen(html)
    verdicts = {row["capability"]: row["verdict"] for row in seen["rows"]}
    assert verdicts == {
        "Bad input does not break the service": "held",
        "A server that has been up for a while still takes new users": (
            "held, 1 of 2 checked: new users after ten minutes up was not checked here"
        ),
    }
    page = html.read_bytes()
    assert not re.search(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", page), "raw control bytes"
    assert b"\\x07" in page, "the control-character scenario's BEL is shown escaped"
