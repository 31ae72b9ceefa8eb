"""Steps about fresh users arriving at a server that has been up for a while."""

from behave import then, when
from hamcrest import assert_that, empty, equal_to

import maimbot_acceptance.scenario.gherkin  # noqa: F401  (registers {x:Name}, {x:Names}, {x:Count})
from maimbot_acceptance.judging.stats import Latencies
from maimbot_acceptance.reports.reporting import publish
from maimbot_acceptance.scenario.world import StepContext


@when(
    "a fresh user of {tenant:Name} connects to {agent:Name} and asks a question "
    "every {every:g} seconds for {span:g} seconds"
)
@when(
    "每隔 {every:g} 秒就有一位 {tenant:Name} 的新用户连接到 {agent:Name} 并提一个问题，"
    "持续 {span:g} 秒"
)
def newcomers_keep_coming(
    context: StepContext, tenant: str, agent: str, every: float, span: float
) -> None:
    context.world.crowds.welcome_newcomers(tenant, agent, every, span)


@then("every one of them was connected and got a reply")
@then("他们每一位都连上了，也都收到了回复")
def every_newcomer_welcomed(context: StepContext) -> None:
    welcome = context.world.crowds.the_welcome()
    assert_that(welcome.trouble, equal_to(""), "what went wrong")
    newcomers = welcome.newcomers
    latencies = Latencies(tuple(n.latency for n in newcomers if n.latency is not None))
    assert_that(len(latencies.seconds), equal_to(len(newcomers)), "newcomers with a reply")
    publish(
        context,
        "Newcomers:",
        [
            f"{len(newcomers)} connected and conversed, the last "
            f"{newcomers[-1].came_at:.1f} s after the first",
            f"reply latency: {latencies}",
        ],
    )


@then("the users who came earlier are all still connected")
@then("先来的用户都仍然连着")
def earlier_ones_still_connected(context: StepContext) -> None:
    gone = [
        n.name
        for n in context.world.crowds.the_welcome().newcomers
        if n.client is None or not n.client.is_connected
    ]
    assert_that(gone, empty(), "newcomers no longer connected")
