"""Steps about secrets: what one tenant tells its agent, and who may hear it again."""

from behave import given, then, when
from hamcrest import assert_that, empty

import maimbot_acceptance.scenario.gherkin  # noqa: F401  (registers {x:Name}, {x:ChatPlace}, ...)
from maimbot_acceptance.reports.reporting import publish
from maimbot_acceptance.scenario.roster import Place
from maimbot_acceptance.scenario.world import StepContext


@given(
    "{user:Name} of {tenant:Name}, who has {other:Name}'s user id and nickname, "
    "is connected to {agent:Name}"
)
@given(
    "{tenant:Name} 的用户 {user:Name} 与 {other:Name} 的用户 ID 和昵称相同，已连接到 {agent:Name}"
)
def twin_connected(context: StepContext, user: str, tenant: str, other: str, agent: str) -> None:
    context.world.roster.twin(user, tenant, of=other)
    context.world.connections.connect(user, agent)


@when("{user:Name} tells {agent:Name} a code word in {place:ChatPlace}, over several turns")
@when("{user:Name} 在{place:ChatPlace}里分几轮告诉 {agent:Name} 一个暗号")
def tells_code_word(context: StepContext, user: str, agent: str, place: Place) -> None:
    context.world.canaries.tell(user, agent, place)


@given("the groups {groups:Names} share memory on purpose")
@given("群聊 {groups:Names} 有意共享记忆")
def groups_share_memory(context: StepContext, groups: list[str]) -> None:
    shared = context.world.canaries.share(groups)
    publish(context, "Shared on purpose:", [g.describe() for g in shared])


@when("{user:Name} teaches {agent:Name} a code word in {place:ChatPlace}")
@when("{user:Name} 在{place:ChatPlace}里教给 {agent:Name} 一个暗号")
def teaches_code_word(context: StepContext, user: str, agent: str, place: Place) -> None:
    context.world.canaries.tell(user, agent, place, teach=True)


@when('{user:Name} asks {agent:Name} in {place:ChatPlace} "{question}"')
@when('{user:Name} 在{place:ChatPlace}里问 {agent:Name} "{question}"')
def probes(context: StepContext, user: str, agent: str, place: Place, question: str) -> None:
    context.world.canaries.probe(user, agent, question, place)


@then("{agent:Name} remembers {tenant:Name}'s code word for its own users")
@then("{agent:Name} 对 {tenant:Name} 自己的用户记得他们的暗号")
def remembers(context: StepContext, agent: str, tenant: str) -> None:
    shown = context.world.canaries.require_memory(tenant)
    publish(context, "The positive control:", [f"{tenant}'s code word came back in {shown}"])


@then("nothing another tenant's users received carries a code word not theirs")
@then("其他租户的用户收到的任何内容，都不含不属于他们的暗号")
def no_leak_in_replies(context: StepContext) -> None:
    assert_that(
        [s.describe() for s in context.world.canaries.leaks_in_replies()],
        empty(),
        "a tenant's code word reached another tenant's user",
    )


@then("no prompt built while answering another tenant carries a code word not theirs")
@then("为回答其他租户而构建的提示词，都不含不属于他们的暗号")
def no_leak_in_prompts(context: StepContext) -> None:
    leaks, read = context.world.canaries.leaks_in_prompts()
    assert_that(
        [s.describe() for s in leaks], empty(), "a tenant's code word reached another's prompt"
    )
    publish(context, "The model boundary:", [f"{read} prompt(s) built answering another tenant"])


@then("{agent:Name} remembers the code word when {user:Name} asks in {place:ChatPlace}")
@then("{user:Name} 在{place:ChatPlace}里问起时，{agent:Name} 记得暗号")
def remembers_in_chat(context: StepContext, agent: str, user: str, place: Place) -> None:
    chat = context.world.roster.chat_at(user, place)
    shown = context.world.canaries.require_memory_in(chat)
    publish(context, "The positive control:", [f"the code word came back in {shown}"])


@then("no reply in one chat carries a code word from a chat whose memory it does not share")
@then("任何一个聊天里的回复，都不含来自不与它共享记忆的聊天的暗号")
def no_leak_between_chats(context: StepContext) -> None:
    assert_that(
        [s.describe() for s in context.world.canaries.leaks_between_chats()],
        empty(),
        "a code word told in one chat reached another",
    )


@then("no prompt built for one chat carries a code word from a chat whose memory it does not share")
@then("为任何一个聊天构建的提示词，都不含来自不与它共享记忆的聊天的暗号")
def no_leak_between_chats_in_prompts(context: StepContext) -> None:
    leaks, read = context.world.canaries.chat_leaks_in_prompts()
    assert_that(
        [s.describe() for s in leaks],
        empty(),
        "a code word told in one chat reached another's prompt",
    )
    publish(context, "The model boundary:", [f"{read} prompt(s) built answering another chat"])
