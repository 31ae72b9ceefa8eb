"""The reference server's core without a socket: who may connect, where a reply goes,
who answers; and each fault's decision, bent through the same core."""

import asyncio
import time

import pytest

from maimbot_acceptance.server.faults import fault_named
from maimbot_acceptance.server.memory import Store, Whereabouts
from maimbot_acceptance.server.policy import Policy
from maimbot_acceptance.server.registry import Registry
from maimbot_acceptance.server.replies import reply_to
from maimbot_acceptance.wire.messages import Chat, ChatUser, build_message, text_segment

ALICE = ChatUser("u_alice", "Alice")
LOBBY = Chat.group("g_lobby", "Lobby")
HELPER, SALES, OTHER = "tenant_a:agent_a", "tenant_a:agent_b", "tenant_b:agent_a"


class Host:
    """What a fault may ask of its server (fault_hooks.FaultHost), with no server."""

    heartbeat = (1.0, 1.0)

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self.policy: Policy
        self.sent: list[str] = []
        """Connection ids a reply was sent to, in order."""
        self.dropped: list[str] = []
        self.closed: dict[str, str] = {}
        """Connection id -> why it was closed (a key taken back)."""

    def connection_keys(self):
        return self.policy.connection_keys()

    def presented_keys(self):
        return self.policy.presented_keys()

    async def close_saying(self, connection_uuid, reason):
        self.closed[connection_uuid] = reason

    def connections_by_platform(self, api_key):
        return self.policy.connections_by_platform(api_key)

    def tenant_of(self, api_key):
        return self.policy.tenant_of(api_key)

    def routing_user(self, api_key):
        return self.policy.routing_user(api_key)

    async def send_to_connection(self, connection_uuid, message):
        self.sent.append(connection_uuid)
        return True

    async def drop(self, connection_uuid):
        self.dropped.append(connection_uuid)

    async def stop_listening(self):
        pass

    def forget_tenants(self):
        self.registry.tenants.clear()


def core(fault: str = "") -> tuple[Policy, Host]:
    registry = Registry()
    registry.add_agent("tenant_a", "agent_a", "Helper", "echo")
    registry.add_agent("tenant_a", "agent_b", "Sales", "echo")
    registry.add_agent("tenant_b", "agent_a", "Helper", "echo")
    host = Host(registry)
    policy = Policy(registry, fault_named(fault, host))
    host.policy = policy
    return policy, host


def connected(policy: Policy, *links: tuple[str, str, str]) -> None:
    """File connections (id, key, platform), oldest first."""
    for number, (uuid, key, platform) in enumerate(links):
        policy.admit(uuid, key, platform, "plain" if number % 2 else "socketio", float(number))


def question(key: str = HELPER, platform: str = "test", chat: Chat = LOBBY, sent_at=None):
    message = build_message(
        segment=text_segment("hi"), api_key=key, platform=platform, sender=ALICE, chat=chat
    )
    if sent_at is not None:
        message.message_info.time = sent_at
    return message


def deliver(policy: Policy, host: Host, key: str = HELPER, platform: str = "test", chat=LOBBY):
    """The fault delivers one reply of ``key``'s agent; the ids it reached."""
    agent = policy.registry.agent_for_key(key)
    reply = reply_to(question(key, platform, chat), agent, key, platform, "hello", quoting=False)

    async def route(message):
        for link in policy.recipients(message):
            host.sent.append(link.uuid)

    asyncio.run(policy.fault.deliver(reply, route))
    return host.sent


# -- the correct server ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "reason"),
    [
        (HELPER, ""),
        ("tenant_x:agent_a", "unknown tenant 'tenant_x'"),
        ("tenant_a:agent_x", "tenant 'tenant_a' has no agent 'agent_x'"),
        ("no-colon", "is not of the form 'tenant_id:agent_id'"),
    ],
)
def test_a_key_is_judged_by_the_registry(key, reason):
    policy, _ = core()
    verdict = policy.judge("acc_1", key)
    assert verdict.accepted == (not reason) and reason in verdict.reason


