"""Upstream MaiBot 1.x as a dialect: a reply is known by its chat alone (one bot, a
routing key naming the platform's last speaker), a tenant is an API client with one
agent, keys are a list, and every message names the bot's account on its platform."""

import pytest

from maimbot_acceptance.errors import NotApplicable
from maimbot_acceptance.judging.matchers import a_reply, from_agent
from maimbot_acceptance.judging.rules import never_to_receive
from maimbot_acceptance.targets.clients import ClientMaker
from maimbot_acceptance.targets.provisioning import Agent, Tenant
from maimbot_acceptance.wire.dialects import BOT_ACCOUNT_KEY, DIALECTS, bot_account_on
from maimbot_acceptance.wire.messages import Chat, ChatMessage, ChatUser

UPSTREAM = DIALECTS["upstream"]
ALICE = ChatUser("user_alice", "Alice")


def upstream_reply(*, group: str = "", user: str = "", last_speaker: str = "key-beta"):
    """A reply as 1.3.15 sends it (docs/protocol.md, "upstream")."""
    target = {"platform_io_target_group_id": group} if group else {}
    target = target or {"platform_io_target_user_id": user}
    receiver = {"user_info": {"platform": "test", "user_id": "10001", "user_nickname": "麦麦"}}
    if group:
        receiver["group_info"] = {"platform": "test", "group_id": group, "group_name": "g"}
    return ChatMessage.from_payload(
        {
            "message_info": {
                "platform": "test",
                "message_id": "send_api_1",
                "additional_config": {BOT_ACCOUNT_KEY: "10001", **target},
                "receiver_info": receiver,
            },
            "message_segment": {"type": "text", "data": "FAKE-REPLY「hi」"},
            "message_dim": {"api_key": last_speaker, "platform": "test"},
        }
    )


def test_a_private_reply_is_addressed_to_the_user_upstream_names_in_additional_config():
    private = upstream_reply(user="user_alice")
    assert (private.to_user_id, private.to_group_id) == ("user_alice", None)
    group = upstream_reply(group="group_alice")
    assert (group.to_group_id, group.to_user_id) == ("group_alice", "10001")


def test_a_reply_labelled_with_another_client_s_key_is_still_the_asker_s_by_its_chat():
    reply = upstream_reply(user="user_alice", last_speaker="key-beta")
    expected = a_reply(
        api_key="key-acme",
        agent_id="10001",
        agent_name="Helper",
        chat=Chat.private_with(ALICE),
        platform="test",
        dialect=UPSTREAM,
    )
    assert expected.matches(reply)
    # The same label on api_server says another agent answered.
    assert not from_agent("key-acme", "", dialect=DIALECTS["api_server"]).matches(reply)
    assert not expected.matches(upstream_reply(user="user_bob"))


def test_the_broadcast_shows_as_a_reply_to_a_stranger_s_chat():
    class Beta:
        api_key, agent_id, platform = "key-beta", "10001", "test"

    rule = never_to_receive(Beta(), [Chat.group("group_alice", "Alice's group")], UPSTREAM)
    assert rule.matches(upstream_reply(group="group_alice", last_speaker="key-beta"))
    assert not rule.matches(upstream_reply(group="group_bob", last_speaker="key-acme"))


def test_a_forged_key_is_one_nobody_listed():
    forged = UPSTREAM.forge_key("tenant_x", "agent_y")
    assert forged.startswith("key-never-listed-") and forged != UPSTREAM.forge_key("a", "b")
    assert UPSTREAM.agents_per_tenant == 1 and not UPSTREAM.routing_key_names_asker


def test_every_message_names_the_bot_s_account_on_its_own_platform():
    accounts = bot_account_on({"test": "10001", "qq": "2"})
    maker = ClientMaker("ws://127.0.0.1:1/ws", "plain", additional_config=accounts)
    agent = Agent("Helper", "10001", Tenant("Acme", "key-acme"), "key-acme")
    on_test = maker.for_agent(agent, "test", "Alice on test")
    on_qq = maker.for_agent(agent, "qq", "Alice on qq")
    on_other = maker.for_agent(agent, "discord", "Alice on discord")
    assert on_test.additional_config == {BOT_ACCOUNT_KEY: "10001"}
    assert on_qq.additional_config == {BOT_ACCOUNT_KEY: "2"}
    assert on_other.additional_config == {}
    assert on_test.wire == "plain"


def test_a_second_agent_of_an_upstream_tenant_is_not_applicable():
    from maimbot_acceptance.scenario.roster import Roster
    from maimbot_acceptance.scenario.stage import Stage
    from maimbot_acceptance.targets.settings import Settings

    class Provisioner:
        speaks = UPSTREAM

        async def create_tenant(self, name):
            return Tenant(name, f"key-{name.lower()}")

        async def create_agent(self, tenant, name, template_id):
            return Agent(name, "10001", tenant, tenant.tenant_id)

    class Loop:
        def run(self, coro, timeout):
            import asyncio

            return asyncio.run(coro)

    roster = Roster(Stage(Settings(), Loop(), "ws://x/ws", UPSTREAM), Provisioner())
    assert roster.add_agent("Acme", "Helper").api_key == "key-acme"
    assert roster.add_agent("Acme", "Helper") is roster.agent("Acme", "Helper")
    with pytest.raises(NotApplicable, match=r"second agent of Acme \(Sales, beside Helper\)"):
        roster.add_agent("Acme", "Sales")
    assert roster.add_agent("Beta", "Sales").api_key == "key-beta"
