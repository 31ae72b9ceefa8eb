"""Steps that introduce tenants and their agents (fresh ones per scenario through the
config API, or the existing ones a cast file names).

Each function carries its English and Chinese (zh-CN) phrasings.
"""

from collections.abc import Sequence

from behave import given

import maimbot_acceptance.scenario.gherkin  # noqa: F401  (registers {x:Name}, {x:Names}, {x:Count})
from maimbot_acceptance.scenario.world import StepContext


@given("tenant {tenant:Name} has an agent {agent:Name}")
@given("tenant {tenant:Name} has agents {agents:Names}")
@given("租户 {tenant:Name} 有一个智能体 {agent:Name}")
@given("租户 {tenant:Name} 有智能体 {agents:Names}")
def tenant_has_agents(
    context: StepContext, tenant: str, agent: str | None = None, agents: Sequence[str] = ()
) -> None:
    for name in [agent] if agent else agents:
        context.world.roster.add_agent(tenant, name)