def test_a_connection_id_open_now_is_refused_and_free_again_once_gone():
    policy, _ = core()
    connected(policy, ("acc_1", HELPER, "test"))
    assert "already in use" in policy.judge("acc_1", HELPER).reason
    policy.gone("acc_1")
    assert policy.judge("acc_1", HELPER).accepted and not policy.holds("acc_1")


def test_a_reply_goes_to_every_connection_of_its_key_on_its_platform_whatever_the_wire():
    policy, host = core()
    connected(
        policy,
        ("a1", HELPER, "test"),
        ("a2", HELPER, "test"),
        ("a3", HELPER, "qq"),
        ("s1", SALES, "test"),
        ("o1", OTHER, "test"),
    )
    assert sorted(deliver(policy, host)) == ["a1", "a2"]
    assert policy.connections_by_platform(HELPER) == {"test": ["a1", "a2"], "qq": ["a3"]}


def test_the_connection_decides_who_answers_and_where_not_the_message():
    policy, _ = core()
    connected(policy, ("a1", HELPER, "test"))
    answerer = policy.answerer(question(key=OTHER, platform="qq"), policy.links["a1"])
    assert answerer is not None
    assert (answerer.key, answerer.platform, answerer.agent.tenant_id) == (
        HELPER,
        "test",
        "tenant_a",
    )


def test_a_resent_package_is_recognised():
    policy, _ = core()
    assert policy.first_time("p1") and not policy.first_time("p1") and policy.first_time("p2")


def test_tenants_are_read_off_keys_here_only():
    policy, _ = core()
    assert policy.tenant_of(SALES) == "tenant_a"
    assert policy.tenant_of("tenant_z:agent_q") == "tenant_z"
    assert policy.tenant_of("tenant_z_agent_q_v1") == "tenant_z"


# -- each fault's decision ------------------------------------------------------------------


def test_accept_any_key_lets_in_any_non_empty_key():
    policy, _ = core("accept-any-key")
    assert policy.judge("acc_1", "made-up").accepted and not policy.judge("acc_2", "").accepted


def test_unprefixed_key_as_default_answers_as_the_default_tenant():
    policy, _ = core("unprefixed-key-as-default")
    assert policy.judge("acc_1", "acme:helper").accepted
    connected(policy, ("a1", "acme:helper", "test"))
    answerer = policy.answerer(question(key="acme:helper"), policy.links["a1"])
    assert answerer is not None and answerer.key == "default:default"


def test_trust_message_key_and_platform_follow_the_message():
    for fault, expected in (
        ("trust-message-key", (OTHER, "test")),
        ("trust-message-platform", (HELPER, "qq")),
    ):
        policy, _ = core(fault)
        connected(policy, ("a1", HELPER, "test"))
        answerer = policy.answerer(question(key=OTHER, platform="qq"), policy.links["a1"])
        assert answerer is not None and (answerer.key, answerer.platform) == expected


def test_trust_connection_id_lets_a_newcomer_take_a_live_id():
    policy, _ = core("trust-connection-id")
    connected(policy, ("acc_1", HELPER, "test"))
    assert policy.judge("acc_1", HELPER).accepted


def test_ghost_connections_stay_in_the_routing_table():
    policy, _ = core("ghost-connections")
    connected(policy, ("a1", HELPER, "test"))
    policy.gone("a1")
    assert policy.holds("a1") and policy.judge("a1", HELPER).accepted


def test_deaf_and_stale_cutoff_hear_nothing_they_should():
    deaf, _ = core("deaf")
    connected(deaf, ("a1", HELPER, "test"))
    assert deaf.answerer(question(), deaf.links["a1"]) is None
    stale, _ = core("stale-cutoff")
    connected(stale, ("a1", HELPER, "test"))
    assert stale.answerer(question(sent_at=time.time() - 0.2), stale.links["a1"]) is None
    assert stale.answerer(question(), stale.links["a1"]) is not None


