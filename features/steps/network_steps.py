"""Steps about the network between a user's adapter and the server: slow, cut, silent."""

from behave import given, then, when
from hamcrest import assert_that, greater_than_or_equal_to

import maimbot_acceptance.scenario.gherkin  # noqa: F401  (registers {x:Name}, {x:Names}, {x:Count})
from maimbot_acceptance.reports.reporting import publish
from maimbot_acceptance.scenario.world import StepContext


@given(
    "{user:Name} of {tenant:Name} is connected to {agent:Name} "
    "through a network the test can disturb"
)
@given("{tenant:Name} 的用户 {user:Name} 通过一个测试可以干扰的网络连接到 {agent:Name}")
def connected_through_a_network(context: StepContext, user: str, tenant: str, agent: str) -> None:
    context.world.roster.person(user, tenant)
    context.world.network.connect_over_link(user, agent)


@when("{user:Name}'s network becomes slow, adding {seconds:g} s each way")
@when("{user:Name} 的网络变慢，每个方向增加 {seconds:g} 秒")
def network_slow(context: StepContext, user: str, seconds: float) -> None:
    context.world.network.slow(user, seconds)


@then("the reply took at least the round trip the network added")
@then("回复所用的时间至少是网络增加的往返时间")
def reply_took_the_round_trip(context: StepContext) -> None:
    """Proof that the slowness was real (a proxy doing nothing would pass the scenario)."""
    exchange = context.world.conversation.last_answered()
    added = context.world.network.added_round_trip(exchange.person.name)
    latency = exchange.answered_after()
    assert_that(latency, greater_than_or_equal_to(added), "reply latency, seconds")
    publish(
        context,
        "Slow network:",
        [f"added round trip {added * 1000:.0f} ms; reply after {latency * 1000:.0f} ms"],
    )


@when("{user:Name}'s network cuts the connection")
@when("{user:Name} 的网络切断了连接")
def network_cuts(context: StepContext, user: str) -> None:
    context.world.network.cut(user)


@when("{user:Name}'s network goes silent")
@when("{user:Name} 的网络陷入静默")
def network_goes_silent(context: StepContext, user: str) -> None:
    context.world.network.silence(user)


@then("{user:Name}'s client notices the broken connection within the heartbeat window")
@then("{user:Name} 的客户端在心跳窗口内察觉连接已断开")
def notices_within_heartbeat(context: StepContext, user: str) -> None:
    key = context.world.connections.sole_connection(user)
    window = context.world.connections.heartbeat_window(user)
    broken_at = context.world.network.when_broken()
    lost = context.world.connections.await_loss(
        user, key.agent, broken_at, within=window + context.world.stage.settings.notice_slack
    )
    noticed = lost.at - broken_at
    publish(
        context,
        "Broken connection:",
        [f"noticed {noticed:.2f} s after it broke (heartbeat window {window:.1f} s)", lost.detail],
    )


@when("the network is repaired")
@when("网络修复了")
def network_repaired(context: StepContext) -> None:
    context.world.network.repair()
