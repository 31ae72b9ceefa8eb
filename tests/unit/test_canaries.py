"""The canary judge: a canary is found however it is dressed, and only where it is."""

from maimbot_acceptance.judging.canaries import carries, normalised, sightings

CANARY = "ORCHID-7342"


def full_width(text: str) -> str:
    """ASCII letters, digits and punctuation as their full-width forms (U+FF01..)."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def test_case_width_spaces_and_punctuation_are_normalised_away():
    assert normalised(full_width("Orchid") + " \u2013 7 3 4 2!") == "orchid7342"
    for dressed in (
        "orchid7342",
        "The word: Orchid 7342.",
        full_width("ORCHID-7342"),
        "o.r.c.h.i.d-7-3-4-2",
    ):
        assert carries(CANARY, dressed), dressed


def test_a_text_without_the_canary_does_not_carry_it():
    assert not carries(CANARY, "orchid 7343")
    assert not carries(CANARY, "7342 orchid")
    assert sightings([CANARY], "Bob", ["Helper heard: What is the code word?"]) == []


def test_a_canary_split_over_messages_is_found_with_the_messages_that_carry_it():
    texts = ["Hello", "the word is ORCH", "ID-73", "42, bye", "later"]
    [seen] = sightings([CANARY], "Bob's connection", texts)
    assert seen.texts == ("the word is ORCH", "ID-73", "42, bye")
    assert "split over 3 messages" in seen.describe()


def test_a_canary_whole_in_one_message_names_that_message_only():
    texts = ["orchid", "nothing", "it is orchid-7342", "orchid-7342 again"]
    [seen] = sightings([CANARY], "Bob", texts)
    assert seen.texts == ("it is orchid-7342",)


def test_every_canary_is_reported_and_an_empty_one_never_matches():
    found = sightings(["alpha1", "beta2", ""], "prompt", ["alpha1 and beta2"])
    assert [s.canary for s in found] == ["alpha1", "beta2"]
