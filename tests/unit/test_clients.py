"""One way to build a client: on the target's wire; on both, alternating, from a start
the scenario's name picks."""

import pytest

from maimbot_acceptance.targets.clients import ClientMaker
from maimbot_acceptance.targets.provisioning import Agent, Tenant

URL = "ws://127.0.0.1:1/ws"
HELPER = Agent("Helper", "agent_a", Tenant("Acme", "tenant_a"), "tenant_a:agent_a")


def test_a_client_of_an_agent_carries_its_key_tenant_and_id():
    client = ClientMaker(URL, "plain", auth_settle=0.1).for_agent(HELPER, "qq", "Alice")
    assert (client.api_key, client.tenant_id, client.agent_id) == (
        "tenant_a:agent_a",
        "tenant_a",
        "agent_a",
    )
    assert (client.platform, client.wire, client.auth_settle, client.label) == (
        "qq",
        "plain",
        0.1,
        "Alice",
    )


def test_overrides_and_additional_config_reach_the_client():
    maker = ClientMaker(URL, "socketio", additional_config={"platform_io_account_id": "10001"})
    client = maker.for_key("bad", "test", "Mallory", connection_id="acc_x")
    assert client.connection_id == "acc_x"
    assert client.additional_config == {"platform_io_account_id": "10001"}
    per_platform = ClientMaker(URL, "plain", additional_config=lambda p: {"account": f"bot@{p}"})
    assert per_platform.for_key("k", "qq", "A").additional_config == {"account": "bot@qq"}


def test_a_mixed_maker_alternates_and_says_which_wire_each_is_on():
    maker = ClientMaker(URL, "mixed")
    clients = [maker.for_agent(HELPER, "test", f"c{n}") for n in range(4)]
    assert [c.wire for c in clients] == ["socketio", "plain", "socketio", "plain"]
    assert clients[1].label == "c1 over plain WebSocket"


def test_a_scenarios_name_picks_its_first_wire_the_same_every_run():
    firsts = {
        name: ClientMaker(URL, "mixed", first=name).next_wire()
        for name in ("Alice asks", "Bob asks", "Carol asks", "Dave asks")
    }
    assert set(firsts.values()) == {"socketio", "plain"}
    assert all(ClientMaker(URL, "mixed", first=n).next_wire() == w for n, w in firsts.items())


def test_an_unknown_wire_is_refused():
    with pytest.raises(ValueError, match="unknown wire 'carrier-pigeon'"):
        ClientMaker(URL, "carrier-pigeon")
