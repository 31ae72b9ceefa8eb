"""Every capability is specified in English and in Chinese (zh-CN), saying the same:
each scenario has one twin, with the same tags and the same steps (the same step
functions) in the same order, and the other way round (reports/parity.py)."""

from __future__ import annotations

import shutil
from functools import cache
from pathlib import Path
from typing import Any

from behave.runner_util import exec_file
from behave.step_registry import StepRegistry, registry

from maimbot_acceptance.reports.parity import parity_problems, step_signature

ROOT = Path(__file__).resolve().parents[2]
FEATURES = ROOT / "features"


@cache
def steps() -> StepRegistry:
    """The suite's step definitions, loaded once (as behave does) into its registry."""
    for path in sorted((FEATURES / "steps").glob("*.py")):
        exec_file(str(path))
    return registry


def step_of(step: Any) -> str:
    return step_signature(steps().find_match(step), step)


def test_every_capability_has_its_chinese_twin():
    english = [p for p in FEATURES.glob("*.feature") if p.name.count(".") == 1]
    chinese = list(FEATURES.glob("*.zh-CN.feature"))
    assert len(english) >= 15
    assert sorted(p.name.removesuffix(".zh-CN.feature") for p in chinese) == sorted(
        p.stem for p in english
    )


def test_every_spec_and_its_twin_say_the_same():
    problems = parity_problems(FEATURES.glob("*.feature"), step_of)
    assert not problems, "\n".join(problems)


def twins_in(tmp_path: Path, name: str) -> tuple[Path, Path]:
    english, chinese = FEATURES / f"{name}.feature", FEATURES / f"{name}.zh-CN.feature"
    shutil.copy(english, tmp_path)
    shutil.copy(chinese, tmp_path)
    return tmp_path / english.name, tmp_path / chinese.name


def line_of(path: Path, title: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if line.strip().endswith(title))


def without_last_scenario(path: Path, keyword: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.rindex(keyword)].rstrip() + "\n", encoding="utf-8")


def test_a_scenario_removed_from_the_chinese_spec_is_named(tmp_path):
    english, chinese = twins_in(tmp_path, "tenants_and_agents")
    without_last_scenario(chinese, "场景:")
    problems = parity_problems(tmp_path.glob("*.feature"), step_of)
    assert len(problems) == 1, problems
    where, _, said = problems[0].partition(" ")
    assert where.endswith(f"{english.name}:{line_of(english, 'answers for itself')}")
    assert said.startswith("'Each agent of a tenant answers for itself' has no twin in")
    assert f"{chinese.name}: add one after '用户分别连接到租户的两个智能体'" in said
    assert 'When Alice asks Helper "Who are you?"' in problems[0]


def test_a_scenario_added_to_the_english_spec_alone_is_named(tmp_path):
    english, _ = twins_in(tmp_path, "tenants_and_agents")
    added = (
        "\n  @use.with_server=reference\n  Scenario: A newer promise\n"
        "    When Alice of Acme connects to Sales\n"
    )
    english.write_text(english.read_text(encoding="utf-8") + added, encoding="utf-8")
    (problem,) = parity_problems(tmp_path.glob("*.feature"), step_of)
    assert "'A newer promise' has no twin in" in problem
    assert "@use.with_server=reference" in problem


def test_a_scenario_of_the_chinese_spec_alone_is_named(tmp_path):
    english, chinese = twins_in(tmp_path, "tenants_and_agents")
    without_last_scenario(english, "Scenario:")
    (problem,) = parity_problems(tmp_path.glob("*.feature"), step_of)
    assert problem.split(" ")[0].endswith(f"{chinese.name}:{line_of(chinese, '各自作答')}")
    assert "'租户的每个智能体各自作答' has no twin in" in problem
    assert f"{english.name}: add one after 'A user connects" in problem


def test_a_twin_with_other_tags_or_another_step_is_named(tmp_path):
    english, _ = twins_in(tmp_path, "idle_connections")
    text = english.read_text(encoding="utf-8")
    english.write_text(
        text.replace("  Scenario:", "  @heavy\n  Scenario:").replace("in the same chat", ""),
        encoding="utf-8",
    )
    (problem,) = parity_problems(tmp_path.glob("*.feature"), step_of)
    assert "differ" in problem, problem
    english.write_text(
        text.replace(
            "Then Alice gets a reply from Helper in the same chat",
            "Then Alice gets a reply from Helper",
        ),
        encoding="utf-8",
    )
    (problem,) = parity_problems(tmp_path.glob("*.feature"), step_of)
    assert "differ at step" in problem and "gets_reply(" in problem, problem


def test_a_spec_without_its_twin_is_named(tmp_path):
    english, chinese = twins_in(tmp_path, "idle_connections")
    chinese.unlink()
    assert parity_problems(tmp_path.glob("*.feature"), step_of) == [
        f"{english} has no zh-CN twin {chinese.name}"
    ]
