"""Provisioning through the config API, and one clear line when it cannot."""

import re
import time

import aiohttp
import pytest
from aiohttp import web

from maimbot_acceptance.errors import ProvisioningError
from maimbot_acceptance.targets.provisioning import ConfigApiProvisioner


def test_creates_a_tenant_and_its_agents(loop, provisioner):
    tenant = loop(provisioner.create_tenant("Acme"))
    helper = loop(provisioner.create_agent(tenant, "Helper", "friendly_assistant"))
    sales = loop(provisioner.create_agent(tenant, "Sales", "friendly_assistant"))
    assert re.fullmatch(r"tenant_[0-9a-f]{16}", tenant.tenant_id)
    assert helper.agent_id != sales.agent_id
    assert helper.api_key == f"{tenant.tenant_id}:{helper.agent_id}"


def test_each_call_makes_a_fresh_tenant_even_with_the_same_name(loop, provisioner):
    first = loop(provisioner.create_tenant("Acme"))
    second = loop(provisioner.create_tenant("Acme"))
    assert first.tenant_id != second.tenant_id


@pytest.fixture
def failing_config_api(loop):
    async def broken(request):
        return web.Response(status=500, text="Internal Server Error: database is down")

    async def start():
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", broken)
        runner = web.AppRunner(app)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        return runner

    runner = loop(start())
    yield f"http://127.0.0.1:{runner.addresses[0][1]}"
    loop(runner.cleanup())


def test_a_config_api_answering_500_is_named_with_the_answer(loop, failing_config_api):
    provisioner = ConfigApiProvisioner(failing_config_api)
    started = time.monotonic()
    with pytest.raises(ProvisioningError) as failure:
        loop(provisioner.create_tenant("Acme"))
    loop(provisioner.close())
    assert time.monotonic() - started < 1.0
    message = str(failure.value)
    assert f"config API POST {failing_config_api}/api/v1/auth/register answered 500" in message
    assert "database is down" in message and "\n" not in message


def test_an_unreachable_config_api_is_named(loop):
    provisioner = ConfigApiProvisioner("http://127.0.0.1:1")
    with pytest.raises(ProvisioningError, match=r"config_url=http://127.0.0.1:1\) unreachable"):
        loop(provisioner.create_tenant("Acme"))
    loop(provisioner.close())


# -- the reference config API validates as MaiMBot's v1 API does ----------------------


@pytest.fixture
def config_url(server):
    return server.server.config_url


async def _post(url, body, token=""):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, json=body, headers=headers) as answer,
    ):
        return answer.status, await answer.json(content_type=None)


async def _get(url, token):
    async with (
        aiohttp.ClientSession() as session,
        session.get(url, headers={"Authorization": f"Bearer {token}"}) as answer,
    ):
        return answer.status, await answer.json(content_type=None)


@pytest.mark.parametrize(
    ("field", "value", "said"),
    [
        ("email", "someone@example.invalid", "special-use or reserved name"),
        ("email", "someone@shop.test", "special-use or reserved name"),
        ("email", "no-at-sign", "must have an @-sign"),
        ("username", "ab", "3 to 50 characters"),
        ("password", "12345", "at least 6 characters"),
        ("tenant_type", "team", "personal or enterprise"),
    ],
)
def test_the_reference_config_api_refuses_what_maimbot_refuses(
    loop, config_url, field, value, said
):
    body = {
        "username": f"testuser_{time.time_ns()}",
        "password": "secret123",
        "tenant_name": "Acme",
    }
    body[field] = value
    status, answer = loop(_post(config_url + "/api/v1/auth/register", body))
    assert status == 422
    assert answer["detail"][0]["loc"] == ["body", field]
    assert said in answer["detail"][0]["msg"]


def test_the_suite_registers_as_maimbots_own_clients_do(loop, provisioner):
    """An example.com address (MaiMBot's EmailStr takes it) and a testuser_ name."""
    tenant = loop(provisioner.create_tenant("Acme"))
    assert tenant.tenant_id.startswith("tenant_")


def test_stats_and_the_slashless_agents_path_are_served(loop, config_url):
    body = {
        "username": f"testuser_{time.time_ns()}",
        "password": "secret123",
        "email": "t2@example.com",
    }
    status, session = loop(_post(config_url + "/api/v1/auth/register", body))
    assert status == 201
    token = session["access_token"]
    status, agent = loop(
        _post(config_url + "/api/v1/agents", {"name": "Helper", "template_id": "echo"}, token)
    )
    assert status == 200 and agent["agent_id"].startswith("agent_")
    status, listed = loop(_get(config_url + "/api/v1/agents", token))
    assert [a["agent_id"] for a in listed] == [agent["agent_id"]]
    status, stats = loop(_get(config_url + "/api/v1/tenant/stats", token))
    assert status == 200
    assert stats["total_agents"] == 1 and stats["tenant_id"] == session["user_info"]["tenant_id"]
