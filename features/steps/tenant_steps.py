"""Steps that set up the cast: tenants and their agents (provisioned fresh per scenario)."""

from behave import given

import maimbot_acceptance.gherkin  # noqa: F401  (registers {x:Name}, {x:Names}, {x:Count})


@given("tenant {tenant:Name} has an agent {agent:Name}")
@given("tenant {tenant:Name} has agents {agents:Names}")
def tenant_has_agents(context, tenant, agent=None, agents=()):
    for name in [agent] if agent else agents:
        context.world.add_agent(tenant, name)
