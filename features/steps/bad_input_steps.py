"""Steps about input no one planned for, and the service going on after it."""

from behave import then, when
from hamcrest import assert_that, contains_string, is_

from maimbot_acceptance.reports.reporting import publish
from maimbot_acceptance.scenario.bad_input import CHAT_INPUTS, GARBAGE
from maimbot_acceptance.scenario.conversation import Conversation

# Importing gherkin registers the step parameter types: {x:Name}, {x:ChatInput}, ...
from maimbot_acceptance.scenario.gherkin import ConnectionRef
from maimbot_acceptance.scenario.world import StepContext
from maimbot_acceptance.wire.messages import text_segment


@when("{user:Name} sends {agent:Name} {chat_input:ChatInput}")
@when("{user:Name} 向 {agent:Name} 发送{chat_input:ChatInput}")
def send_chat_input(context: StepContext, user: str, agent: str, chat_input: str) -> None:
    segment = CHAT_INPUTS[chat_input](context.world.stage.settings.message_size_limit)
    conversation: Conversation = context.world.conversation
    reaction = conversation.await_reaction(conversation.say(user, agent, segment))
    publish(context, "The server's reaction:", [reaction])


@when('{user:Name} asks {agent:Name} the text "{text:Escaped}"')
@when('{user:Name} 向 {agent:Name} 提问这段文字 "{text:Escaped}"')
def ask_the_text(context: StepContext, user: str, agent: str, text: str) -> None:
    context.world.conversation.ask(user, agent, text)


@when(
    '{user:Name} asks {agent:Name} on "{platform}", '
    'in a message that claims platform "{claimed}": "{text}"'
)
@when(
    '{user:Name} 在 "{platform}" 上向 {agent:Name} '
    '发送一条自称来自 "{claimed}" 平台的消息："{text}"'
)
def ask_claiming_platform(
    context: StepContext, user: str, agent: str, platform: str, claimed: str, text: str
) -> None:
    context.world.conversation.say(
        user, agent, text_segment(text), platform=platform, claimed_platform=claimed
    )


@when("{user:Name}'s adapter puts {garbage:Garbage} on its connection to {agent:Name}")
@when("{user:Name} 的适配器在它到 {agent:Name} 的连接上发送{garbage:Garbage}")
def put_garbage(context: StepContext, user: str, agent: str, garbage: str) -> None:
    context.world.connections.send_raw(user, agent, GARBAGE[garbage]())


@when("{user:Name} connects to {agent:Name} again")
@when("{user:Name} 重新连接到 {agent:Name}")
def connects_again(context: StepContext, user: str, agent: str) -> None:
    """Without resending: the unacknowledged message is the one the server closed the
    connection over, and would close the new connection too."""
    context.world.connections.reconnect(user, agent, resend=False)


@then("{user:Name} and {other:Name} can still talk to their agents")
@then("{user:Name} can still talk to his agent")
@then("{user:Name} can still talk to her agent")
@then("{user:Name} 和 {other:Name} 仍能与各自的智能体对话")
@then("{user:Name} 仍能与自己的智能体对话")
def can_still_talk(context: StepContext, user: str, other: str | None = None) -> None:
    context.world.delivery.still_answered([user] if other is None else [user, other])


@then("the server closes {connection:Connection}")
@then("服务器关闭了 {connection:Connection}")
def server_closes(context: StepContext, connection: ConnectionRef) -> None:
    conversation: Conversation = context.world.conversation
    closed = conversation.await_closed_after(connection.user, connection.agent)
    label = conversation.last_exchange(connection.user, connection.agent).client.label
    publish(context, "Closed:", [f"{label}: {closed.detail}"])


@then("the server closes {connection:Connection} because the message is too big")
@then("服务器因为消息太大关闭了 {connection:Connection}")
def closed_because_too_big(context: StepContext, connection: ConnectionRef) -> None:
    closed = context.world.conversation.await_closed_after(connection.user, connection.agent)
    assert_that(closed.detail, contains_string("1009 (message too big)"), "why it was closed")


@then("{user:Name}'s client knows that the message did not go through")
@then("{user:Name} 的客户端知道这条消息没有送达")
def knows_it_did_not_go_through(context: StepContext, user: str) -> None:
    """No silent loss: a message the server acknowledged and then never answered would
    be lost without a word; one it never acknowledged is known not to have arrived."""
    exchange = context.world.conversation.last_exchange(user)
    assert_that(
        exchange.sent.package_id in exchange.client.acknowledged,
        is_(False),
        f"the server acknowledged {exchange.sent.describe()}, then closed the connection",
    )


@then("{user:Name} gets a reply from {agent:Name} on one of her connections")
@then("{user:Name} gets a reply from {agent:Name} on one of his connections")
@then("{user:Name} 在她的某个连接上收到 {agent:Name} 的回复")
@then("{user:Name} 在他的某个连接上收到 {agent:Name} 的回复")
def reply_on_one_of_the_connections(context: StepContext, user: str, agent: str) -> None:
    context.world.delivery.await_reply_on_any(user, agent)


@then('{connection:Connection} gets the reply from {agent:Name} on "{platform}"')
@then('{connection:Connection}收到 {agent:Name} 在 "{platform}" 上的回复')
def connection_gets_reply_on(
    context: StepContext, connection: ConnectionRef, agent: str, platform: str
) -> None:
    context.world.delivery.await_reply_on_platform(
        context.world.connections.connection(*connection), agent, platform
    )


@then("the reply quotes {user:Name}'s message character for character")
@then("回复逐字引用了 {user:Name} 的消息")
def reply_quotes_exactly(context: StepContext, user: str) -> None:
    context.world.conversation.await_echo(user)


@then('{user:Name}\'s adapter is told "{reason}"')
@then('{user:Name} 的适配器被告知 "{reason}"')
def adapter_is_told(context: StepContext, user: str, reason: str) -> None:
    told = context.world.connections.await_reaction_to_raw(user, "error")
    assert_that(told.detail, contains_string(reason), "the server's error")
