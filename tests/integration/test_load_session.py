"""A load user's session: provisions, connects, and judges every exchange it makes."""

from __future__ import annotations

import pytest

from maimbot_acceptance.server import ReferenceServer, ServerOptions
from maimbot_acceptance.targets.provisioning import ConfigApiProvisioner
from maimbot_acceptance.tools.load.failures import CROSS_TENANT_DELIVERY, DUPLICATE_REPLY
from maimbot_acceptance.tools.load.options import LoadOptions
from maimbot_acceptance.tools.load.session import CastAgents, ChatSession, ProvisionedAgents
from maimbot_acceptance.wire.cast import load_cast

TEMPLATE = "friendly_assistant"


@pytest.fixture
def sessions(loop):
    """sessions(fault, count) -> that many connected sessions on a fresh reference server."""
    servers: list[ReferenceServer] = []
    opened: list[ChatSession] = []
    provisioners: list[ConfigApiProvisioner] = []

    def start(fault: str = "", count: int = 1, reply_timeout: float = 2.0) -> list[ChatSession]:
        server = ReferenceServer(ServerOptions(fault=fault))
        loop(server.start())
        servers.append(server)
        assert server.config_url is not None
        provisioner = ConfigApiProvisioner(server.config_url)
        provisioners.append(provisioner)
        options = LoadOptions(
            server_url=server.server_url,
            config_url=server.config_url,
            reply_timeout=reply_timeout,
        )
        made = []
        for _ in range(count):
            session = ChatSession(options, ProvisionedAgents(provisioner, TEMPLATE))
            opened.append(session)
            assert loop(session.provision()).failure is None
            assert loop(session.connect()).failure is None
            made.append(session)
        return made

    yield start
    for session in opened:
        loop(session.close())
    for provisioner in provisioners:
        loop(provisioner.close())
    for server in servers:
        loop(server.stop())


def kinds(attempts):
    return [a.failure.kind if a.failure else None for a in attempts]


def test_a_correct_server_answers_every_exchange_in_time(loop, sessions):
    (session,) = sessions()
    attempts = [loop(session.exchange()) for _ in range(5)]
    assert kinds(attempts) == [None] * 5
    assert all(0 < a.seconds < 2 and a.length > 0 for a in attempts)
    assert session.client.inbox.arrivals == ()  # judged, then forgotten


def test_a_reply_leaked_from_another_tenant_is_a_cross_tenant_delivery(loop, sessions):
    first, second = sessions("leak-cross-tenant", count=2)
    assert loop(first.exchange()).failure is None  # its own reply came; the copy went to second
    leaked = loop(second.exchange()).failure
    assert leaked is not None and str(leaked) == CROSS_TENANT_DELIVERY
    assert first.agent.api_key in leaked.detail  # says whose message it was


def test_a_second_copy_of_a_reply_is_a_duplicate(loop, sessions):
    (session,) = sessions("duplicate-reply")
    attempts = [loop(session.exchange()) for _ in range(3)]
    assert attempts[0].failure is None
    assert DUPLICATE_REPLY in kinds(attempts[1:])
    assert set(kinds(attempts)) <= {None, DUPLICATE_REPLY}


def test_a_dropped_reply_fails_at_the_reply_timeout_and_nothing_else_does(loop, sessions):
    (session,) = sessions("drop-reply", reply_timeout=0.5)  # drops every third reply
    attempts = [loop(session.exchange()) for _ in range(4)]
    assert kinds(attempts) == [None, None, "no reply within 0.5 s", None]
    assert 0.5 <= attempts[2].seconds < 1.5
    assert "no expected message within 0.50 s" in attempts[2].failure.detail


def test_an_unreachable_config_api_fails_provisioning_with_a_stable_name(loop):
    options = LoadOptions(server_url="ws://127.0.0.1:1/ws", config_url="http://127.0.0.1:1")
    provisioner = ConfigApiProvisioner(options.config_url)
    try:
        attempt = loop(ChatSession(options, ProvisionedAgents(provisioner, TEMPLATE)).provision())
    finally:
        loop(provisioner.close())
    assert str(attempt.failure) == "provisioning failed"
    assert "config_url=http://127.0.0.1:1" in attempt.failure.detail


def test_an_unreachable_server_fails_connecting_with_a_stable_name(loop, server, provisioner):
    assert server.server.config_url
    options = LoadOptions(server_url="ws://127.0.0.1:1/ws", config_url=server.server.config_url)
    session = ChatSession(options, ProvisionedAgents(provisioner, TEMPLATE))
    assert loop(session.provision()).failure is None
    attempt = loop(session.connect())
    assert str(attempt.failure) == "nothing listening at server_url"
    assert "127.0.0.1:1" in attempt.failure.detail


CAST = """
[tenants.Acme]
id = "tenant_load_acme"
[tenants.Acme.agents]
Helper = "agent_load_helper"
Sales = "agent_load_sales"
"""


def test_a_casts_agents_are_handed_out_in_turn(loop, tmp_path):
    (tmp_path / "cast.toml").write_text(CAST)
    agents = CastAgents(load_cast(tmp_path / "cast.toml"))
    handed = [loop(agents.agent_for(number)).name for number in (1, 2, 3)]
    assert handed == ["Helper", "Sales", "Helper"]


def test_users_sharing_a_cast_agent_judge_only_the_replies_to_their_own_chat(loop, tmp_path):
    """With a cast, users share agents: every reply reaches every user of that agent
    (fan-out). That is neither a duplicate nor a cross-tenant delivery."""
    (tmp_path / "cast.toml").write_text(CAST.replace('Sales = "agent_load_sales"\n', ""))
    cast = load_cast(tmp_path / "cast.toml")
    server = ReferenceServer(ServerOptions(config_api=False, cast=cast))
    loop(server.start())
    options = LoadOptions(server_url=server.server_url, cast=str(tmp_path / "cast.toml"))
    agents = CastAgents(cast)
    users = [ChatSession(options, agents) for _ in range(2)]
    try:
        for user in users:
            assert loop(user.provision()).failure is None
            assert loop(user.connect()).failure is None
        assert users[0].agent == users[1].agent
        attempts = [loop(user.exchange()) for _ in range(3) for user in users]
        assert kinds(attempts) == [None] * 6
    finally:
        for user in users:
            loop(user.close())
        loop(server.stop())
