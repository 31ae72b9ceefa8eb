"""Steps about keys a tenant takes back."""

from behave import then, when
from hamcrest import assert_that, equal_to, is_not

from maimbot_acceptance.reports.reporting import publish

# Importing gherkin registers the step parameter types: {x:Name}, ...
from maimbot_acceptance.scenario import gherkin  # noqa: F401
from maimbot_acceptance.scenario.revocations import Revocations
from maimbot_acceptance.scenario.world import StepContext


@when("{tenant:Name} takes {agent:Name}'s key back by {how:Revocation}")
@when("{tenant:Name} 收回 {agent:Name} 的密钥，方式是{how:Revocation}")
def takes_key_back(context: StepContext, tenant: str, agent: str, how: str) -> None:
    context.world.revocations.take_back(tenant, agent, how)


@when("{who:Name} connects with {tenant:Name}'s key for {agent:Name}")
@when("{who:Name} 用 {tenant:Name} 给 {agent:Name} 的密钥连接")
def connects_with_taken_back_key(context: StepContext, who: str, tenant: str, agent: str) -> None:
    context.world.revocations.try_key(who, tenant, agent)


@when('{user:Name} asks {agent:Name} "{text}" if her connection was kept')
@when('{user:Name} asks {agent:Name} "{text}" if his connection was kept')
@when('{user:Name} 的连接如果还在，就向 {agent:Name} 提问 "{text}"')
def asks_if_kept(context: StepContext, user: str, agent: str, text: str) -> None:
    if context.world.revocations.was_kept(user, agent):
        context.world.conversation.ask(user, agent, text)


@then(
    "{user:Name}'s connection to {tenant:Name}'s {agent:Name} is closed within {seconds:g} "
    "seconds, told why, or kept; the report says which"
)
@then(
    "{user:Name} 到 {tenant:Name} 的 {agent:Name} 的连接要么在 {seconds:g} 秒内被关闭并说明原因，"
    "要么保持打开；报告写明是哪一种"
)
def connection_closed_or_kept(
    context: StepContext, user: str, tenant: str, agent: str, seconds: float
) -> None:
    revocations: Revocations = context.world.revocations
    fate = revocations.fate_of(user, tenant, agent, seconds)
    publish(context, "The connection open when its key was taken back:", [fate.describe()])
    if fate.closed_after is not None:
        # A close without a word leaves the adapter guessing (and reconnecting).
        assert_that(fate.reason, is_not(equal_to("")), f"what the server said: {fate.describe()}")
