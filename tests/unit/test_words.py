"""The report speaks the language of the run: every sentence has its words in every
language, with the same blanks, and every English phrase a reader meets elsewhere
(a clause, a known gap, a skip reason) has its Chinese words."""

from __future__ import annotations

import string

import pytest

from maimbot_acceptance.reports.clauses import CLAUSES
from maimbot_acceptance.reports.promises import NOT_SELECTED, SUITE_ERROR, TARGET_SAID
from maimbot_acceptance.reports.summary import VERDICTS
from maimbot_acceptance.reports.words import PHRASES, TEMPLATES, WORDS, Words, padded, width
from maimbot_acceptance.targets.applicability import HEAVY_REASON, SKIP_REASONS
from maimbot_acceptance.targets.known_gaps import KNOWN_GAPS
from maimbot_acceptance.targets.provisioning import (
    CAST_CANNOT_REVOKE,
    REVOCATIONS,
    V1_CANNOT_REVOKE,
)
from maimbot_acceptance.targets.settings import LANGUAGES


def blanks(sentence: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(sentence) if name}


def test_there_is_a_table_for_each_language_of_the_run():
    assert set(WORDS) == set(LANGUAGES)


@pytest.mark.parametrize("language", [lang for lang in LANGUAGES if lang != "en"])
def test_every_sentence_has_its_words_with_the_same_blanks(language):
    table, english = WORDS[language], WORDS["en"]
    assert sorted(set(english) - set(table)) == [], f"no {language} words for these keys"
    assert sorted(set(table) - set(english)) == [], "keys English does not have"
    # (a language may leave a blank out: Chinese has no plural "s")
    wrong = {key: blanks(said) - blanks(english[key]) for key, said in table.items()}
    assert {key: extra for key, extra in wrong.items() if extra} == {}


def english_phrases() -> set[str]:
    clauses = {clause.words for found in CLAUSES.values() for clause in found}
    gaps = {gap.what for gap in KNOWN_GAPS.values()}
    gaps |= {gap.shows_only for gap in KNOWN_GAPS.values() if gap.shows_only}
    reasons = {TARGET_SAID.sub("", r.format(target="x")) for r in SKIP_REASONS.values()}
    heavy = TARGET_SAID.sub("", HEAVY_REASON.format(target="x"))
    # (Applicability's reason when no category names the active tag that did not hold)
    unmatched = "its active tags do not match the target"
    # (what a run was doing when it was interrupted before its first scenario: run_end.py)
    doing = {"the start-up", "the first look at the target", "the first exchange with the target"}
    named = {heavy, NOT_SELECTED, SUITE_ERROR, unmatched}
    return clauses | gaps | reasons | doing | set(REVOCATIONS) | named


def test_every_phrase_a_reader_meets_has_its_chinese_words():
    missing = sorted(english_phrases() - set(PHRASES["zh-CN"]))
    assert missing == [], "add these to words.PHRASES['zh-CN']"


def test_the_chinese_phrases_are_of_phrases_that_exist():
    assert sorted(set(PHRASES["zh-CN"]) - english_phrases()) == []


def test_a_phrase_without_words_in_a_language_stays_english():
    assert Words("zh-CN").phrase("needs tenant 'Acme'") == "needs tenant 'Acme'"
    assert Words("zh-CN").phrase(NOT_SELECTED) == "本次运行未选中"
    assert Words("en").phrase(NOT_SELECTED) == NOT_SELECTED


def test_the_console_pads_chinese_by_the_columns_it_takes():
    assert width("守住") == 4 and padded("守住", 6) == "守住  "
    assert padded("HELD", 6) == "HELD  "


def test_every_verdict_of_a_promise_has_its_words():
    for language in LANGUAGES:
        assert [kind for kind in VERDICTS if kind not in WORDS[language]] == [], language
    assert Words("zh-CN").verdict("held in part") == "部分守住"


def test_every_reason_that_names_what_it_needs_has_its_chinese_words():
    assert sorted(TEMPLATES["zh-CN"]) == sorted([V1_CANNOT_REVOKE, CAST_CANNOT_REVOKE])
    chinese = Words("zh-CN")
    v1 = chinese.phrase(V1_CANNOT_REVOKE.format(how="tenant deleted"))
    assert v1.startswith("需要以删除租户的方式收回密钥，而 MaiMBot 的 v1 配置 API 做不到")
    cast = chinese.phrase(CAST_CANNOT_REVOKE.format(how="expired", cast="cast.toml"))
    assert cast.startswith("需要以过期的方式收回密钥，而名单 cast.toml 做不到")
    assert Words("en").phrase(V1_CANNOT_REVOKE.format(how="expired")).startswith("needs a key")
