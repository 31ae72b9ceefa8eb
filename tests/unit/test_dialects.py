"""What a key names, read from recorded traffic of either dialect."""

from maimbot_acceptance.wire.dialects import ids_named_by, mmc_key, tenant_agent_key


def test_a_tenant_agent_key_names_its_tenant_and_agent():
    assert ids_named_by(tenant_agent_key("tenant_aa", "agent_bb")) == ("tenant_aa", "agent_bb")


def test_a_minted_key_names_the_tenant_and_agent_inside_it():
    key = mmc_key("tenant_0123456789ab", "agent_ba9876543210")
    assert ids_named_by(key) == ("tenant_0123456789ab", "agent_ba9876543210")


def test_a_key_of_neither_shape_names_nobody():
    assert ids_named_by("mmc_not-base64!") == ("", "")
    assert ids_named_by("just-a-secret") == ("", "")
