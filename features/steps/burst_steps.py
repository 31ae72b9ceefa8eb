"""Steps about bursts: many messages sent at once, and the replies they get."""

from behave import then, when
from hamcrest import assert_that, equal_to

import maimbot_acceptance.gherkin  # noqa: F401  (registers {x:Name}, {x:Names}, {x:Count})
from maimbot_acceptance.reporting import publish
from maimbot_acceptance.server.agents import echo_text


@when(
    "{user:Name} sends {agent:Name} {count:Count} messages in a burst, without waiting for replies"
)
def sends_a_burst(context, user, agent, count):
    context.burst = context.world.send_burst(user, agent, count)


@then("{user:Name} gets {count:Count} replies from {agent:Name}, one per message")
def gets_one_reply_per_message(context, user, count, agent):
    assert_that(len(context.burst), equal_to(count), "messages in the burst")
    context.world.await_burst_replies(context.burst)


@then("every reply that quotes a message quotes the one in its place in the burst")
def quotes_in_place(context):
    """The order witness any server gives: a quote reply names the message it answers
    (MaiMBot quotes some replies, at random; the reference server every third)."""
    misplaced = []
    quoting = 0
    for place, exchange in enumerate(context.burst, start=1):
        quoted = exchange.reply.message.quoted_message_id
        if quoted is None:
            continue
        quoting += 1
        if quoted != exchange.sent.message_id:
            answered = next(
                (n for n, e in enumerate(context.burst, 1) if e.sent.message_id == quoted), None
            )
            misplaced.append(f"reply #{place} quotes message #{answered} ({quoted})")
    assert_that(misplaced, equal_to([]), "replies quoting a message out of its place")
    publish(
        context,
        "Burst:",
        [f"{len(context.burst)} replies; {quoting} quoted their message, each in its place"],
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
    assert_that(wrong, equal_to([]), "replies not echoing the message in their place")


@then("no further reply arrives")
def no_further_reply(context):
    last = context.burst[-1]
    context.world.expect_no_further_reply(last.person.name, last.agent.name, after=last.reply)
