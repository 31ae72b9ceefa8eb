"""Steps about who must, and who must not, receive a reply: platforms, devices, silence.

Each function carries its English and Chinese (zh-CN) phrasings.
"""

from behave import given, then, when

from maimbot_acceptance.scenario.delivery import Delivery

# Importing gherkin registers the step parameter types: {x:Name}, {x:Connection}, ...
from maimbot_acceptance.scenario.gherkin import ConnectionRef
from maimbot_acceptance.scenario.world import StepContext


@given('{user:Name} of {tenant:Name} is connected to {agent:Name} on "{first}" and on "{second}"')
@given('{tenant:Name} 的用户 {user:Name} 已在 "{first}" 和 "{second}" 上连接到 {agent:Name}')
def connected_on_two_platforms(
    context: StepContext, user: str, tenant: str, agent: str, first: str, second: str
) -> None:
    context.world.roster.person(user, tenant)
    context.world.connections.connect(user, agent, first)
    context.world.connections.connect(user, agent, second)


@given('{user:Name} is also connected to {agent:Name} on "{platform}"')
@given('{user:Name} 还在 "{platform}" 上连接到 {agent:Name}')
def also_connected_on(context: StepContext, user: str, agent: str, platform: str) -> None:
    context.world.connections.connect(user, agent, platform)


@given("{user:Name} of {tenant:Name} is connected to {agent:Name} from two devices")
@given("{tenant:Name} 的用户 {user:Name} 已从两台设备连接到 {agent:Name}")
def connected_from_two_devices(context: StepContext, user: str, tenant: str, agent: str) -> None:
    context.world.roster.person(user, tenant)
    for device in (1, 2):
        context.world.connections.connect(user, agent, device=device)


@when('{user:Name} asks {agent:Name} on "{platform}": "{text}"')
@when('{user:Name} 在 "{platform}" 上向 {agent:Name} 提问 "{text}"')
def ask_on_platform(context: StepContext, user: str, agent: str, platform: str, text: str) -> None:
    context.world.conversation.ask(user, agent, text, platform=platform)


@when('{user:Name} asks {agent:Name} from her first device: "{text}"')
@when('{user:Name} asks {agent:Name} from his first device: "{text}"')
@when('{user:Name} 从第一台设备向 {agent:Name} 提问 "{text}"')
def ask_from_first_device(context: StepContext, user: str, agent: str, text: str) -> None:
    context.world.conversation.ask(user, agent, text, device=1)


@then("the reply from {agent:Name} reaches both of {user:Name}'s devices")
@then("{agent:Name} 的回复到达 {user:Name} 的两台设备")
def reply_reaches_both_devices(context: StepContext, agent: str, user: str) -> None:
    context.world.delivery.await_reply_on_devices(user, agent, devices=(1, 2))


@then("{user:Name} receives nothing")
@then("{user:Name} 没有收到任何消息")
def receives_nothing(context: StepContext, user: str) -> None:
    delivery: Delivery = context.world.delivery
    delivery.expect_silence(delivery.clients_of(user))


@then("neither {user:Name} nor {other:Name} receives anything else")
@then("{user:Name} 和 {other:Name} 都没有收到其他任何消息")
def neither_receives_anything_else(context: StepContext, user: str, other: str) -> None:
    delivery: Delivery = context.world.delivery
    delivery.expect_silence(delivery.clients_of(user) + delivery.clients_of(other))


@then("{connection:Connection} receives nothing")
@then("{connection:Connection}没有收到任何消息")
def connection_receives_nothing(context: StepContext, connection: ConnectionRef) -> None:
    context.world.delivery.expect_silence([context.world.connections.connection(*connection)])
