"""Steps about replies over time: one per message, and none to the agent's own."""

from behave import then, when

import maimbot_acceptance.scenario.gherkin  # noqa: F401  (registers {x:Name})
from maimbot_acceptance.reports.reporting import publish
from maimbot_acceptance.scenario.world import StepContext


@when(
    "the platform reports {agent:Name}'s reply back to {user:Name}'s chat, as the bot's own message"
)
@when("平台把 {agent:Name} 的回复当作机器人自己的消息，回报到 {user:Name} 的聊天里")
def reports_reply_back(context: StepContext, agent: str, user: str) -> None:
    """As platforms echo what a bot sent (QQ adapters do): its text, in its chat, from
    the bot's account."""
    echo = context.world.repeats.report_back(user, agent)
    publish(context, "Reported back:", [echo.sent.describe()])


@then("{agent:Name} answers at least one of {user:Name}'s messages")
@then("{agent:Name} 至少回答了 {user:Name} 的一条消息")
def answers_at_least_one(context: StepContext, agent: str, user: str) -> None:
    context.world.repeats.await_any_reply(user, agent)


@then("no message of {user:Name}'s gets a second reply from {agent:Name} within the repeat window")
@then("{agent:Name} does not answer its own message to {user:Name} within the repeat window")
@then("在重复窗口内，{user:Name} 的任何一条消息都没有收到 {agent:Name} 的第二条回复")
@then("在重复窗口内，{agent:Name} 不回答它自己发给 {user:Name} 的消息")
def no_repeats(context: StepContext, user: str, agent: str) -> None:
    counted = context.world.repeats.expect_no_repeats(user, agent)
    publish(context, "Over the repeat window:", [counted])
