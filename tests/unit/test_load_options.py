"""The load knobs: one set of flags for Locust and the asyncio driver, checked before a run."""

from __future__ import annotations

import argparse

import pytest

from maimbot_acceptance.errors import SettingsError
from maimbot_acceptance.tools.load.failures import FailureLog, LoadFailure, setup_failure
from maimbot_acceptance.tools.load.options import LoadOptions, add_arguments

URLS = ["--server-url", "ws://127.0.0.1:8095/ws", "--config-url", "http://127.0.0.1:8000"]


def parse(*argv: str) -> LoadOptions:
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    return LoadOptions.from_namespace(parser.parse_args(list(argv)))


def test_flags_become_options_with_their_types():
    options = parse(*URLS, "--reply-timeout", "60", "--think-time", "0.5", "--platform", "qq")
    assert options.reply_timeout == 60.0 and options.think_time == 0.5
    assert options.platform == "qq" and options.connect_timeout == 5.0


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ([], "--server-url is required"),
        (URLS[:2], "--config-url or --cast is required"),
        (["--server-url", "http://x:1/ws", *URLS[2:]], "--server-url='http://x:1/ws' is not"),
        ([*URLS, "--reply-timeout", "0"], "--reply-timeout=0.0 must be above 0 s"),
        ([*URLS, "--think-time", "-1"], "--think-time=-1.0 must not be negative"),
        ([*URLS, "--cast", "cast.example.toml"], "give --config-url or --cast, not both"),
        ([*URLS[:2], "--cast", "no/such/cast.toml"], "cast file no/such/cast.toml: cannot be"),
    ],
)
def test_a_bad_knob_is_named(argv, message):
    with pytest.raises(SettingsError, match=message.replace("?", r"\?")):
        parse(*argv)


def test_a_cast_replaces_the_config_api():
    options = parse(*URLS[:2], "--cast", "cast.example.toml")
    assert options.cast == "cast.example.toml" and options.config_url == ""


def test_a_failure_shows_its_stable_kind_and_keeps_its_detail():
    failure = setup_failure(TimeoutError("config API slow for load user 7"))
    assert str(failure) == "timed out" and "load user 7" in failure.detail
    assert str(setup_failure(KeyError("x"))) == "unexpected KeyError"


def test_the_failure_log_details_the_first_few_of_each_kind_only(caplog):
    log = FailureLog(detailed_per_kind=2)
    for number in range(5):
        log.note(LoadFailure("duplicate reply", f"detail {number}"))
    log.note(LoadFailure("send failed", "closed"))
    assert log.counts == {"duplicate reply": 5, "send failed": 1}
    details = [r.getMessage() for r in caplog.records]
    assert len(details) == 3
    assert "duplicate reply #2 (further ones are only counted): detail 1" in details[1]
