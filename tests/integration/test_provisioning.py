"""Provisioning through the config API, and one clear line when it cannot."""

import re
import time

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
    assert f"config API (config_url={failing_config_api}) answered 500" in message
    assert "database is down" in message and "\n" not in message


def test_an_unreachable_config_api_is_named(loop):
    provisioner = ConfigApiProvisioner("http://127.0.0.1:1")
    with pytest.raises(ProvisioningError, match=r"config_url=http://127.0.0.1:1\) unreachable"):
        loop(provisioner.create_tenant("Acme"))
    loop(provisioner.close())
