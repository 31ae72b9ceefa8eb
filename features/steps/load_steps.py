"""Steps about many connections conversing at once, and the figures they report."""

from behave import given, then, when
from hamcrest import assert_that, equal_to

import maimbot_acceptance.scenario.gherkin  # noqa: F401  (registers {x:Name}, {x:Names}, {x:Count})
from maimbot_acceptance.judging.matchers import nothing_listed
from maimbot_acceptance.reports.reporting import publish


@given("{tenants:Count} tenants, each with {agents:Count} agents and one user connected to each")
def many_tenants(context, tenants, agents):
    context.world.connect_grid(tenants, agents)


@when("every connection asks {questions:Count} questions at the same time, waiting for each reply")
def everyone_converses(context, questions):
    context.load_exchanges = context.world.converse_all(questions)


@then("the connection success rate is {percent:Count}%")
def connection_rate(context, percent):
    rate = context.world.connection_rate
    failures = [str(f) for f in context.world.failed_connections.values()]
    assert_that(
        rate.percent, equal_to(percent), f"connection success rate {rate}; failures: {failures}"
    )


@then("the reply success rate is {percent:Count}%")
def reply_rate(context, percent):
    exchanges = context.load_exchanges
    rate = context.world.reply_rate(exchanges)
    unanswered = [f"{e.client.label}: {e.sent.text!r}" for e in exchanges if e.reply is None]
    assert_that(
        rate.percent, equal_to(percent), f"reply success rate {rate}; unanswered: {unanswered[:10]}"
    )


@then("no connection received anything meant for another connection")
def nothing_misdelivered(context):
    assert_that(
        context.world.misdelivered(), nothing_listed(), "messages on connections not meant for them"
    )


@then("the figures are reported: success rates and reply latency p50, p95 and max")
def report_figures(context):
    world = context.world
    exchanges = context.load_exchanges
    latencies = world.latencies(exchanges)
    assert latencies.seconds, "no reply arrived, so there is no latency to report"
    publish(
        context,
        "Concurrent conversations:",
        [
            f"connections: {len(world.connections)}, questions: {len(exchanges)}",
            f"connection success rate: {world.connection_rate}",
            f"reply success rate: {world.reply_rate(exchanges)}",
            f"reply latency: {latencies}",
        ],
    )
