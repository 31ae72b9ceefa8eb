"""The reports three audiences read: JUnit for CI, HTML for product owners, and the console."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree

from .test_suite_runs import behave

SCENARIO = "A user asks an agent and gets a reply"
SKIPPED = "The echo agent quotes the message it answers, byte for byte"


def test_one_command_writes_junit_and_html_side_by_side(tmp_path):
    html_file = tmp_path / "acceptance.html"
    junit_dir = tmp_path / "junit"
    result = behave(
        "features/chat_exchange.feature",
        "--junit", "--junit-directory", str(junit_dir),
        "-f", "html-pretty", "-o", str(html_file),
        "-f", "progress",
        "-D", "server=maimbot",  # so that the reference-only scenarios are skipped
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr

    suite = ElementTree.parse(junit_dir / "TESTS-chat_exchange.xml").getroot()
    cases = {case.get("name"): case for case in suite.iter("testcase")}
    assert SCENARIO in cases
    assert cases[SCENARIO].find("failure") is None
    skipped = [case for name, case in cases.items() if name.startswith(SKIPPED)]
    assert skipped, cases.keys()
    reason = skipped[0].find("skipped").get("message")
    assert "needs the reference server's deterministic agents" in reason

    page = html_file.read_text(encoding="utf-8")
    assert SCENARIO in page
    assert "What are your opening hours?" in page  # the question ...
    assert "Helper heard: What are your opening hours?" in page  # ... its reply ...
    assert " ms</td>" in page  # ... and its latency, in the exchange table
    assert "needs the reference server&#x27;s deterministic agents" in page or (
        "needs the reference server's deterministic agents" in page
    )


def test_the_console_lists_skipped_scenarios_with_their_reason():
    result = behave("features/chat_exchange.feature", "-D", "server=maimbot")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Skipped scenarios, and why:" in result.stdout
    assert "skipped: needs the reference server's deterministic agents" in result.stdout


def test_figures_are_attached_to_the_html_report(tmp_path):
    html_file = tmp_path / "acceptance.html"
    result = behave(
        "features/concurrent_conversations.feature", "-f", "html-pretty", "-o", str(html_file)
    )
    assert result.returncode == 0, result.stdout + result.stderr
    page = html_file.read_text(encoding="utf-8")
    assert "reply success rate: 100.0% (18/18)" in page
    assert "reply latency: p50" in page


def test_a_chinese_run_runs_the_chinese_specs_and_reports_in_chinese(tmp_path):
    html_file, junit_dir = tmp_path / "acceptance.html", tmp_path / "junit"
    result = behave(
        "features/chat_exchange.feature", "features/chat_exchange.zh-CN.feature",
        "--junit", "--junit-directory", str(junit_dir),
        "-f", "html-pretty", "-o", str(html_file), "-f", "progress",
        "-D", "language=zh-CN", "-D", "server=maimbot",
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 feature passed" in result.stdout  # the English twin is left out
    assert "共 1 项承诺：守住 1 项" in result.stdout
    props = ElementTree.parse(junit_dir / "TESTS-promises.xml").getroot().iter("property")
    promises = {p.get("name"): p.get("value", "") for p in props}
    said = promises["承诺：对话交流"]
    assert said == "守住：3 个场景：需要参考服务器的确定性智能体", said
    assert "A chat exchange" not in " ".join(promises)
    page = html_file.read_text(encoding="utf-8")
    assert "<h2>承诺</h2>" in page and "<b>承诺：</b>" in page and "A chat exchange" not in page


def test_a_run_given_only_the_other_languages_specs_says_which_knob_runs_them():
    result = behave("features/idle_connections.zh-CN.feature")
    assert result.returncode == 2, result.stdout + result.stderr
    assert "-D language=zh-CN runs them" in result.stderr
