"""A cast file: read when valid, one line naming the file and the entry when not."""

import asyncio
from pathlib import Path

import pytest

from maimbot_acceptance.errors import CastError, NotApplicable
from maimbot_acceptance.scenario import gherkin
from maimbot_acceptance.targets.provisioning import DEFAULT_TEMPLATE, CastProvisioner
from maimbot_acceptance.wire.cast import NAME, load_cast

ROOT = Path(__file__).resolve().parents[2]

GOOD = """
platform = "qq"

[tenants.Acme]
id = "tenant_0123456789abcdef"

[tenants.Acme.agents]
Helper = "agent_0123456789abcdef"
Sales = "agent_89abcdef01234567"

[tenants.Globex]
id = "tenant_fedcba9876543210"
agents = { Helper = "agent_fedcba9876543210" }
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "cast.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_valid_cast_maps_names_to_ids(tmp_path):
    cast = load_cast(write(tmp_path, GOOD))
    assert cast.platform == "qq"
    assert list(cast.tenants) == ["Acme", "Globex"]
    assert cast.tenants["Acme"].tenant_id == "tenant_0123456789abcdef"
    assert dict(cast.tenants["Acme"].agents) == {
        "Helper": "agent_0123456789abcdef",
        "Sales": "agent_89abcdef01234567",
    }
    assert cast.tenants["Globex"].agents["Helper"] == "agent_fedcba9876543210"
    assert cast.describe().endswith("cast.toml: 2 tenants, 3 agents")


def test_the_committed_example_is_a_valid_cast():
    cast = load_cast(ROOT / "cast.example.toml")
    assert {"Helper", "Sales"} <= set(cast.tenants["Acme"].agents)


def test_the_platform_is_optional(tmp_path):
    text = GOOD.replace('platform = "qq"', "")
    assert load_cast(write(tmp_path, text)).platform == ""


@pytest.mark.parametrize(
    ("text", "entry", "problem"),
    [
        ("[tenants.Acme\n", "not valid TOML", "line 1"),
        ("", "tenants", "names no tenant"),
        (
            'colour = "red"\n' + GOOD,
            "top level",
            "unknown key 'colour' (known: platform, tenants, dialect, bot_accounts)",
        ),
        ('platform = ""\n[tenants.Acme]\nid = "tenant_1"\nagents = {H = "a"}', "platform", "''"),
        (
            '[tenants.acme]\nid = "tenant_1"\nagents = { Helper = "agent_1" }',
            "tenants.acme",
            "'acme' is not a tenant name the features can say",
        ),
        (
            '[tenants.""]\nid = "tenant_1"\nagents = { Helper = "agent_1" }',
            "tenants.",
            "'' is not a tenant name",
        ),
        ('[tenants.Acme]\nagents = { Helper = "agent_1" }', "tenants.Acme", "missing id"),
        (
            '[tenants.Acme]\nid = "acme"\nagents = { Helper = "agent_1" }',
            "tenants.Acme.id",
            "'acme' is not a tenant id",
        ),
        (
            '[tenants.Acme]\nid = 42\nagents = { Helper = "agent_1" }',
            "tenants.Acme.id",
            "42 is not a tenant id",
        ),
        (
            '[tenants.Acme]\ntenant_id = "tenant_1"\nagents = { Helper = "agent_1" }',
            "tenants.Acme",
            "unknown key 'tenant_id' (known: id, agents)",
        ),
        ('[tenants.Acme]\nid = "tenant_1"', "tenants.Acme", "missing agents"),
        ('[tenants.Acme]\nid = "tenant_1"\nagents = {}', "tenants.Acme.agents", "must name"),
        (
            '[tenants.Acme]\nid = "tenant_1"\nagents = { Helper = "agent 1" }',
            "tenants.Acme.agents.Helper",
            "'agent 1' is not an agent id",
        ),
        (
            '[tenants.Acme]\nid = "tenant_1"\nagents = { Helper = "tenant_1:agent_1" }',
            "tenants.Acme.agents.Helper",
            "is not an agent id",
        ),
        (
            '[tenants.Acme]\nid = "tenant_1"\nagents = { Helper = "tenant_2" }',
            "tenants.Acme.agents.Helper",
            "tenant_2 is a tenant id, not an agent id",
        ),
        (
            '[tenants.Acme]\nid = "tenant_1"\nagents = { helper = "agent_1" }',
            "tenants.Acme.agents.helper",
            "'helper' is not an agent name",
        ),
        (
            '[tenants.Acme]\nid = "tenant_1"\nagents = { Helper = "agent_1", Sales = "agent_1" }',
            "tenants.Acme.agents.Sales",
            "agent_1 is already Helper's",
        ),
        (
            '[tenants.Acme]\nid = "tenant_1"\nagents = { Helper = "agent_1" }\n'
            '[tenants.Beta]\nid = "tenant_1"\nagents = { Helper = "agent_2" }',
            "tenants.Beta.id",
            "tenant_1 is already Acme's",
        ),
    ],
)
def test_a_broken_cast_is_one_line_naming_the_file_and_the_entry(tmp_path, text, entry, problem):
    path = write(tmp_path, text)
    with pytest.raises(CastError) as failure:
        load_cast(path)
    message = str(failure.value)
    assert message.startswith(f"cast file {path}: {entry}"), message
    assert problem in message, message
    assert "\n" not in message


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(CastError, match=r"cast file .*nowhere.toml: cannot be read: No such file"):
        load_cast(tmp_path / "nowhere.toml")


def test_cast_names_are_the_names_steps_accept():
    assert NAME.pattern == gherkin.NAME


# -- the cast as a provisioner ---------------------------------------------------


def test_the_provisioner_hands_out_the_cast_and_creates_nothing(tmp_path, loop):
    provisioner = CastProvisioner(load_cast(write(tmp_path, GOOD)))
    acme = loop(provisioner.create_tenant("Acme"))
    helper = loop(provisioner.create_agent(acme, "Helper", DEFAULT_TEMPLATE))
    assert helper.api_key == "tenant_0123456789abcdef:agent_0123456789abcdef"
    assert loop(provisioner.create_tenant("Acme")) == acme  # the same tenant, every scenario


def test_names_the_cast_lacks_make_the_scenario_not_applicable(tmp_path, loop):
    path = write(tmp_path, GOOD)
    provisioner = CastProvisioner(load_cast(path))
    with pytest.raises(NotApplicable) as no_tenant:
        loop(provisioner.create_tenant("Tenant1"))
    assert str(no_tenant.value) == (
        f"needs tenant 'Tenant1', which the cast {path} does not name (names there: Acme, "
        "Globex); add [tenants.Tenant1] to run this scenario"
    )
    acme = loop(provisioner.create_tenant("Acme"))
    with pytest.raises(NotApplicable, match=r"needs agent 'Billing' of tenant 'Acme'.*Helper, "):
        loop(provisioner.create_agent(acme, "Billing", DEFAULT_TEMPLATE))
    with pytest.raises(NotApplicable, match="needs a 'echo' agent 'Helper'"):
        loop(provisioner.create_agent(acme, "Helper", "echo"))


def test_a_cast_may_carry_each_agents_minted_key(tmp_path):
    path = tmp_path / "cast.toml"
    path.write_text(
        '[tenants.Acme]\nid = "tenant_0123456789ab"\n\n[tenants.Acme.agents]\n'
        'Helper = { id = "agent_0123456789ab", key = "mmc_abc" }\n',
        encoding="utf-8",
    )
    cast = load_cast(path)
    assert cast.carries_keys and cast.tenants["Acme"].keys == {"Helper": "mmc_abc"}
    assert cast.tenants["Acme"].agents == {"Helper": "agent_0123456789ab"}


def test_a_cast_gives_keys_to_every_agent_or_to_none(tmp_path):
    path = tmp_path / "cast.toml"
    path.write_text(
        '[tenants.Acme]\nid = "tenant_0123456789ab"\n\n[tenants.Acme.agents]\n'
        'Helper = { id = "agent_0123456789ab", key = "mmc_abc" }\nSales = "agent_ba9876543210"\n',
        encoding="utf-8",
    )
    with pytest.raises(CastError, match="some agents carry a key and some do not"):
        load_cast(path)


UPSTREAM = """
dialect = "upstream"
platform = "test"

