"""Steps about a connection's life: staying idle, dropping, reconnecting, the server
going away and coming back, and what became of messages sent meanwhile."""

from behave import given, then, when
from hamcrest import assert_that, contains_string, equal_to, is_

import maimbot_acceptance.scenario.gherkin  # noqa: F401  (registers {x:Name}, {x:Names}, {x:Count})
from maimbot_acceptance.reports.reporting import publish
from maimbot_acceptance.scenario.conversation import Conversation
from maimbot_acceptance.scenario.world import StepContext


@given('{user:Name} has asked {agent:Name} "{text}" and got a reply')
@given('{user:Name} 已向 {agent:Name} 提问 "{text}" 并收到回复')
def has_asked_and_got_a_reply(context: StepContext, user: str, agent: str, text: str) -> None:
    conversation: Conversation = context.world.conversation
    conversation.await_reply(conversation.ask(user, agent, text))


@when("{user:Name} stays quiet for longer than the server's heartbeat window")
@when("{user:Name} 沉默的时间超过服务器的心跳窗口")
def stays_quiet(context: StepContext, user: str) -> None:
    """Longer than a ping interval plus its timeout: a connection whose heartbeat is
    not answered (or not sent) is dropped within that window."""
    window = context.world.connections.heartbeat_window(user)
    span = window + context.world.stage.settings.notice_slack
    context.world.connections.stay_quiet(user, span)
    announced = context.world.connections.heartbeats_of(user)
    publish(
        context,
        "Idle connection:",
        [
            f"{user} stayed quiet for {span:.1f} s, still connected throughout",
            f"heartbeat window {window:.1f} s; the server announced "
            + ", ".join(f"ping every {i:.0f} s, answer within {t:.0f} s" for i, t in announced),
        ],
    )


@when("{user:Name}'s connection to {agent:Name} drops without a goodbye")
@when("{user:Name} 到 {agent:Name} 的连接没有道别就断了")
def connection_drops(context: StepContext, user: str, agent: str) -> None:
    context.world.connections.drop(user, agent)


@when("{user:Name}'s connection to {agent:Name} is restored")
@when("{user:Name} 到 {agent:Name} 的连接恢复了")
def connection_restored(context: StepContext, user: str, agent: str) -> None:
    # Resend: nothing said while the link was down may be lost.
    reconnection = context.world.connections.reconnect(user, agent, resend=True)
    publish(context, "Reconnect:", [f"{user} -> {agent}: {reconnection.describe()}"])


@then("{user:Name} got exactly one reply from {agent:Name} to each of her questions")
@then("{user:Name} got exactly one reply from {agent:Name} to each of his questions")
@then("{user:Name} 的每个问题都恰好收到 {agent:Name} 的一条回复")
def one_reply_each(context: StepContext, user: str, agent: str) -> None:
    context.world.delivery.expect_one_reply_per_question(user, agent)


@when('{user:Name} asks {agent:Name} "{text}" while {situation}')
@when('{user:Name} 在{situation}期间向 {agent:Name} 提问 "{text}"')
def asks_while_down(context: StepContext, user: str, agent: str, text: str, situation: str) -> None:
    """The client may refuse (the link is known to be down) or send into the dark;
    either is recorded, and judged later."""
    context.world.said_while_down.try_ask(user, agent, text)


@then("nothing {user:Name} said while {situation} was silently lost")
@then("{user:Name} 在{situation}期间说的话，没有一句悄无声息地丢失")
def nothing_silently_lost(context: StepContext, user: str, situation: str) -> None:
    lines = context.world.said_while_down.settle()
    assert lines, f"{user} said nothing while {situation}: nothing to account for"
    publish(context, f"Said while {situation}:", lines)


# -- the server itself (the embedded reference server) --------------------------------


@when("the server stops gracefully")
@when("服务器正常停止")
def server_stops_gracefully(context: StepContext) -> None:
    context.world.server.stop(hard=False)


@when("the server is killed")
@when("服务器被强行终止")
def server_is_killed(context: StepContext) -> None:
    """As a killed process goes: its TCP connections torn down, no goodbye at all."""
    context.world.server.stop(hard=True)


@when("the server comes back on the same address")
@when("服务器在同一地址恢复运行")
def server_comes_back(context: StepContext) -> None:
    context.world.server.start_again()


@then("{user:Name}'s client notices at once that the connection is gone, {goodbye:Goodbye}")
@then("{user:Name} 的客户端立即察觉连接已断开，{goodbye:Goodbye}")
def client_notices_at_once(context: StepContext, user: str, goodbye: str) -> None:
    key = context.world.connections.sole_connection(user)
    lost = context.world.connections.await_loss(
        user,
        key.agent,
        context.world.server.when_stopped(),
        context.world.stage.settings.notice_slack,
    )
    assert_that(lost.detail, contains_string(goodbye), "how the connection ended")


@given("the server holds {user:Name}'s connection to {agent:Name}")
@given("服务器持有 {user:Name} 到 {agent:Name} 的连接")
def server_holds(context: StepContext, user: str, agent: str) -> None:
    client = context.world.connections.connection(user, agent)
    assert_that(context.world.server.holds(client.connection_id), is_(True), "held by the server")


@then("the server lets go of {user:Name}'s dropped connection within the heartbeat window")
@then("服务器在心跳窗口内释放了 {user:Name} 已断开的连接")
def server_lets_go(context: StepContext, user: str) -> None:
    connection_id = context.world.connections.dropped_connection_id(user)
    window = context.world.connections.heartbeat_window(user)
    assert_that(
        context.world.server.lets_go(connection_id, window),
        equal_to(True),
        f"the server forgot connection {connection_id} within {window:.1f} s",
    )
