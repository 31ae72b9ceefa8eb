"""Steps about users' connections to agents (English and Chinese phrasings)."""

from collections.abc import Sequence

from behave import given, then, when
from hamcrest import assert_that, empty

import maimbot_acceptance.scenario.gherkin  # noqa: F401  (registers {x:Name}, {x:Names}, {x:Count})
from maimbot_acceptance.scenario.world import StepContext


@when("{user:Name} of {tenant:Name} connects to {agent:Name}")
@given("{user:Name} of {tenant:Name} is connected to {agents:Names}")
@when("{tenant:Name} 的用户 {user:Name} 连接到 {agent:Name}")
@given("{tenant:Name} 的用户 {user:Name} 已连接到 {agents:Names}")
def user_of_tenant_connects(
    context: StepContext,
    user: str,
    tenant: str,
    agent: str | None = None,
    agents: Sequence[str] = (),
) -> None:
    context.world.roster.person(user, tenant)
    for name in [agent] if agent else agents:
        context.world.connections.connect(user, name)


@when("{user:Name} connects to {agent:Name}")
@when("{user:Name} 连接到 {agent:Name}")
def user_connects(context: StepContext, user: str, agent: str) -> None:
    context.world.connections.connect(user, agent)


@then("{user:Name} is connected to {agents:Names}")
@then("{user:Name} 已连接到 {agents:Names}")
def user_is_connected(context: StepContext, user: str, agents: Sequence[str]) -> None:
    closed = [a for a in agents if not context.world.connections.connection(user, a).is_connected]
    assert_that(closed, empty(), f"{user}'s connections that are not open")