[bot_accounts]
test = "10001"
qq = "10001"

[tenants.Acme]
key = "key-acme"

[tenants.Beta]
key = "key-beta"
"""


def test_an_upstream_cast_names_api_clients_by_key_and_the_bot_s_accounts(tmp_path):
    cast = load_cast(write(tmp_path, UPSTREAM))
    assert (cast.dialect, cast.platform) == ("upstream", "test")
    assert dict(cast.bot_accounts) == {"test": "10001", "qq": "10001"}
    assert {name: t.key for name, t in cast.tenants.items()} == {
        "Acme": "key-acme",
        "Beta": "key-beta",
    }
    assert cast.describe().endswith("2 API clients of upstream MaiBot, its bot on qq, test")


@pytest.mark.parametrize(
    ("old", "new", "entry", "problem"),
    [
        ('dialect = "upstream"', 'dialect = "saas"', "dialect", "is not one a cast names"),
        ('test = "10001"\nqq = "10001"', 'qq = "10001"', "bot_accounts", "no account on"),
        ('key = "key-beta"', 'key = "key-acme"', "tenants.Beta.key", "already Acme's"),
        ('key = "key-beta"', 'key = " "', "tenants.Beta.key", "is not a key"),
        ('key = "key-beta"', 'id = "tenant_x"', "tenants.Beta", "unknown key 'id'"),
    ],
)
def test_an_upstream_cast_with_a_problem_names_the_entry(tmp_path, old, new, entry, problem):
    with pytest.raises(CastError) as raised:
        load_cast(write(tmp_path, UPSTREAM.replace(old, new)))
    assert f": {entry}: " in str(raised.value)
    assert problem in str(raised.value)


def test_bot_accounts_belong_to_an_upstream_cast_only(tmp_path):
    with pytest.raises(CastError, match="bot_accounts: only a cast of dialect"):
        load_cast(write(tmp_path, GOOD + '\n[bot_accounts]\nqq = "1"\n'))


def test_upstream_s_agent_is_the_one_bot_whatever_its_name(tmp_path):
    cast = load_cast(write(tmp_path, UPSTREAM))
    provisioner = CastProvisioner(cast)
    assert provisioner.speaks.name == "upstream"

    async def helper_and_sales():
        tenant = await provisioner.create_tenant("Acme")
        helper = await provisioner.create_agent(tenant, "Helper", DEFAULT_TEMPLATE)
        sales = await provisioner.create_agent(tenant, "Sales", DEFAULT_TEMPLATE)
        return helper, sales

    helper, sales = asyncio.run(helper_and_sales())
    assert (helper.api_key, helper.agent_id) == ("key-acme", "10001")
    assert (sales.api_key, sales.agent_id) == ("key-acme", "10001")
