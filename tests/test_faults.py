"""Each fault of the reference server really misbehaves (the kill matrix relies on it)."""

import pytest

from maimbot_acceptance.client import TenantMessageClient
from maimbot_acceptance.matchers import anything
from maimbot_acceptance.messages import Chat, ChatUser, text_segment
from maimbot_acceptance.server import ReferenceServer, ServerOptions

ALICE = ChatUser("u_alice", "Alice")
LOBBY = Chat.group("g_lobby", "Lobby")
QUIET = 0.3


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
        server.registry.add_agent("tenant_a", "agent_s", "Sales", "echo")
        server.registry.add_agent("tenant_b", "agent_b", "Helper", "echo")
        return server

    def connect(server, key: str, platform: str = "test", **overrides) -> TenantMessageClient:
        tenant, _, agent = key.partition(":")
        client = TenantMessageClient(
            tenant_id=tenant,
            agent_id=agent,
            platform=platform,
            server_url=server.server_url,
            **overrides,
        )
        clients.append(client)
        loop(client.connect(5))
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


def test_no_private_replies_answers_groups_only(loop, faulty):
    server = faulty("no-private-replies")
    client = faulty.connect(server, "tenant_a:agent_a")
    loop(client.send_text("just us", sender=ALICE, chat=Chat.private_with(ALICE)))
    loop(client.send_text("in the group", sender=ALICE, chat=LOBBY))
    arrival = loop(client.inbox.wait_for(anything(), 5))
    assert arrival.message.text == "Helper heard: in the group"
    loop(client.inbox.expect_nothing(anything(), 0.3, since=1))


def test_leak_cross_agent_sends_a_copy_to_another_agent_of_the_tenant(loop, faulty):
    server = faulty("leak-cross-agent")
    helper = faulty.connect(server, "tenant_a:agent_a")
    sales = faulty.connect(server, "tenant_a:agent_s")
    beta = faulty.connect(server, "tenant_b:agent_b")
    loop(helper.send_text("for Helper only", sender=ALICE, chat=LOBBY))
    leaked = loop(sales.inbox.wait_for(anything(), 5))
    assert leaked.message.routing_key == "tenant_a:agent_a"
    loop(beta.inbox.expect_nothing(anything(), QUIET))  # the leak stays inside the tenant


def test_wrong_platform_sends_the_reply_to_the_agents_other_platforms(loop, faulty):
    server = faulty("wrong-platform")
    on_test = faulty.connect(server, "tenant_a:agent_a")
    on_qq = faulty.connect(server, "tenant_a:agent_a", platform="qq")
    loop(on_test.send_text("only on test", sender=ALICE, chat=LOBBY))
    loop(on_test.inbox.wait_for(anything(), 5))
    leaked = loop(on_qq.inbox.wait_for(anything(), 5))
    assert leaked.message.routing_platform == "test"


def test_first_connection_only_leaves_the_agents_other_connections_without_the_reply(loop, faulty):
    server = faulty("first-connection-only")
    oldest = faulty.connect(server, "tenant_a:agent_a")
    newer = faulty.connect(server, "tenant_a:agent_a")
    loop(newer.send_text("both should see this", sender=ALICE, chat=LOBBY))
    loop(oldest.inbox.wait_for(anything(), 5))
    loop(newer.inbox.expect_nothing(anything(), QUIET))


def test_trust_message_key_lets_a_message_speak_for_another_tenant(loop, faulty):
    server = faulty("trust-message-key")
    acme = faulty.connect(server, "tenant_a:agent_a")
    evil = faulty.connect(server, "tenant_b:agent_b")
    loop(evil.send(text_segment("spoof"), sender=ALICE, chat=LOBBY, routing_key=acme.api_key))
    leaked = loop(acme.inbox.wait_for(anything(), 5))
    assert (leaked.message.routing_key, leaked.message.text) == (
        acme.api_key,
        "Helper heard: spoof",
    )
    loop(evil.inbox.expect_nothing(anything(), QUIET))


def test_trust_message_platform_answers_on_the_platform_the_message_claims(loop, faulty):
    server = faulty("trust-message-platform")
    on_test = faulty.connect(server, "tenant_a:agent_a")
    on_qq = faulty.connect(server, "tenant_a:agent_a", platform="qq")
    loop(on_test.send(text_segment("which platform?"), sender=ALICE, chat=LOBBY, platform="qq"))
    answered = loop(on_qq.inbox.wait_for(anything(), 5))
    assert answered.message.routing_platform == "qq"
    loop(on_test.inbox.expect_nothing(anything(), QUIET))


def test_trust_connection_id_lets_a_newcomer_take_over_a_live_connection(loop, faulty):
    server = faulty("trust-connection-id")
    acme = faulty.connect(server, "tenant_a:agent_a")
    thief = faulty.connect(server, "tenant_b:agent_b", connection_id=acme.connection_id)
    assert thief.is_connected
    loop(acme.send_text("our secret", sender=ALICE, chat=LOBBY))
    # The driver now files Acme's socket under the thief's metadata too: Acme's words
    # are answered as the thief's agent, to the thief.
    stolen = loop(thief.inbox.wait_for(anything(), 5))
    assert stolen.message.text == "Helper heard: our secret"
    loop(acme.inbox.expect_nothing(anything(), QUIET))


def test_every_fault_is_named_and_summarised():
    from maimbot_acceptance.server.faults import FAULTS

    assert all(name == fault.name and fault.summary for name, fault in FAULTS.items())
