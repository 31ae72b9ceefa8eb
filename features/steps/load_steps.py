"""Steps about many connections conversing at once, and the figures they report."""

from behave import given, then, when
from hamcrest import assert_that, equal_to

import maimbot_acceptance.scenario.gherkin  # noqa: F401  (registers {x:Name}, {x:Names}, {x:Count})
from maimbot_acceptance.judging.matchers import nothing_listed
from maimbot_acceptance.reports.reporting import publish
from maimbot_acceptance.scenario.crowds import Crowds
from maimbot_acceptance.scenario.world import StepContext


@given("{tenants:Count} tenants, each with {agents:Count} agents and one user connected to each")
@given("{tenants:Count} 个租户，每个有 {agents:Count} 个智能体，每个智能体连着一个用户")
def many_tenants(context: StepContext, tenants: int, agents: int) -> None:
    context.world.crowds.connect_grid(tenants, agents)


@when("every connection asks {questions:Count} questions at the same time, waiting for each reply")
@when("每个连接同时提出 {questions:Count} 个问题，每个都等待回复")
def everyone_converses(context: StepContext, questions: int) -> None:
    context.world.crowds.converse_all(questions)


@then("the connection success rate is {percent:Count}%")
@then("连接成功率为 {percent:Count}%")
def connection_rate(context: StepContext, percent: int) -> None:
    rate = context.world.connections.rate
    failures = context.world.connections.failures()
    assert_that(
        rate.percent, equal_to(percent), f"connection success rate {rate}; failures: {failures}"
    )


@then("the reply success rate is {percent:Count}%")
@then("回复成功率为 {percent:Count}%")
def reply_rate(context: StepContext, percent: int) -> None:
    crowds: Crowds = context.world.crowds
    rate = crowds.reply_rate
    unanswered = crowds.unanswered()[:10]
    assert_that(
        rate.percent, equal_to(percent), f"reply success rate {rate}; unanswered: {unanswered}"
    )


@then("no connection received anything meant for another connection")
@then("没有任何连接收到发给其他连接的消息")
def nothing_misdelivered(context: StepContext) -> None:
    assert_that(
        context.world.delivery.misdelivered(),
        nothing_listed(),
        "messages on connections not meant for them",
    )


@then("the figures are reported: success rates and reply latency p50, p95 and max")
@then("报告各项数据：成功率，以及回复延迟的 p50、p95 和最大值")
def report_figures(context: StepContext) -> None:
    crowds: Crowds = context.world.crowds
    latencies, connected = crowds.latencies, context.world.connections.rate
    assert latencies.seconds, "no reply arrived, so there is no latency to report"
    publish(
        context,
        "Concurrent conversations:",
        [
            f"connections: {connected.succeeded}, questions: {len(crowds.questions)}",
            f"connection success rate: {connected}",
            f"reply success rate: {crowds.reply_rate}",
            f"reply latency: {latencies}",
        ],
    )
