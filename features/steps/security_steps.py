"""Steps about who may connect, and whose name a message may use."""

from behave import given, then, when
from hamcrest import assert_that

from maimbot_acceptance.reports.reporting import publish
from maimbot_acceptance.scenario import attempts

# Importing gherkin registers the step parameter types: {x:Name}, {x:Connection}, ...
from maimbot_acceptance.scenario.gherkin import ConnectionRef
from maimbot_acceptance.scenario.roster import Roster
from maimbot_acceptance.scenario.world import StepContext
from maimbot_acceptance.wire.messages import text_segment


@when("{who:Name} connects with an api key for a tenant that does not exist")
@when("{who:Name} 用一个不存在的租户的密钥连接")
def connect_with_unknown_tenant(context: StepContext, who: str) -> None:
    context.world.attempts.with_key(
        who, attempts.key_of_unknown_tenant(context.world.stage.dialect)
    )


@when("{who:Name} connects with an api key for an agent {tenant:Name} does not have")
@when("{who:Name} 用一个 {tenant:Name} 并没有的智能体的密钥连接")
def connect_with_unknown_agent(context: StepContext, who: str, tenant: str) -> None:
    tenant_id = context.world.roster.tenant(tenant).tenant_id
    context.world.attempts.with_key(
        who, attempts.key_of_unknown_agent(context.world.stage.dialect, tenant_id)
    )


@when(
    "{who:Name} connects with an api key pairing {tenant:Name} "
    "with {owner:Name}'s agent {agent:Name}"
)
@when("{who:Name} 用一个把 {tenant:Name} 和 {owner:Name} 的智能体 {agent:Name} 配在一起的密钥连接")
def connect_with_foreign_agent(
    context: StepContext, who: str, tenant: str, owner: str, agent: str
) -> None:
    roster: Roster = context.world.roster
    tenant_id, agent_id = roster.tenant(tenant).tenant_id, roster.agent(owner, agent).agent_id
    context.world.attempts.with_key(
        who, attempts.forged_key(context.world.stage.dialect, tenant_id, agent_id)
    )


@when(
    "{who:Name} connects with an api key that is only the agent id of {tenant:Name}'s {agent:Name}"
)
@when("{who:Name} 用一个只有 {tenant:Name} 的 {agent:Name} 的智能体 ID 的密钥连接")
def connect_with_shapeless_key(context: StepContext, who: str, tenant: str, agent: str) -> None:
    agent_id = context.world.roster.agent(tenant, agent).agent_id
    context.world.attempts.with_key(who, attempts.shapeless_key(agent_id))


@when(
    "{who:Name} connects with a key naming {tenant:Name}'s {agent:Name} that was never handed out"
)
@when("{who:Name} 用一个从未发放过、却写着 {tenant:Name} 的 {agent:Name} 的密钥连接")
def connect_with_forged_key(context: StepContext, who: str, tenant: str, agent: str) -> None:
    tenant_id, agent_id = (
        context.world.roster.tenant(tenant).tenant_id,
        context.world.roster.agent(tenant, agent).agent_id,
    )
    context.world.attempts.with_key(
        who, attempts.forged_key(context.world.stage.dialect, tenant_id, agent_id)
    )


@given("{who:Name} is connected as the server's default tenant and agent")
@given("{who:Name} 以服务器的默认租户和默认智能体身份连接着")
def connected_as_default(context: StepContext, who: str) -> None:
    context.world.attempts.watch_as_default_tenant(who)


@when(
    "{who:Name} connects with an api key naming {tenant:Name}'s {agent:Name} "
    "without the tenant prefix"
)
@when("{who:Name} 用一个写着 {tenant:Name} 的 {agent:Name}、但缺了租户前缀的密钥连接")
def connect_without_tenant_prefix(context: StepContext, who: str, tenant: str, agent: str) -> None:
    tenant_id = context.world.roster.tenant(tenant).tenant_id.removeprefix("tenant_")
    agent_id = context.world.roster.agent(tenant, agent).agent_id
    context.world.attempts.with_key(
        who, attempts.forged_key(context.world.stage.dialect, tenant_id, agent_id)
    )


@when('{who:Name} says "{text}" if she was let in')
@when('{who:Name} says "{text}" if he was let in')
@when('{who:Name} 如果被放进来了，就说 "{text}"')
def says_if_let_in(context: StepContext, who: str, text: str) -> None:
    context.world.attempts.say_if_let_in(who, text)


@when(
    "{user:Name} of {tenant:Name} connects to {agent:Name} "
    "with the connection id of {connection:Connection}"
)
@when("{tenant:Name} 的用户 {user:Name} 拿着 {connection:Connection}的 ID 连接到 {agent:Name}")
def connect_with_taken_connection_id(
    context: StepContext, user: str, tenant: str, agent: str, connection: ConnectionRef
) -> None:
    context.world.roster.person(user, tenant)
    taken = context.world.connections.connection(*connection).connection_id
    context.world.attempts.as_user(user, agent, connection_id=taken)


@then("{who:Name} is refused within 1 second, told why in one line")
@then("{who:Name} 在 1 秒内被拒绝，并用一句话说明了原因")
def refused_quickly_in_one_line(context: StepContext, who: str) -> None:
    attempt = context.world.attempts.of(who)
    assert_that(attempt, attempts.refused_within(1.0), f"what the server did with {who}")


@when(
    "{user:Name} asks {agent:Name}, in a message whose routing key names "
    '{tenant:Name}\'s {target:Name}: "{text}"'
)
@when(
    '{user:Name} 向 {agent:Name} 发送一条路由键写着 {tenant:Name} 的 {target:Name} 的消息："{text}"'
)
def ask_with_spoofed_key(
    context: StepContext, user: str, agent: str, tenant: str, target: str, text: str
) -> None:
    claimed = context.world.roster.agent(tenant, target).api_key
    exchange = context.world.conversation.say(user, agent, text_segment(text), claimed_key=claimed)
    # Whatever the server does with it, let it do so before the next message: two
    # messages a millisecond apart would be a burst, which is another feature's matter.
    publish(
        context, "The server's reaction:", [context.world.conversation.await_reaction(exchange)]
    )
