"""Userdata knobs: defaults, and one line naming the knob when a value is wrong."""

import pytest

from maimbot_acceptance.errors import SettingsError
from maimbot_acceptance.targets.settings import Settings


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


def test_the_repeat_window_is_three_quiet_windows_unless_given():
    assert Settings.from_userdata({"quiet_window": "2"}).repeat_span == 6
    assert Settings.from_userdata({"repeat_window": "4"}).repeat_span == 4
    assert Settings.from_userdata({"shared_memory_groups": " g1, g2,"}).shared_groups == [
        "g1",
        "g2",
    ]


def test_numbers_are_read_from_strings():
    assert (
        Settings.from_userdata({"reply_timeout": "60", "quiet_window": "2.5"}).quiet_window == 2.5
    )


@pytest.mark.parametrize(
    ("userdata", "message"),
    [
        ({"reply_timeout": "soon"}, "reply_timeout='soon' is not a number of seconds"),
        ({"connect_timeout": "0"}, "connect_timeout=0.0 must be above 0 s"),
        ({"server_url": "http://h:8095"}, "server_url='http://h:8095' is not a valid URL"),
        ({"server_url": "ws://h:port/ws", "config_url": "http://h"}, "server_url='ws://h:port/ws'"),
        ({"server_url": "ws://h:8095/ws"}, "server_url is set but neither config_url nor cast"),
        (
            {"server_url": "ws://h:8095/ws", "config_url": "http://h", "cast": "cast.example.toml"},
            "config_url and cast are both set",
        ),
        ({"cast": "no/such/cast.toml"}, "cast file no/such/cast.toml: cannot be read"),
        ({"config_url": "ftp://h"}, "config_url='ftp://h' is not a valid URL"),
        ({"library_log_level": "LOUD"}, "library_log_level='LOUD' is not a log level"),
        ({"server": "mock"}, "server='mock' must be 'reference' or 'maimbot'"),
        ({"max_message_size": "2MB"}, "max_message_size='2MB' is not a whole number"),
        ({"max_message_size": "-1"}, "max_message_size=-1 must not be negative"),
        ({"known_gaps": "hide"}, "known_gaps='hide' must be 'check' or 'skip'"),
        ({"heartbeat": "0.5"}, "heartbeat=0.5 must be a whole number of seconds, at least 1"),
        ({"replay_pace": "slow"}, "replay_pace='slow' must be 'recorded' or 'fast'"),
        ({"replay_slack": "0"}, "replay_slack=0.0 must be above 0"),
        ({"replay_max_pause": "0"}, "replay_max_pause=0.0 must be above 0 s"),
        ({"notice_slack": "-1"}, "notice_slack=-1.0 must be above 0 s"),
        ({"repeat_window": "-1"}, "repeat_window=-1.0 must not be negative"),
    ],
)
def test_a_bad_value_names_its_knob(userdata, message):
    with pytest.raises(SettingsError) as failure:
        Settings.from_userdata(userdata)
    assert message in str(failure.value)
    assert "\n" not in str(failure.value)


def test_with_a_cast_no_config_api_is_needed_and_its_platform_is_used(tmp_path):
    cast = tmp_path / "cast.toml"
    cast.write_text(
        'platform = "qq"\n[tenants.Acme]\nid = "tenant_1"\nagents = { Helper = "agent_1" }\n'
    )
    settings = Settings.from_userdata(
        {"server_url": "ws://h:8095/ws", "cast": str(cast), "platform": "test"}
    )
    assert settings.config_url == "" and settings.platform == "qq"
    assert settings.cast_file is not None and settings.cast_file.tenants["Acme"].tenant_id == (
        "tenant_1"
    )


def test_a_broken_cast_stops_the_settings_with_its_one_line(tmp_path):
    cast = tmp_path / "cast.toml"
    cast.write_text('[tenants.Acme]\nid = "acme"\nagents = { Helper = "agent_1" }\n')
    with pytest.raises(SettingsError) as failure:
        Settings.from_userdata({"server_url": "ws://h:8095/ws", "cast": str(cast)})
    assert str(failure.value).startswith(f"cast file {cast}: tenants.Acme.id: 'acme' is not")


def test_the_message_size_limit_is_the_targets_unless_given():
    deployment = {"server_url": "ws://h:8095/ws", "config_url": "http://h:8000"}
    assert Settings.from_userdata({}).message_size_limit == 2 * 1024 * 1024
    # The embedded server is a reference server, even when previewing a MaiMBot run.
    assert Settings.from_userdata({"server": "maimbot"}).message_size_limit == 2 * 1024 * 1024
    assert Settings.from_userdata(deployment).message_size_limit == 104_857_600
    given = Settings.from_userdata({**deployment, "max_message_size": "4096"})
    assert given.message_size_limit == 4096


def test_known_gaps_are_checked_unless_told_otherwise():
    assert Settings.from_userdata({}).known_gaps == "check"
    assert Settings.from_userdata({"known_gaps": "skip"}).known_gaps == "skip"


def test_a_misspelt_knob_is_refused_naming_the_knob_it_resembles():
    with pytest.raises(
        SettingsError, match="reply_timout is not a knob of this suite; did you mean reply_timeout"
    ):
        Settings.from_userdata({"reply_timout": "60"})


@pytest.mark.parametrize(
    "name, said",
    [
        ("timeout", "userdata timeout is not a knob of this suite; did you mean reply_timeout?"),
        ("parallel", "userdata parallel is not a knob of this suite (knobs: "),
    ],
)
def test_any_name_that_is_no_knob_is_refused_with_the_closest_knob(name, said):
    with pytest.raises(SettingsError) as refused:
        Settings.from_userdata({name: "60"})
    assert str(refused.value).startswith(said)


def test_behaves_and_behavex_userdata_passes_and_the_replay_knobs_are_read():
    settings = Settings.from_userdata(
        {"behave.formatter.html-pretty.title_string": "x", "replay_pace": "fast", "worker_id": "2"}
    )
    assert (settings.reply_timeout, settings.replay_pace) == (5.0, "fast")


def test_a_cast_with_keys_seeds_only_the_saas_dialect(tmp_path):
    cast = tmp_path / "cast.toml"
    cast.write_text(
        '[tenants.Acme]\nid = "tenant_0123456789ab"\n\n[tenants.Acme.agents]\n'
        'Helper = { id = "agent_0123456789ab", key = "mmc_abc" }\n',
        encoding="utf-8",
    )
    with pytest.raises(SettingsError, match="reference_dialect=reference wants one without"):
        Settings.from_userdata({"cast": str(cast)})
    seeded = Settings.from_userdata({"cast": str(cast), "reference_dialect": "saas"})
    assert seeded.cast_file is not None and seeded.cast_file.carries_keys


def test_the_control_plane_and_dialect_knobs_take_only_their_values():
    with pytest.raises(SettingsError, match="control_plane='v3'"):
        Settings.from_userdata({"control_plane": "v3"})
    with pytest.raises(SettingsError, match="reference_dialect='api'"):
        Settings.from_userdata({"reference_dialect": "api"})


def test_the_wire_knob_takes_only_the_wires_the_suite_speaks():
    with pytest.raises(SettingsError, match="wire='websocket' must be one of auto, socketio"):
        Settings.from_userdata({"wire": "websocket"})
    assert Settings.from_userdata({"wire": "plain"}).wire == "plain"
    assert Settings.from_userdata({}).wire == "auto"
