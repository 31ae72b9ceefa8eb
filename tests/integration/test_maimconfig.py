"""Provisioning through MaimConfig's v2 API (the reference server in the saas dialect):
found out at first contact, minted keys that connect, everything removed at the end."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from maimbot_acceptance.errors import ConnectRefused, ProvisioningError
from maimbot_acceptance.server import EmbeddedServer, ServerOptions
from maimbot_acceptance.targets.maimconfig import MaimConfigProvisioner, control_plane_of
from maimbot_acceptance.targets.provisioning import Tenant
from maimbot_acceptance.wire.client import TenantMessageClient
from maimbot_acceptance.wire.dialects import DIALECTS, parse_mmc_key


@pytest.fixture(scope="module")
def saas_server() -> Iterator[EmbeddedServer]:
    server = EmbeddedServer(ServerOptions(dialect="saas")).start()
    yield server
    server.stop()


def client(server: EmbeddedServer, api_key: str) -> TenantMessageClient:
    return TenantMessageClient(
        api_key=api_key, platform="test", server_url=server.server.server_url, label="probe"
    )


def test_first_contact_tells_maimconfig_from_the_v1_config_api(loop, saas_server, server):
    assert loop(control_plane_of(saas_server.server.config_url or "", 5)) == "v2"
    assert loop(control_plane_of(server.server.config_url or "", 5)) == "v1"


def test_minted_keys_connect_and_forged_ones_are_refused(loop, saas_server):
    provisioner = MaimConfigProvisioner(saas_server.server.config_url or "")
    try:
        tenant = loop(provisioner.create_tenant("Acme"))
        helper = loop(provisioner.create_agent(tenant, "Helper", "friendly_assistant"))
        assert re.fullmatch(r"tenant_[0-9a-f]{12}", tenant.tenant_id)
        minted = parse_mmc_key(helper.api_key)
        assert minted is not None and minted.agent_id == helper.agent_id
        genuine = client(saas_server, helper.api_key)
        loop(genuine.connect(5))
        loop(genuine.disconnect())
        forged = client(saas_server, DIALECTS["saas"].forge_key(tenant.tenant_id, helper.agent_id))
        with pytest.raises(ConnectRefused, match="never minted"):
            loop(forged.connect(5))
        loop(forged.disconnect())
        assert loop(provisioner.remove_created()) == ""
        assert tenant.tenant_id not in saas_server.server.registry.tenants
        assert helper.api_key not in saas_server.server.registry.keys
    finally:
        loop(provisioner.close())


def test_a_refusal_in_an_http_200_is_a_provisioning_error_naming_its_code(loop, saas_server):
    provisioner = MaimConfigProvisioner(saas_server.server.config_url or "")
    try:
        nobody = Tenant("Ghost", "tenant_000000000000")
        with pytest.raises(ProvisioningError, match="AGENT_001"):
            loop(provisioner.create_agent(nobody, "Helper", "friendly_assistant"))
    finally:
        loop(provisioner.close())
