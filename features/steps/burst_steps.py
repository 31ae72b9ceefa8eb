"""Steps about bursts: many messages sent at once, and the replies they get."""

from behave import then, when
from hamcrest import assert_that

import maimbot_acceptance.scenario.gherkin  # noqa: F401  (registers {x:Name}, {x:Names}, {x:Count})
from maimbot_acceptance.judging.matchers import nothing_listed
from maimbot_acceptance.reports.reporting import publish
from maimbot_acceptance.scenario.world import misplaced_quotes
from maimbot_acceptance.server.agents import echo_text


@when(
    "{user:Name} sends {agent:Name} {count:Count} messages in a burst, without waiting for replies"
)
def sends_a_burst(context, user, agent, count):
    context.burst = context.world.send_burst(user, agent, count)


@then("{user:Name} gets {count:Count} replies from {agent:Name}, one per message")
def gets_one_reply_per_message(context, user, count, agent):
    context.world.await_burst_replies(context.burst)


@then("every reply that quotes a message quotes the one in its place in the burst")
def quotes_in_place(context):
    """The order witness any server gives: a quote reply names the message it answers."""
    assert_that(misplaced_quotes(context.burst), nothing_listed(), "replies quoting out of place")
    quotes = sum(1 for e in context.burst if e.reply.message.is_quote_reply)
    publish(
        context,
        "Burst:",
        [f"{len(context.burst)} replies; {quotes} quoted their message, each in its place"],
    )


@then("the replies echo the messages in the order they were sent")
def echo_in_order(context):
    name = context.burst[0].agent.name
    expected = [echo_text(name, e.sent.text) for e in context.burst]
    got = [e.reply.message.text for e in context.burst]
    wrong = [
        f"reply #{n}: {text!r}, expected {want!r}"
        for n, (text, want) in enumerate(zip(got, expected, strict=True), start=1)
        if text != want
    ]
    assert_that(wrong, nothing_listed(), "replies not echoing the message in their place")


@then("no further reply arrives")
def no_further_reply(context):
    last = context.burst[-1]
    context.world.expect_no_further_reply(last.person.name, last.agent.name, after=last.reply)
