"""Connection attempts and silence checks: what the security scenarios stand on."""

import pytest
from hamcrest import assert_that, contains_string
from hamcrest.core.string_description import StringDescription

from maimbot_acceptance.errors import ScenarioError
from maimbot_acceptance.scenario import attempts
from maimbot_acceptance.scenario.world import World
from maimbot_acceptance.targets.settings import Settings
from maimbot_acceptance.wire.client import TenantMessageClient
from maimbot_acceptance.wire.dialects import DIALECTS, parse_mmc_key


def attempt(loop, server, api_key: str) -> attempts.Attempt:
    client = TenantMessageClient(
        tenant_id="t",
        agent_id="a",
        api_key=api_key,
        platform="test",
        server_url=server.server.server_url,
        label=f"Mallory ({api_key})",
    )
    try:
        return loop(attempts.attempt_connection("Mallory", client, 5))
    finally:
        loop(client.disconnect())


def test_a_refused_attempt_is_refused_within_a_second(loop, server):
    made = attempt(loop, server, attempts.key_of_unknown_tenant(DIALECTS["reference"]))
    assert not made.accepted
    assert attempts.refused_within(1.0).matches(made)


def test_an_accepted_attempt_says_it_was_let_in(loop, server, new_agent):
    helper = new_agent("Helper")
    made = attempt(loop, server, helper.api_key)
    description = StringDescription()
    attempts.refused_within(1.0).describe_mismatch(made, description)
    assert made.accepted
    assert_that(str(description), contains_string("Mallory was let in"))


def test_forged_keys_have_the_shapes_they_claim(new_agent):
    helper = new_agent("Helper")
    reference, saas = DIALECTS["reference"], DIALECTS["saas"]
    assert attempts.key_of_unknown_tenant(reference).startswith("tenant_")
    assert attempts.key_of_unknown_agent(reference, "tenant_x").startswith("tenant_x:agent_")
    assert ":" not in attempts.shapeless_key(helper.agent_id)
    forged = parse_mmc_key(attempts.key_of_unknown_agent(saas, "tenant_x"))
    assert forged is not None and forged.tenant_id == "tenant_x"
    assert forged.agent_id.startswith("agent_") and forged.version == "v1"


def test_a_silence_check_without_a_positive_control_refuses_to_pass(loop, provisioner, server):
    world = World.create(
        settings=Settings(),
        loop=loop.thread,
        provisioner=provisioner,
        server_url=server.server.server_url,
    )
    with pytest.raises(ScenarioError, match="needs a reply to have reached its rightful owner"):
        world.delivery.expect_silence([])
