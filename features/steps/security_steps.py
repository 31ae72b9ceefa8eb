"""Steps about who may connect, and whose name a message may use."""

from behave import given, then, when
from hamcrest import assert_that

import maimbot_acceptance.gherkin  # noqa: F401  (registers {x:Name}, {x:Connection}, ...)
from maimbot_acceptance import attempts
from maimbot_acceptance.messages import text_segment
from maimbot_acceptance.protocol import DEFAULT_KEY, api_key_for


@when("{who:Name} connects with an api key for a tenant that does not exist")
def connect_with_unknown_tenant(context, who):
    context.world.attempt_with_key(who, attempts.key_of_unknown_tenant())


@when("{who:Name} connects with an api key for an agent {tenant:Name} does not have")
def connect_with_unknown_agent(context, who, tenant):
    tenant_id = context.world.tenant(tenant).tenant_id
    context.world.attempt_with_key(who, attempts.key_of_unknown_agent(tenant_id))


@when(
    "{who:Name} connects with an api key pairing {tenant:Name} "
    "with {owner:Name}'s agent {agent:Name}"
)
def connect_with_foreign_agent(context, who, tenant, owner, agent):
    world = context.world
    key = api_key_for(world.tenant(tenant).tenant_id, world.agent(owner, agent).agent_id)
    world.attempt_with_key(who, key)


@when(
    "{who:Name} connects with an api key that is only the agent id of {tenant:Name}'s {agent:Name}"
)
def connect_with_shapeless_key(context, who, tenant, agent):
    agent_id = context.world.agent(tenant, agent).agent_id
    context.world.attempt_with_key(who, attempts.shapeless_key(agent_id))


@given("{who:Name} is connected as the server's default tenant and agent")
def connected_as_default(context, who):
    context.world.watch_as(who, DEFAULT_KEY)


@when(
    "{who:Name} connects with an api key naming {tenant:Name}'s {agent:Name} "
    "without the tenant prefix"
)
def connect_without_tenant_prefix(context, who, tenant, agent):
    world = context.world
    tenant_id = world.tenant(tenant).tenant_id.removeprefix("tenant_")
    world.attempt_with_key(who, api_key_for(tenant_id, world.agent(tenant, agent).agent_id))


@when('{who:Name} says "{text}" if she was let in')
@when('{who:Name} says "{text}" if he was let in')
def says_if_let_in(context, who, text):
    context.world.ask_if_let_in(who, text)


@when(
    "{user:Name} of {tenant:Name} connects to {agent:Name} "
    "with the connection id of {connection:Connection}"
)
def connect_with_taken_connection_id(context, user, tenant, agent, connection):
    world = context.world
    world.person(user, tenant)
    taken = world.connection(*connection).connection_id
    world.attempt_as(user, agent, connection_id=taken)


@then("{who:Name} is refused within 1 second, told why in one line")
def refused_quickly_in_one_line(context, who):
    attempt = context.world.attempts[who]
    assert_that(attempt, attempts.refused_within(1.0), f"what the server did with {who}")


@when(
    "{user:Name} asks {agent:Name}, in a message whose routing key names "
    '{tenant:Name}\'s {target:Name}: "{text}"'
)
def ask_with_spoofed_key(context, user, agent, tenant, target, text):
    world = context.world
    world.say(user, agent, text_segment(text), claimed_key=world.agent(tenant, target).api_key)