def test_person_of_first_tenant_leaves_the_second_tenants_private_chat_unanswered():
    policy, _ = core("person-of-first-tenant")
    connected(policy, ("a1", HELPER, "test"), ("o1", OTHER, "test"))
    private = Chat.private_with(ALICE)
    assert policy.answerer(question(HELPER, chat=private), policy.links["a1"]) is not None
    assert policy.answerer(question(OTHER, chat=private), policy.links["o1"]) is None
    assert policy.answerer(question(OTHER), policy.links["o1"]) is not None  # a group is fine


@pytest.mark.parametrize(
    ("fault", "reached"),
    [
        ("leak-cross-tenant", ["a1", "o1"]),
        ("leak-cross-agent", ["a1", "s1"]),
        ("wrong-platform", ["a1", "a3"]),
        ("duplicate-reply", ["a1", "a1"]),
        ("first-connection-only", ["a1"]),
    ],
)
def test_delivery_faults_reach_where_they_should_not(fault, reached):
    policy, host = core(fault)
    connected(policy, ("a1", HELPER, "test"), ("s1", SALES, "test"), ("o1", OTHER, "test"))
    connected(policy, ("a3", HELPER, "qq"))
    assert sorted(deliver(policy, host)) == sorted(reached)


def test_first_connection_only_misses_the_second_device():
    policy, host = core("first-connection-only")
    connected(policy, ("a1", HELPER, "test"), ("a2", HELPER, "test"))
    assert deliver(policy, host) == ["a1"]


def test_drop_reply_loses_every_third_and_no_private_replies_every_private_one():
    policy, host = core("drop-reply")
    connected(policy, ("a1", HELPER, "test"))
    for _ in range(6):
        deliver(policy, host)
    assert len(host.sent) == 4
    policy, host = core("no-private-replies")
    connected(policy, ("a1", HELPER, "test"))
    assert deliver(policy, host, chat=Chat.private_with(ALICE)) == []
    assert deliver(policy, host) == ["a1"]


def test_lazy_heartbeat_and_forget_on_restart():
    policy, _ = core("lazy-heartbeat")
    assert policy.fault.heartbeat(1.0, 1.0) == (5.0, 5.0)
    policy, _ = core("forget-on-restart")
    asyncio.run(policy.fault.on_stop())
    assert policy.registry.tenants == {}


@pytest.mark.parametrize(
    "fault",
    ["memory-without-tenant", "person-by-user-id", "group-by-group-id", "shared-knowledge-base"],
)
def test_memory_faults_key_a_memory_by_less_than_whose_it_is(fault):
    policy, _ = core(fault)
    correct, _ = core()
    agent = policy.registry.agent_for_key(HELPER)
    where = Whereabouts.of(question(), agent, "test")
    keys = {store: policy.fault.memory_key(store, where) for store in Store}
    assert any(keys[store] != correct.fault.memory_key(store, where) for store in Store)


def test_a_key_taken_back_closes_the_connections_that_presented_it_saying_why():
    policy, host = core()
    connected(policy, ("a1", HELPER, "test"), ("a2", HELPER, "qq"), ("s1", SALES, "test"))
    asyncio.run(policy.fault.keys_revoked({HELPER: "deleted"}))
    assert host.closed == {
        "a1": f"api key {HELPER!r} was revoked: deleted",
        "a2": f"api key {HELPER!r} was revoked: deleted",
    }


def test_accept_revoked_key_keeps_them_and_lets_the_key_in_again():
    policy, host = core("accept-revoked-key")
    connected(policy, ("a1", HELPER, "test"))
    asyncio.run(policy.fault.keys_revoked({HELPER: "deleted"}))
    policy.registry.revoked[HELPER] = "deleted"
    assert host.closed == {} and policy.judge("acc_2", HELPER).accepted
    correct, _ = core()
    correct.registry.revoked[HELPER] = "deleted"
    assert "was revoked: deleted" in correct.judge("acc_2", HELPER).reason
