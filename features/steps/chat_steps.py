"""Steps about asking agents and the replies they give."""

from behave import then, when
from hamcrest import assert_that, empty, equal_to, is_not

import maimbot_acceptance.gherkin  # noqa: F401  (registers {x:Name}, {x:Names}, {x:Count})
from maimbot_acceptance.matchers import addressed_to, with_text
from maimbot_acceptance.messages import ChatKind


@when('{user:Name} asks {agent:Name} "{text}"')
@when('{user:Name} asks {agent:Name} "{text}" in a group chat')
def ask_in_group(context, user, agent, text):
    """Unless said otherwise, users ask in a group chat (MaiMBot's main use)."""
    context.world.ask(user, agent, text, ChatKind.GROUP)


@when('{user:Name} asks {agent:Name} "{text}" in a private chat')
def ask_in_private(context, user, agent, text):
    context.world.ask(user, agent, text, ChatKind.PRIVATE)


@then("{user:Name} gets a reply from {agent:Name}")
def gets_reply(context, user, agent):
    context.world.await_reply(context.world.last_exchange(user, agent), same_chat=False)


@then("{user:Name} gets a reply from {agent:Name} in the same chat")
def gets_reply_in_same_chat(context, user, agent):
    context.world.await_reply(context.world.last_exchange(user, agent))


@then('{user:Name} gets a reply from {agent:Name} that reads "{text}"')
def gets_reply_reading(context, user, agent, text):
    context.world.await_reply(context.world.last_exchange(user, agent), also=with_text(text))


@then("the reply is addressed to {user:Name}'s group chat")
def reply_addressed_to_group(context, user):
    assert_that(
        context.world.last_reply().message, addressed_to(context.world.person(user).group_chat)
    )


@then("the reply is addressed to {user:Name} in private")
def reply_addressed_privately(context, user):
    assert_that(
        context.world.last_reply().message, addressed_to(context.world.person(user).private_chat)
    )


@when("{user:Name} has this conversation with {agent:Name}, waiting for each reply:")
def conversation(context, user, agent):
    """Columns: "<user> says", and optionally "<agent> answers" (the exact reply text,
    for the reference server's deterministic agents)."""
    says, answers = f"{user} says", f"{agent} answers"
    context.conversation = []
    for row in context.table:
        exchange = context.world.ask(user, agent, row[says])
        answer = with_text(row[answers]) if answers in row.headings else None
        context.world.await_reply(exchange, also=answer)
        context.conversation.append(exchange)


@then("each of {user:Name}'s messages got its reply from {agent:Name}, in the order asked")
def conversation_in_order(context, user, agent):
    """Each turn was answered (the When step waited for it before asking the next), by a
    reply of its own; a reply that quotes a message (as the real server sometimes does)
    quotes its own turn's message."""
    for number, exchange in enumerate(context.conversation, start=1):
        assert exchange.reply is not None, f"turn {number} ({exchange.sent.text!r}) got no reply"
        quoted = exchange.reply.message.quoted_message_id
        if quoted is not None:
            assert_that(quoted, equal_to(exchange.sent.message_id), f"turn {number}'s reply quotes")
    arrivals = [exchange.reply.seq for exchange in context.conversation]
    assert_that(arrivals, equal_to(sorted(set(arrivals))), "replies by arrival number")


@then("at least one of {agent:Name}'s replies quoted the message it answers")
def some_reply_quoted(context, agent):
    """MaiMBot sometimes answers with a quote of the message (a seglist: the quoted id,
    then the text); the conversation's replies were read (and matched) all the same."""
    quotes = [e for e in context.conversation if e.reply.message.is_quote_reply]
    shapes = ["+".join(e.reply.message.segment_types) for e in context.conversation]
    assert_that(quotes, is_not(empty()), f"quote replies among {agent}'s (shapes: {shapes})")
    for exchange in quotes:
        assert_that(
            exchange.reply.message.quoted_message_id,
            equal_to(exchange.sent.message_id),
            f"the message quoted by the reply to {exchange.sent.text!r}",
        )
