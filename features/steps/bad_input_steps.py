"""Steps about input no one planned for, and the service going on after it."""

from behave import then, when
from hamcrest import assert_that, contains_string, is_

import maimbot_acceptance.gherkin  # noqa: F401  (registers {x:Name}, {x:ChatInput}, ...)
from maimbot_acceptance.bad_input import CHAT_INPUTS, GARBAGE
from maimbot_acceptance.matchers import every, exactly_text, from_agent, on_platform, with_some_text
from maimbot_acceptance.messages import text_segment
from maimbot_acceptance.reporting import publish
from maimbot_acceptance.server.agents import echo_text


@when("{user:Name} sends {agent:Name} {chat_input:ChatInput}")
def send_chat_input(context, user, agent, chat_input):
    segment = CHAT_INPUTS[chat_input](context.settings.message_size_limit)
    world = context.world
    reaction = world.await_reaction(world.say(user, agent, segment))
    publish(context, "The server's reaction:", [reaction])


@when('{user:Name} asks {agent:Name} the text "{text:Escaped}"')
def ask_the_text(context, user, agent, text):
    context.world.ask(user, agent, text)


@when(
    '{user:Name} asks {agent:Name} on "{platform}", '
    'in a message that claims platform "{claimed}": "{text}"'
)
def ask_claiming_platform(context, user, agent, platform, claimed, text):
    context.world.say(user, agent, text_segment(text), platform=platform, claimed_platform=claimed)


@when("{user:Name}'s adapter puts {garbage:Garbage} on its connection to {agent:Name}")
def put_garbage(context, user, agent, garbage):
    mark = context.world.send_raw(user, agent, GARBAGE[garbage]())
    context.garbage_sent = (context.world.connection(user, agent), mark)


@when("{user:Name} connects to {agent:Name} again")
def connects_again(context, user, agent):
    context.world.reconnect(user, agent)


@then("{user:Name} and {other:Name} can still talk to their agents")
@then("{user:Name} can still talk to his agent")
@then("{user:Name} can still talk to her agent")
def can_still_talk(context, user, other=None):
    context.world.still_answered([user] if other is None else [user, other])


@then("the server closes {connection:Connection}")
def server_closes(context, connection):
    exchange = context.world.last_exchange(connection.user, connection.agent)
    closed = context.world.await_close(exchange)
    publish(context, "Closed:", [f"{exchange.client.label}: {closed.detail}"])


@then("the server closes {connection:Connection} because the message is too big")
def closed_because_too_big(context, connection):
    exchange = context.world.last_exchange(connection.user, connection.agent)
    closed = context.world.await_close(exchange)
    assert_that(closed.detail, contains_string("1009 (message too big)"), "why it was closed")


@then("{user:Name}'s client knows that the message did not go through")
def knows_it_did_not_go_through(context, user):
    """No silent loss: a message the server acknowledged and then never answered would
    be lost without a word; one it never acknowledged is known not to have arrived."""
    exchange = context.world.last_exchange(user)
    assert_that(
        exchange.sent.package_id in exchange.client.acknowledged,
        is_(False),
        f"the server acknowledged {exchange.sent.describe()}, then closed the connection",
    )


@then("{user:Name} gets a reply from {agent:Name} on one of her connections")
@then("{user:Name} gets a reply from {agent:Name} on one of his connections")
def reply_on_one_of_the_connections(context, user, agent):
    world = context.world
    clients = [c for key, c in world.connections.items() if key.user == user and key.agent == agent]
    world.await_reply_on_any(world.last_exchange(user, agent), clients)


@then('{connection:Connection} gets the reply from {agent:Name} on "{platform}"')
def connection_gets_reply_on(context, connection, agent, platform):
    world = context.world
    exchange = world.last_exchange(connection.user, agent)
    client = world.connection(*connection)
    reply = every(
        from_agent(exchange.agent.tenant.tenant_id, exchange.agent.agent_id, agent),
        on_platform(platform),
        with_some_text(),
    )
    world.await_on(client, reply, since=exchange.marks.get(world.key_of(client), 0))


@then("the reply quotes {user:Name}'s message character for character")
def reply_quotes_exactly(context, user):
    world = context.world
    exchange = world.last_exchange(user)
    world.await_reply(
        exchange, also=exactly_text(echo_text(exchange.agent.name, exchange.sent.text))
    )


@then('{user:Name}\'s adapter is told "{reason}"')
def adapter_is_told(context, user, reason):
    client, mark = context.garbage_sent
    told = context.world.await_event(client, "error", mark, context.settings.reply_timeout)
    assert_that(told.detail, contains_string(reason), "the server's error")
