"""Steps about who may connect, and whose name a message may use."""

from behave import given, then, when
from hamcrest import assert_that

import maimbot_acceptance.scenario.gherkin  # noqa: F401  (registers {x:Name}, {x:Connection}, ...)
from maimbot_acceptance.reports.reporting import publish
from maimbot_acceptance.scenario import attempts
from maimbot_acceptance.wire.messages import text_segment


@when("{who:Name} connects with an api key for a tenant that does not exist")
def connect_with_unknown_tenant(context, who):
    world = context.world
    world.attempts.with_key(who, attempts.key_of_unknown_tenant(world.stage.dialect))


@when("{who:Name} connects with an api key for an agent {tenant:Name} does not have")
def connect_with_unknown_agent(context, who, tenant):
    world = context.world
    tenant_id = world.roster.tenant(tenant).tenant_id
    world.attempts.with_key(who, attempts.key_of_unknown_agent(world.stage.dialect, tenant_id))


@when(
    "{who:Name} connects with an api key pairing {tenant:Name} "
    "with {owner:Name}'s agent {agent:Name}"
)
def connect_with_foreign_agent(context, who, tenant, owner, agent):
    world = context.world
    roster = world.roster
    tenant_id, agent_id = roster.tenant(tenant).tenant_id, roster.agent(owner, agent).agent_id
    world.attempts.with_key(who, attempts.forged_key(world.stage.dialect, tenant_id, agent_id))


@when(
    "{who:Name} connects with an api key that is only the agent id of {tenant:Name}'s {agent:Name}"
)
def connect_with_shapeless_key(context, who, tenant, agent):
    world = context.world
    agent_id = world.roster.agent(tenant, agent).agent_id
    world.attempts.with_key(who, attempts.shapeless_key(agent_id))


@when(
    "{who:Name} connects with a key naming {tenant:Name}'s {agent:Name} that was never handed out"
)
def connect_with_forged_key(context, who, tenant, agent):
    world = context.world
    tenant_id, agent_id = (
        world.roster.tenant(tenant).tenant_id,
        world.roster.agent(tenant, agent).agent_id,
    )
    world.attempts.with_key(who, attempts.forged_key(world.stage.dialect, tenant_id, agent_id))


@given("{who:Name} is connected as the server's default tenant and agent")
def connected_as_default(context, who):
    context.world.attempts.watch_as_default_tenant(who)


@when(
    "{who:Name} connects with an api key naming {tenant:Name}'s {agent:Name} "
    "without the tenant prefix"
)
def connect_without_tenant_prefix(context, who, tenant, agent):
    world = context.world
    tenant_id = world.roster.tenant(tenant).tenant_id.removeprefix("tenant_")
    agent_id = world.roster.agent(tenant, agent).agent_id
    world.attempts.with_key(who, attempts.forged_key(world.stage.dialect, tenant_id, agent_id))


@when('{who:Name} says "{text}" if she was let in')
@when('{who:Name} says "{text}" if he was let in')
def says_if_let_in(context, who, text):
    context.world.attempts.say_if_let_in(who, text)


@when(
    "{user:Name} of {tenant:Name} connects to {agent:Name} "
    "with the connection id of {connection:Connection}"
)
def connect_with_taken_connection_id(context, user, tenant, agent, connection):
    world = context.world
    world.roster.person(user, tenant)
    taken = world.connections.connection(*connection).connection_id
    world.attempts.as_user(user, agent, connection_id=taken)


@then("{who:Name} is refused within 1 second, told why in one line")
def refused_quickly_in_one_line(context, who):
    attempt = context.world.attempts.of(who)
    assert_that(attempt, attempts.refused_within(1.0), f"what the server did with {who}")


@when(
    "{user:Name} asks {agent:Name}, in a message whose routing key names "
    '{tenant:Name}\'s {target:Name}: "{text}"'
)
def ask_with_spoofed_key(context, user, agent, tenant, target, text):
    world = context.world
    claimed = world.roster.agent(tenant, target).api_key
    exchange = world.conversation.say(user, agent, text_segment(text), claimed_key=claimed)
    # Whatever the server does with it, let it do so before the next message: two
    # messages a millisecond apart would be a burst, which is another feature's matter.
    publish(context, "The server's reaction:", [world.conversation.await_reaction(exchange)])
