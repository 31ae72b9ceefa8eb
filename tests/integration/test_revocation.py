"""Keys taken back on the reference server: MaimConfig's routes (saas dialect) and v1's
agent delete; validate-api-key's codes; open connections closed, saying why; and the
provisioners' way to each, or why there is none."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import aiohttp
import pytest

from maimbot_acceptance.errors import ConnectRefused, NotApplicable
from maimbot_acceptance.server import EmbeddedServer, ServerOptions
from maimbot_acceptance.targets.maimconfig import MaimConfigProvisioner
from maimbot_acceptance.targets.provisioning import REVOCATIONS, Agent
from maimbot_acceptance.wire.client import TenantMessageClient


@pytest.fixture(scope="module")
def saas_server() -> Iterator[EmbeddedServer]:
    server = EmbeddedServer(ServerOptions(dialect="saas")).start()
    yield server
    server.stop()


@pytest.fixture
def maimconfig(loop, saas_server) -> Iterator[MaimConfigProvisioner]:
    provisioner = MaimConfigProvisioner(saas_server.server.config_url or "")
    yield provisioner
    assert loop(provisioner.remove_created()) == ""  # what went with an agent is no leftover
    loop(provisioner.close())


def helper_of(loop, provisioner: Any) -> Agent:
    return loop(provisioner.create_agent(loop(provisioner.create_tenant("Acme")), "Helper", "echo"))


def connected(loop, server: EmbeddedServer, agent: Agent) -> TenantMessageClient:
    client = TenantMessageClient(
        api_key=agent.api_key, platform="test", server_url=server.server.server_url, label="Alice"
    )
    loop(client.connect(5))
    return client


def validate(loop, server: EmbeddedServer, api_key: str) -> dict[str, Any]:
    async def ask() -> dict[str, Any]:
        url = f"{server.server.config_url}/api/v2/auth/validate-api-key"
        async with (
            aiohttp.ClientSession() as session,
            session.post(url, json={"api_key": api_key}) as r,
        ):
            answer: dict[str, Any] = await r.json()
            return answer

    return loop(ask())


@pytest.mark.parametrize(
    ("how", "code"),
    [
        ("deleted", "AUTH_005"),
        ("disabled", "AUTH_004"),
        ("expired", "AUTH_002"),
        ("agent deleted", "AUTH_005"),
        ("tenant deleted", "AUTH_005"),
    ],
)
def test_a_key_taken_back_is_refused_saying_how_and_its_connection_closed_saying_why(
    loop, saas_server, maimconfig, how, code
):
    helper = helper_of(loop, maimconfig)
    assert validate(loop, saas_server, helper.api_key)["success"] is True
    alice = connected(loop, saas_server, helper)
    try:
        loop(maimconfig.revoke(helper, how))
        assert loop(alice.wait_until_lost(2)) is not None
        said = [e.detail for e in alice.log.events if e.kind == "verdict" and not e.accepted]
        assert said == [f"api key {helper.api_key!r} was revoked: {how}"]
        answer = validate(loop, saas_server, helper.api_key)
        assert (answer["success"], answer["error_code"]) == (False, code)
        mallory = TenantMessageClient(
            api_key=helper.api_key, platform="test", server_url=saas_server.server.server_url
        )
        with pytest.raises(ConnectRefused, match=f"was revoked: {how}"):
            loop(mallory.connect(5))
        loop(mallory.disconnect())
    finally:
        loop(alice.disconnect())


def test_a_shapeless_key_is_auth_001(loop, saas_server):
    assert validate(loop, saas_server, "not-a-key")["error_code"] == "AUTH_001"


def test_a_disable_the_control_plane_does_not_show_is_not_applicable(loop, maimconfig):
    """MaimConfig 3cd61cc answers PUT status=disabled with success and ignores it."""
    helper = helper_of(loop, maimconfig)
    real_call = maimconfig._call

    async def ignoring_status(method: str, path: str, body: dict[str, Any] | None) -> Any:
        if method == "PUT":
            return {"api_key_id": path.rsplit("/", 1)[-1]}
        return await real_call(method, path, body)

    maimconfig._call = ignoring_status  # type: ignore[method-assign]
    with pytest.raises(NotApplicable, match="status is 'active' after it"):
        loop(maimconfig.revoke(helper, "disabled"))


def test_the_v1_config_api_takes_a_key_back_only_with_its_agent(loop, server, provisioner):
    helper = helper_of(loop, provisioner)
    for how in REVOCATIONS:
        if how != "agent deleted":
            with pytest.raises(NotApplicable, match="v1 config API cannot"):
                loop(provisioner.revoke(helper, how))
    alice = connected(loop, server, helper)
    try:
        loop(provisioner.revoke(helper, "agent deleted"))
        assert loop(alice.wait_until_lost(2)) is not None
        mallory = TenantMessageClient(
            api_key=helper.api_key, platform="test", server_url=server.server.server_url
        )
        with pytest.raises(ConnectRefused, match="was revoked: agent deleted"):
            loop(mallory.connect(5))
        loop(mallory.disconnect())
    finally:
        loop(alice.disconnect())


def test_the_fault_keeps_a_revoked_key_and_its_connection(loop):
    server = EmbeddedServer(ServerOptions(dialect="saas", fault="accept-revoked-key")).start()
    provisioner = MaimConfigProvisioner(server.server.config_url or "")
    try:
        helper = helper_of(loop, provisioner)
        alice = connected(loop, server, helper)
        loop(provisioner.revoke(helper, "deleted"))
        assert loop(alice.wait_until_lost(0.3)) is None
        mallory = connected(loop, server, helper)
        loop(mallory.disconnect())
        loop(alice.disconnect())
    finally:
        loop(provisioner.close())
        server.stop()
