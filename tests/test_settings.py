"""Userdata knobs: defaults, and one line naming the knob when a value is wrong."""

import pytest

from maimbot_acceptance.errors import SettingsError
from maimbot_acceptance.settings import Settings


def test_defaults_target_the_embedded_reference_server():
    settings = Settings.from_userdata({})
    assert settings.uses_embedded_server and settings.server_kind == "reference"
    assert settings.reply_timeout == 5.0


def test_a_deployment_is_a_maimbot_unless_told_otherwise():
    settings = Settings.from_userdata(
        {"server_url": "ws://h:8095/ws", "config_url": "http://h:8000"}
    )
    assert settings.server_kind == "maimbot"
    assert (
        Settings.from_userdata(
            {"server_url": "ws://h:8095/ws", "config_url": "http://h:8000", "server": "reference"}
        ).server_kind
        == "reference"
    )


def test_numbers_are_read_from_strings():
    assert (
        Settings.from_userdata({"reply_timeout": "60", "quiet_window": "0.5"}).quiet_window == 0.5
    )


@pytest.mark.parametrize(
    ("userdata", "message"),
    [
        ({"reply_timeout": "soon"}, "reply_timeout='soon' is not a number of seconds"),
        ({"connect_timeout": "0"}, "connect_timeout=0.0 must be above 0 s"),
        ({"server_url": "http://h:8095"}, "server_url='http://h:8095' is not a valid URL"),
        ({"server_url": "ws://h:port/ws", "config_url": "http://h"}, "server_url='ws://h:port/ws'"),
        ({"server_url": "ws://h:8095/ws"}, "server_url is set but config_url is not"),
        ({"config_url": "ftp://h"}, "config_url='ftp://h' is not a valid URL"),
        ({"library_log_level": "LOUD"}, "library_log_level='LOUD' is not a log level"),
        ({"server": "mock"}, "server='mock' must be 'reference' or 'maimbot'"),
        ({"heartbeat": "0.5"}, "heartbeat=0.5 must be a whole number of seconds, at least 1"),
    ],
)
def test_a_bad_value_names_its_knob(userdata, message):
    with pytest.raises(SettingsError) as failure:
        Settings.from_userdata(userdata)
    assert message in str(failure.value)
    assert "\n" not in str(failure.value)
