"""Each fault of the reference server really misbehaves (the kill matrix relies on it)."""

import pytest

from maimbot_acceptance.judging.matchers import anything
from maimbot_acceptance.server import ReferenceServer, ServerOptions
from maimbot_acceptance.wire.client import TenantMessageClient
from maimbot_acceptance.wire.dialects import tenant_agent_key
from maimbot_acceptance.wire.messages import Chat, ChatUser, text_segment

ALICE = ChatUser("u_alice", "Alice")
LOBBY = Chat.group("g_lobby", "Lobby")
QUIET = 0.3


@pytest.fixture
def faulty(loop):
    """faulty("name") -> a started reference server with that fault and two tenants."""
    servers = []
    clients = []

    def start(fault: str, **options):
        server = ReferenceServer(ServerOptions(fault=fault, quote_every=0, **options))
        loop(server.start())
        servers.append(server)
        server.registry.add_agent("tenant_a", "agent_a", "Helper", "echo")
        server.registry.add_agent("tenant_a", "agent_s", "Sales", "echo")
        server.registry.add_agent("tenant_b", "agent_b", "Helper", "echo")
        return server

    def connect(server, key: str, platform: str = "test", **overrides) -> TenantMessageClient:
        tenant, _, agent = key.partition(":")
        client = TenantMessageClient(
            api_key=tenant_agent_key(tenant, agent),
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


def burst(loop, client, count: int, replies: int | None = None) -> list[str]:
    """Send ``count`` messages at once; the texts of the first ``replies`` replies."""
    for turn in range(count):
        loop(client.send_text(f"q{turn}", sender=ALICE, chat=LOBBY))
    arrivals = loop(client.inbox.wait_for_count(anything(), replies or count, 5))
    return [a.message.text for a in arrivals]


def test_duplicate_reply_sends_every_reply_twice(loop, faulty):
    client = faulty.connect(faulty("duplicate-reply"), "tenant_a:agent_a")
    assert burst(loop, client, 2, replies=4) == ["Helper heard: q0"] * 2 + ["Helper heard: q1"] * 2


def test_reorder_swaps_each_pair_of_a_burst_and_still_answers_a_lone_message(loop, faulty):
    client = faulty.connect(faulty("reorder"), "tenant_a:agent_a")
    assert burst(loop, client, 4) == [f"Helper heard: q{n}" for n in (1, 0, 3, 2)]
    mark = client.inbox.mark()
    loop(client.send_text("alone", sender=ALICE, chat=LOBBY))
    assert loop(client.inbox.wait_for(anything(), 5, since=mark)).message.text == (
        "Helper heard: alone"
    )


def test_late_reply_answers_only_after_the_default_reply_timeout(loop, faulty, monkeypatch):
    from maimbot_acceptance.server.faults import LateReply

    assert LateReply.late > 5.0  # the default reply_timeout
    monkeypatch.setattr(LateReply, "late", 0.4)
    client = faulty.connect(faulty("late-reply"), "tenant_a:agent_a")
    loop(client.send_text("hello", sender=ALICE, chat=LOBBY))
    loop(client.inbox.expect_nothing(anything(), 0.3))
    loop(client.inbox.wait_for(anything(), 5))


def test_drop_idle_closes_a_quiet_connection_after_one_heartbeat(loop, faulty):
    server = faulty("drop-idle", heartbeat=1)
    client = faulty.connect(server, "tenant_a:agent_a")
    lost = loop(client.wait_until_lost(3))
    assert lost is not None and "with a goodbye" in lost.detail
    assert 0.9 <= lost.at - client.inbox.opened_at < 1.5


def test_lazy_heartbeat_pings_five_times_less_often_than_asked(loop, faulty):
    server = faulty("lazy-heartbeat", heartbeat=1)
    client = faulty.connect(server, "tenant_a:agent_a")
    assert server.backend.heartbeat == (5.0, 5.0)
    assert client.heartbeat == (5.0, 5.0)


def test_stale_cutoff_ignores_a_message_dated_a_moment_ago(loop, faulty):
    from maimbot_acceptance.wire.messages import build_message, text_segment

    server = faulty("stale-cutoff")
    client = faulty.connect(server, "tenant_a:agent_a")
    loop(client.send_text("fresh", sender=ALICE, chat=LOBBY))
    loop(client.inbox.wait_for(anything(), 5))
    old = build_message(
        segment=text_segment("old"),
        api_key=client.api_key,
        platform="test",
        sender=ALICE,
        chat=LOBBY,
    )
    old.message_info.time -= 0.2  # as if it had spent 0.2 s on a slow link
    link = server.backend.policy.links[client.connection_id]
    assert server.backend.policy.answerer(old, link) is None
    loop(client.inbox.expect_nothing(anything(), 0.3, since=1))


def test_ghost_connections_are_never_forgotten(loop, faulty):
    server = faulty("ghost-connections")
    client = faulty.connect(server, "tenant_a:agent_a")
    connection_id = client.connection_id
    loop(client.drop())
    assert loop(client.wait_until_lost(3)) is not None
    assert not loop(server.backend.wait_until(lambda: not server.backend.holds(connection_id), 0.5))


def test_forget_on_restart_comes_back_without_its_tenants(loop, faulty):
    server = faulty("forget-on-restart")
    port = loop(server.stop_backend())
    loop(server.start_backend(port))
    assert server.registry.check_api_key("tenant_a:agent_a").reason == "unknown tenant 'tenant_a'"


def test_stop_accepting_closes_the_listener_but_not_the_open_connections(loop, faulty, monkeypatch):
    from maimbot_acceptance.errors import NothingListening
    from maimbot_acceptance.server.faults import StopAccepting

    monkeypatch.setattr(StopAccepting, "after", 0.3)
    server = faulty("stop-accepting")
    early = faulty.connect(server, "tenant_a:agent_a")
    loop(early.stay_connected(0.5))
    with pytest.raises(NothingListening):
        faulty.connect(server, "tenant_a:agent_a")
    loop(early.send_text("still here", sender=ALICE, chat=LOBBY))
    loop(early.inbox.wait_for(anything(), 5))
