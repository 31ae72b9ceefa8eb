"""The specs speak business words: a product owner signs off what the tenant gets.

Engineers' evidence (file paths, -D knobs, wire field names, code) lives in each
feature's "For engineers:" note, which the HTML report folds away, and in the known-gap
ledger; never in the promise, the description's body or a scenario's title.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from behave.parser import parse_file

from maimbot_acceptance.reports.specs import read_description
from maimbot_acceptance.targets.known_gaps import KNOWN_GAPS, TAG_PREFIX

ROOT = Path(__file__).resolve().parents[2]
FEATURES = sorted((ROOT / "features").glob("*.feature"))

ENGINEERS_WORDS = {
    "a file path": r"[\w./-]+\.(py|md|toml|ini|feature|json)\b|\b\w+/\w+/",
    "a -D knob": r"(^|[\s(])-D\b|\b\w+=\w+",
    "a tag": r"@\w",
    "a snake_case name (wire field, knob, identifier)": r"\b[a-z]+_[a-z_]+\b",
    "a wire header or field": r"\bx-[a-z]+\b|message_dim|api[_ ]?key\b",
    "code": r"\b\w+\([\w, ]*\)|\bmaim_message\b",
}


OUTLINE_ROW = re.compile(r" -- @\d+\.\d+ ?")
"""What behave appends to the title of a Scenario Outline's row."""


def engineers_words(text: str) -> list[str]:
    return [
        f"{kind}: {match.group(0).strip()!r}"
        for kind, pattern in ENGINEERS_WORDS.items()
        for match in re.finditer(pattern, text)
    ]


def test_the_check_catches_what_it_is_for():
    assert engineers_words("its on_auth is bool(api_key), in src/common/message/api.py")
    assert engineers_words("skip them with -D known_gaps=skip")
    assert engineers_words("the client chooses its x-uuid header")
    assert engineers_words("the message's own message_dim")
    assert engineers_words("tagged @known_gap.any_api_key")
    assert not engineers_words("A key for an agent Acme does not have is refused at once")
    assert not engineers_words("Fifty messages sent at once get fifty replies, in order")


@pytest.mark.parametrize("path", FEATURES, ids=lambda p: p.name)
def test_a_feature_speaks_to_the_product_owner(path: Path):
    feature = parse_file(str(path))
    text = read_description(feature.description)
    assert text.promise, "the description opens with 'Promise: <one sentence>'"
    prose = {"the promise": text.promise, "the description": text.body}
    for scenario in feature.walk_scenarios():
        title = OUTLINE_ROW.sub(" ", scenario.name)  # behave's own " -- @1.2 " stays
        prose[f"scenario {title!r}"] = " ".join([title, *scenario.description])
    found = [f"{where}: {word}" for where, said in prose.items() for word in engineers_words(said)]
    assert not found, "move these into the 'For engineers:' note:\n  " + "\n  ".join(found)


def test_the_engineers_notes_are_kept():
    """The evidence moved, it did not vanish: the notes still name the knobs and code."""
    notes = " ".join(read_description(parse_file(str(p)).description).engineers for p in FEATURES)
    for evidence in ("bool(api_key)", "x-uuid", "message_dim", "-D known_gaps=skip"):
        assert evidence in notes


def test_every_known_gap_is_still_tagged_on_a_scenario():
    tags = {
        tag.removeprefix(TAG_PREFIX)
        for path in FEATURES
        for scenario in parse_file(str(path)).walk_scenarios()
        for tag in scenario.effective_tags
        if tag.startswith(TAG_PREFIX)
    }
    assert tags == set(KNOWN_GAPS)


def test_the_promise_is_one_sentence_and_the_note_is_apart():
    text = read_description(
        [
            "Promise: a user who asks gets an answer,",
            "in time.",
            "This is what tenants pay for.",
            "For engineers: see -D reply_timeout.",
        ]
    )
    assert text.promise == "a user who asks gets an answer, in time."
    assert text.body == "This is what tenants pay for."
    assert text.engineers == "see -D reply_timeout."
    chinese = read_description(["承诺：用户提问，", "就能得到回答。", "工程师备注：见文档。"])
    assert chinese.promise == "用户提问，就能得到回答。"
    assert chinese.body == "" and chinese.engineers == "见文档。"
