"""Each fault of the reference server really misbehaves (the kill matrix relies on it)."""

import pytest

from maimbot_acceptance.client import TenantMessageClient
from maimbot_acceptance.matchers import anything
from maimbot_acceptance.messages import Chat, ChatUser
from maimbot_acceptance.server import ReferenceServer, ServerOptions

ALICE = ChatUser("u_alice", "Alice")
LOBBY = Chat.group("g_lobby", "Lobby")


@pytest.fixture
def faulty(loop):
    """faulty("name") -> a started reference server with that fault and two tenants."""
    servers = []
    clients = []

    def start(fault: str):
        server = ReferenceServer(ServerOptions(fault=fault, quote_every=0))
        loop(server.start())
        servers.append(server)
        server.registry.add_agent("tenant_a", "agent_a", "Helper", "echo")
        server.registry.add_agent("tenant_b", "agent_b", "Helper", "echo")
        return server

    def connect(server, key: str) -> TenantMessageClient:
        tenant, _, agent = key.partition(":")
        client = TenantMessageClient(
            tenant_id=tenant, agent_id=agent, platform="test", server_url=server.server_url
        )
        loop(client.connect(5))
        clients.append(client)
        return client

    start.connect = connect
    yield start
    for client in clients:
        loop(client.disconnect())
    for server in servers:
        loop(server.stop())


def test_leak_cross_tenant_sends_a_copy_to_another_tenant(loop, faulty):
    server = faulty("leak-cross-tenant")
    acme = faulty.connect(server, "tenant_a:agent_a")
    beta = faulty.connect(server, "tenant_b:agent_b")
    loop(acme.send_text("secret", sender=ALICE, chat=LOBBY))
    leaked = loop(beta.inbox.wait_for(anything(), 5))
    assert leaked.message.routing_key == "tenant_a:agent_a"


def test_drop_reply_drops_every_third(loop, faulty):
    server = faulty("drop-reply")
    client = faulty.connect(server, "tenant_a:agent_a")
    for turn in range(6):
        loop(client.send_text(f"q{turn}", sender=ALICE, chat=LOBBY))
    loop(client.inbox.wait_for_count(anything(), 4, 5))
    loop(client.inbox.expect_nothing(anything(), 0.3, since=4))
    assert [a.message.text for a in client.inbox.arrivals] == [
        "Helper heard: q0",
        "Helper heard: q1",
        "Helper heard: q3",
        "Helper heard: q4",
    ]


def test_accept_any_key_accepts_a_key_of_nobody(loop, faulty):
    server = faulty("accept-any-key")
    client = faulty.connect(server, "tenant_nobody:agent_nobody")
    assert client.is_connected


def test_an_unknown_fault_is_named():
    with pytest.raises(ValueError, match="unknown fault 'nope'; known: "):
        ReferenceServer(ServerOptions(fault="nope"))
