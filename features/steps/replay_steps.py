"""Steps that recorded features add to the suite's own (maimbot_acceptance.record):
a reply within the recorded time, the recorded pace, copies of a reply on other
connections, and silence over a whole scenario's users."""

import parse
from behave import given, register_type, then, when

import maimbot_acceptance.scenario.gherkin  # noqa: F401  (registers {x:Name}, {x:Escaped}, ...)
from maimbot_acceptance.errors import NoMatchingMessage, UnexpectedMessage
from maimbot_acceptance.judging.matchers import with_text
from maimbot_acceptance.record.replay import ReplayKnobs, leak_headline
from maimbot_acceptance.scenario.conversation import Conversation
from maimbot_acceptance.scenario.delivery import Delivery
from maimbot_acceptance.scenario.world import StepContext
from maimbot_acceptance.wire.messages import ChatKind


@parse.with_pattern(r"\d+(?:\.\d+)?")
def parse_seconds(text: str) -> float:
    return float(text)


@parse.with_pattern(r'[^"]+')
def parse_quoted(text: str) -> str:
    return text


register_type(Seconds=parse_seconds, Quoted=parse_quoted)


def knobs(context: StepContext) -> ReplayKnobs:
    """The replay knobs (checked with the suite's other knobs before the run)."""
    settings = context.world.stage.settings
    return ReplayKnobs(settings.replay_pace, settings.replay_slack, settings.replay_max_pause)


@given('{user:Name} of {tenant:Name} is connected to {agent:Name} on "{platform:Quoted}"')
def connected_on(context: StepContext, user: str, tenant: str, agent: str, platform: str) -> None:
    context.world.roster.person(user, tenant)
    context.world.connections.connect(user, agent, platform)


@when(
    '{user:Name} asks {agent:Name}, in a {kind:w} chat on "{platform:Quoted}", '
    'the text "{text:Escaped}"'
)
def ask_in_chat_on(
    context: StepContext, user: str, agent: str, kind: str, platform: str, text: str
) -> None:
    chat = {"group": ChatKind.GROUP, "private": ChatKind.PRIVATE}[kind]
    context.world.conversation.ask(user, agent, text, chat, platform=platform)


@when("{seconds:Seconds} s have passed since the last message")
def recorded_pause(context: StepContext, seconds: float) -> None:
    """At the recorded pace, wait out the pause; fast, go on at once."""
    conversation: Conversation = context.world.conversation
    conversation.pause(knobs(context).pause(seconds, conversation.since_last_message()))


@then("{user:Name} gets a reply from {agent:Name} in the same chat within {seconds:Seconds} s")
@then(
    "{user:Name} gets a reply from {agent:Name} in the same chat within {seconds:Seconds} s, "
    'reading "{text:Escaped}"'
)
def reply_within(
    context: StepContext, user: str, agent: str, seconds: float, text: str | None = None
) -> None:
    conversation: Conversation = context.world.conversation
    limit = seconds * knobs(context).slack
    exchange = conversation.last_exchange(user, agent)
    also = None if text is None else with_text(text)
    try:
        conversation.await_reply(exchange, timeout=limit, also=also)
    except NoMatchingMessage as missing:
        raise NoMatchingMessage(
            f"no reply from {agent} to {user} within {limit:.1f} s, where the recording had "
            f"one (a reply dropped, late, or sent elsewhere):\n{missing}"
        ) from None


@then("{user:Name} also gets {agent:Name}'s reply to {asker:Name}")
def also_gets(context: StepContext, user: str, agent: str, asker: str) -> None:
    """In the recording this connection got the asker's reply too (every connection of
    the agent on that platform does)."""
    try:
        context.world.delivery.await_copy(user, agent, asker)
    except NoMatchingMessage as missing:
        raise NoMatchingMessage(
            f"{user}'s connection to {agent} did not get {agent}'s reply to {asker}, as it did "
            f"in the recording (a reply reaching only some of the agent's connections):\n{missing}"
        ) from None


@then("no one receives what was not meant for them")
def no_one_receives_what_was_not_meant_for_them(context: StepContext) -> None:
    """Every connection of the scenario, over one quiet window: each may hear its own
    agent's replies to those who asked it there, and nothing else."""
    delivery: Delivery = context.world.delivery
    clients = [c for name in context.world.roster.people for c in delivery.clients_of(name)]
    try:
        delivery.expect_silence(clients)
    except UnexpectedMessage as leaked:
        offence = delivery.first_offence(clients)
        headline = (
            leak_headline(*offence)
            if offence
            else "a connection received what the recording never showed it receiving"
        )
        raise UnexpectedMessage(f"{headline}\n{leaked}") from None
