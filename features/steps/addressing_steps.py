"""Steps about where a reply goes: to the chat it answers, quoting the message it answers."""

from behave import then, when
from hamcrest import assert_that

import maimbot_acceptance.scenario.gherkin  # noqa: F401  (registers {x:Name}, {x:ChatPlace})
from maimbot_acceptance.judging.matchers import nothing_listed
from maimbot_acceptance.reports.reporting import publish
from maimbot_acceptance.scenario.conversation import Conversation
from maimbot_acceptance.scenario.roster import Place
from maimbot_acceptance.scenario.world import StepContext


@when('{user:Name} asks {agent:Name} "{text}" in {place:ChatPlace}')
@when('{user:Name} 在{place:ChatPlace}里向 {agent:Name} 提问 "{text}"')
def ask_at(context: StepContext, user: str, agent: str, text: str, place: Place) -> None:
    context.world.conversation.ask(user, agent, text, place)


@when(
    "{user:Name} has this conversation with {agent:Name} in {place:ChatPlace}, "
    "waiting for each reply:"
)
@when("{user:Name} 在{place:ChatPlace}里与 {agent:Name} 进行如下对话，每句都等待回复：")
def conversation_at(context: StepContext, user: str, agent: str, place: Place) -> None:
    """First column: what the user says, turn by turn ("Alice says")."""
    turns = [(row[0], None) for row in context.table]
    context.world.conversation.hold(user, agent, turns, place)


@then("every reply that quotes a message quotes the one it answers")
@then("凡是引用了消息的回复，引用的都是它所回答的那条")
def quotes_the_message_answered(context: StepContext) -> None:
    conversation: Conversation = context.world.conversation
    assert_that(conversation.misquoted_turns(), nothing_listed(), "replies quoting another turn")
    quoted = conversation.require_quotes()
    publish(
        context,
        "Quotes:",
        [f"{quoted} of {len(conversation.dialogue)} replies quoted the message they answer"],
    )
