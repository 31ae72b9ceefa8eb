"""A missing reply points at the server: where else it went, and what the connection did."""

import time

import pytest

from maimbot_acceptance.errors import NoMatchingMessage
from maimbot_acceptance.scenario.connections import ConnectionKey
from maimbot_acceptance.scenario.exchange import Exchange
from maimbot_acceptance.scenario.world import World
from maimbot_acceptance.targets.provisioning import CastProvisioner
from maimbot_acceptance.targets.settings import Settings
from maimbot_acceptance.wire.cast import Cast, CastTenant
from maimbot_acceptance.wire.client import TenantMessageClient
from maimbot_acceptance.wire.messages import ChatMessage, SentMessage

from .test_messages import reply_payload

CAST = Cast("inline", {"Acme": CastTenant("Acme", "tenant_1", {"Helper": "agent_1"})})


@pytest.fixture
def world(loop):
    """Alice of Acme with two connections to Helper (on 'test' and 'qq'), never opened:
    the test plays the server by filling their inboxes."""
    world = World.create(
        settings=Settings(reply_timeout=0.2),
        loop=loop.thread,
        provisioner=CastProvisioner(CAST),
        server_url="ws://127.0.0.1:9/ws",
    )
    roster = world.roster
    roster.add_agent("Acme", "Helper")
    roster.person("Alice", "Acme")
    for platform in ("test", "qq"):
        client = world.connections.client_for(
            roster.person("Alice"), roster.agent("Acme", "Helper"), platform
        )
        world.connections.open[ConnectionKey("Alice", "Helper", platform)] = client
    yield world
    world.close()


def asked_in_group(world: World) -> Exchange:
    alice = world.roster.person("Alice")
    client = world.connections.connection("Alice", "Helper", "test")
    sent = SentMessage(
        message_id="m_1",
        text="hi",
        sender=alice.chat_user,
        chat=alice.group_chat,
        platform="test",
        sent_at=time.monotonic(),
        wall_time=time.time(),
        inbox_mark=client.inbox.mark(),
    )
    return Exchange(alice, world.roster.agent("Acme", "Helper"), client, sent, world.stage.dialect)


def reply_to_group(group_id: str) -> ChatMessage:
    return ChatMessage.from_payload(
        reply_payload(
            {"type": "text", "data": "Helper heard: hi"},
            receiver={"group_info": {"platform": "test", "group_id": group_id}},
        )
    )


def deliver(loop, client: TenantMessageClient, message: ChatMessage) -> None:
    async def on_the_loop():
        client.inbox.deliver(message)

    loop(on_the_loop())


def test_a_reply_on_another_connection_is_named(loop, world):
    exchange = asked_in_group(world)
    strayed_to = world.connections.connection("Alice", "Helper", "qq")
    deliver(loop, strayed_to, reply_to_group(exchange.sent.chat.chat_id))

    with pytest.raises(NoMatchingMessage) as failure:
        world.conversation.await_reply(exchange)

    text = str(failure.value)
    assert "no expected message within 0.20 s" in text
    assert "This connection received nothing at all." in text
    assert "The expected reply arrived on ANOTHER connection of this scenario:" in text
    assert "Alice (Acme) -> Helper on 'qq' got it as #1" in text
    assert "'Helper heard: hi'" in text
    assert "The connection is not open." in text  # never opened: the test played the server


def test_when_no_other_connection_got_it_the_failure_says_so(world):
    exchange = asked_in_group(world)
    with pytest.raises(NoMatchingMessage) as failure:
        world.conversation.await_reply(exchange)
    assert (
        "None of this scenario's other 1 connection(s) got it either "
        "(Alice (Acme) -> Helper on 'qq')." in str(failure.value)
    )


def test_a_reply_to_another_scenarios_user_is_not_taken_for_this_one(loop, world):
    """With a cast, scenarios share agents: a late reply to an earlier scenario's Alice
    (other user and group ids) must not pass for this Alice's reply."""
    exchange = asked_in_group(world)
    deliver(loop, exchange.client, reply_to_group("group_user_alice_earlier"))
    with pytest.raises(NoMatchingMessage) as failure:
        world.conversation.await_reply(exchange, same_chat=False)
    assert "it was addressed to group group_user_alice_earlier" in str(failure.value)

    deliver(loop, exchange.client, reply_to_group(exchange.sent.chat.chat_id))
    assert world.conversation.await_reply(exchange, same_chat=False).seq == 1


def routed(message: ChatMessage, **dim: str) -> ChatMessage:
    payload = dict(message.payload)
    payload["message_dim"] = {**payload["message_dim"], **dim}
    return ChatMessage.from_payload(payload)


def test_silence_allows_the_own_agents_replies_to_people_outside_the_scenario(world):
    """With a cast, every connection of an agent gets that agent's replies to earlier
    scenarios' users too: not a leak."""
    on_test = world.connections.connection("Alice", "Helper", "test")
    assert not world.delivery.unexpected_for(on_test).matches(
        reply_to_group("group_user_alice_earlier")
    )


def test_silence_flags_a_reply_to_someone_here_who_never_asked_that_agent_there(world):
    """A reply addressed to Alice on a connection where she asked nothing answers a
    message routed by its claims (a spoofed key, a claimed platform)."""
    on_test = world.connections.connection("Alice", "Helper", "test")
    to_alice = reply_to_group(world.roster.person("Alice").group_chat.chat_id)
    assert world.delivery.unexpected_for(on_test).matches(to_alice)
    world.conversation.exchanges.append(asked_in_group(world))  # now Alice asked Helper on 'test'
    assert not world.delivery.unexpected_for(on_test).matches(to_alice)


@pytest.mark.parametrize(
    "dim", [{"api_key": "tenant_2:agent_9"}, {"platform": "qq"}], ids=["agent", "platform"]
)
def test_silence_flags_another_agents_or_platforms_reply(world, dim):
    on_test = world.connections.connection("Alice", "Helper", "test")
    stray = routed(reply_to_group("group_user_someone_else"), **dim)
    assert world.delivery.unexpected_for(on_test).matches(stray)
