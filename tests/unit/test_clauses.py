"""Every clause of a promise is checked by a scenario of its feature: a renamed
scenario cannot leave a clause silently uncovered (and every promise held in part)."""

from __future__ import annotations

from pathlib import Path

import pytest
from behave.parser import parse_file

from maimbot_acceptance.reports.clauses import CLAUSES, clauses_of

FEATURES = {
    feature.name: feature
    for feature in (parse_file(path) for path in sorted(Path("features").glob("*.feature")))
}


@pytest.mark.parametrize("capability", sorted(CLAUSES))
def test_each_clause_names_scenarios_of_its_feature(capability):
    assert capability in FEATURES, f"no feature is titled {capability!r}"
    scenarios = list(FEATURES[capability].walk_scenarios())
    for clause in CLAUSES[capability]:
        checking = [s for s in scenarios if clause.checked_by_scenario(s.name, s.effective_tags)]
        assert checking, f"no scenario of {capability!r} checks {clause.words!r}"


def test_a_promise_without_clauses_is_one_clause_any_scenario_checks():
    [clause] = clauses_of("Tenant isolation", "a reply reaches ...")
    assert clause.words == "a reply reaches ..." and clause.checked_by_scenario("any", [])
