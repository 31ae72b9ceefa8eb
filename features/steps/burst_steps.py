"""Steps about bursts: many messages sent at once, and the replies they get."""

from behave import then, when
from hamcrest import assert_that

import maimbot_acceptance.scenario.gherkin  # noqa: F401  (registers {x:Name}, {x:Names}, {x:Count})
from maimbot_acceptance.judging.matchers import nothing_listed
from maimbot_acceptance.reports.reporting import publish
from maimbot_acceptance.scenario.crowds import Crowds
from maimbot_acceptance.scenario.world import StepContext


@when(
    "{user:Name} sends {agent:Name} {count:Count} messages in a burst, without waiting for replies"
)
@when("{user:Name} 一口气向 {agent:Name} 发送 {count:Count} 条消息，不等回复")
def sends_a_burst(context: StepContext, user: str, agent: str, count: int) -> None:
    context.world.crowds.send_burst(user, agent, count)


@then("{user:Name} gets {count:Count} replies from {agent:Name}, one per message")
@then("{user:Name} 收到 {agent:Name} 的 {count:Count} 条回复，每条消息一条")
def gets_one_reply_per_message(context: StepContext, user: str, count: int, agent: str) -> None:
    context.world.crowds.await_burst_replies()


@then("every reply that quotes a message quotes the one in its place in the burst")
@then("凡是引用了消息的回复，引用的都是这串消息中与它位置相同的那条")
def quotes_in_place(context: StepContext) -> None:
    """The order witness any server gives: a quote reply names the message it answers."""
    crowds: Crowds = context.world.crowds
    assert_that(crowds.misquoted_in_burst(), nothing_listed(), "replies quoting out of place")
    quotes = crowds.quoted_in_burst()
    publish(
        context,
        "Burst:",
        [f"{len(crowds.burst)} replies; {quotes} quoted their message, each in its place"],
    )


@then("the replies echo the messages in the order they were sent")
@then("回复按发送顺序逐条回显这些消息")
def echo_in_order(context: StepContext) -> None:
    assert_that(
        context.world.crowds.echoes_out_of_place(),
        nothing_listed(),
        "replies not echoing the message in their place",
    )


@then("no further reply arrives")
@then("之后再没有多余的回复")
def no_further_reply(context: StepContext) -> None:
    last = context.world.crowds.last_of_burst()
    context.world.delivery.expect_no_further_reply(
        last.person.name, last.agent.name, after=last.answer()
    )
