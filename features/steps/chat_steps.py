"""Steps about asking agents and the replies they give (English and Chinese phrasings)."""

from behave import then, when
from hamcrest import assert_that, equal_to, greater_than

import maimbot_acceptance.scenario.gherkin  # noqa: F401  (registers {x:Name}, {x:Names}, {x:Count})
from maimbot_acceptance.judging.matchers import (
    addressed_to,
    nothing_listed,
    routed_with,
    with_text,
)
from maimbot_acceptance.scenario.conversation import Conversation
from maimbot_acceptance.scenario.world import StepContext
from maimbot_acceptance.wire.messages import ChatKind


@when('{user:Name} asks {agent:Name} "{text}"')
@when('{user:Name} asks {agent:Name} "{text}" in a group chat')
@when('{user:Name} 向 {agent:Name} 提问 "{text}"')
@when('{user:Name} 在群聊中向 {agent:Name} 提问 "{text}"')
def ask_in_group(context: StepContext, user: str, agent: str, text: str) -> None:
    """Unless said otherwise, users ask in a group chat (MaiMBot's main use)."""
    context.world.conversation.ask(user, agent, text, ChatKind.GROUP)


@when('{user:Name} asks {agent:Name} "{text}" in a private chat')
@when('{user:Name} 在私聊中向 {agent:Name} 提问 "{text}"')
def ask_in_private(context: StepContext, user: str, agent: str, text: str) -> None:
    context.world.conversation.ask(user, agent, text, ChatKind.PRIVATE)


@then("{user:Name} gets a reply from {agent:Name}")
@then("{user:Name} 收到 {agent:Name} 的回复")
def gets_reply(context: StepContext, user: str, agent: str) -> None:
    conversation: Conversation = context.world.conversation
    conversation.await_reply(conversation.last_exchange(user, agent), same_chat=False)


@then("{user:Name} gets a reply from {agent:Name} in the same chat")
@then("{user:Name} 在同一会话中收到 {agent:Name} 的回复")
def gets_reply_in_same_chat(context: StepContext, user: str, agent: str) -> None:
    conversation: Conversation = context.world.conversation
    conversation.await_reply(conversation.last_exchange(user, agent))


@then('{user:Name} gets a reply from {agent:Name} that reads "{text}"')
@then('{user:Name} 收到 {agent:Name} 的回复，内容为 "{text}"')
def gets_reply_reading(context: StepContext, user: str, agent: str, text: str) -> None:
    conversation: Conversation = context.world.conversation
    conversation.await_reply(conversation.last_exchange(user, agent), also=with_text(text))


@then("the reply is addressed to {user:Name}'s group chat")
@then("该回复发往 {user:Name} 的群聊")
def reply_addressed_to_group(context: StepContext, user: str) -> None:
    assert_that(
        context.world.conversation.last_reply().message,
        addressed_to(context.world.roster.person(user).group_chat),
    )


@then("the reply to {user:Name} is marked as {tenant:Name}'s")
@then("给 {user:Name} 的回复标明属于 {tenant:Name}")
def reply_marked_as_tenants(context: StepContext, user: str, tenant: str) -> None:
    exchange = context.world.conversation.last_exchange(user)
    assert_that(exchange.person.tenant.name, equal_to(tenant), f"{user}'s tenant")
    reply = exchange.answer().message
    why = f"the reply to {user} of {tenant}: {reply.describe()}"
    assert_that(reply, routed_with(exchange.agent.api_key, tenant), why)


@then("the reply is addressed to {user:Name} in private")
@then("该回复私下发给 {user:Name}")
def reply_addressed_privately(context: StepContext, user: str) -> None:
    assert_that(
        context.world.conversation.last_reply().message,
        addressed_to(context.world.roster.person(user).private_chat),
    )


@when("{user:Name} has this conversation with {agent:Name}, waiting for each reply:")
@when("{user:Name} 与 {agent:Name} 进行如下对话，每句都等待回复：")
def conversation(context: StepContext, user: str, agent: str) -> None:
    """First column: what the user says, turn by turn ("Alice says"). An optional second
    column ("Helper answers") holds the exact reply, for the reference server's agents."""
    turns = [(row[0], row[1] if len(row.cells) > 1 else None) for row in context.table]
    context.world.conversation.hold(user, agent, turns)


@then("each of {user:Name}'s messages got its reply from {agent:Name}, in the order asked")
@then("{user:Name} 的每条消息都按提问顺序收到了 {agent:Name} 的回复")
def conversation_in_order(context: StepContext, user: str, agent: str) -> None:
    """Each turn was answered before the next was asked (the When step waited for each);
    a reply that quotes a message (as the real server sometimes does) quotes its own
    turn's message."""
    assert_that(
        context.world.conversation.misquoted_turns(),
        nothing_listed(),
        "replies quoting another turn",
    )


@then("at least one of {agent:Name}'s replies quoted the message it answers")
@then("{agent:Name} 的回复中至少有一条引用了它所回答的消息")
def some_reply_quoted(context: StepContext, agent: str) -> None:
    """MaiMBot sometimes answers with a quote of the message (a seglist: the quoted id,
    then the text); the conversation's replies were read (and matched) all the same."""
    conversation: Conversation = context.world.conversation
    shapes = ["+".join(e.answer().message.segment_types) for e in conversation.dialogue]
    assert_that(
        conversation.quoted_turns(),
        greater_than(0),
        f"quote replies among {agent}'s (shapes: {shapes})",
    )
    assert_that(conversation.misquoted_turns(), nothing_listed(), "replies quoting another turn")
