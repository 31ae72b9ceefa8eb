"""First contact: what every scenario needs of the target, checked once before any runs.

If the target cannot give it, no scenario can pass, and 46 identical failures (or
46 timeouts of ``reply_timeout`` each) say less than one line. So before the first
scenario:

1. one throwaway tenant and agent are provisioned (through the config API; with a
   cast, its first agent is taken): a config API that refuses them ends the run,
   naming the endpoint, the status and what the server said;
2. against a deployment (not the embedded server, which the suite knows), one
   throwaway exchange is sent in a group chat. A server that accepts the connection
   and the message but answers nothing within ``reply_timeout`` ends the run, saying
   so. Its answer also shows whether the target's replies name the answering agent as
   their sender (api_server's do; saas's name one global bot account), which decides
   whether scenarios may use the sender as a second witness of who answered. An
   answer later than ``reply_timeout`` is waited for a while more (``-D
   first_exchange_grace``), to say when it came and what to set; when a second
   exchange is in time, it was a cold start and the run goes on, saying so.
   ``-D first_exchange=skip`` turns this off for those who want every scenario's own
   failure (the dialect then says what the sender is).
"""

from __future__ import annotations

import math
import secrets
import time
from dataclasses import dataclass

from ..errors import ConnectFailed, NotApplicable, ProvisioningError, SendFailed, SettingsError
from ..wire.client import TenantMessageClient
from ..wire.dialects import Dialect
from ..wire.messages import Chat, ChatUser
from .clients import ClientMaker
from .provisioning import DEFAULT_TEMPLATE, Agent, CastProvisioner, Provisioner

QUESTION = "Hello, is anyone there?"
"""The throwaway exchange's message: a plain greeting in a group chat (the chat kind the
real server answers; docs/protocol.md)."""


class TargetUnfit(SettingsError):
    """The target lacks what every scenario needs; the run stops with this one line."""


@dataclass(frozen=True)
class Answered:
    """How the throwaway exchange went."""

    after: float
    """Seconds until the first answer."""
    names_agent: bool
    """Whether that answer named the agent as its sender."""
    second: float | None = None
    """Seconds the second exchange took: sent only when the first was late."""

    def describe(self) -> str:
        if self.second is None:
            return f"answered in {self.after:.2f} s"
        return (
            f"answered after {self.after:.1f} s, later than reply_timeout (a cold start: "
            f"a second exchange took {self.second:.2f} s)"
        )


@dataclass(frozen=True)
class FirstContact:
    """What first contact found, for the run's opening lines."""

    agent: Agent
    answered: Answered | None
    """How the throwaway exchange went; None when it was not sent."""
    speaks: Dialect
    """The target's dialect, as first contact found its replies."""

    def describe(self) -> str:
        who = f"tenant {self.agent.tenant.tenant_id}, agent {self.agent.agent_id}"
        if self.answered is None:
            return f"first contact: provisioned {who} (dialect {self.speaks.name})"
        sender = "names the agent" if self.speaks.sender_names_agent else "is not the agent"
        return (
            f"first contact: {who} {self.answered.describe()}; dialect "
            f"{self.speaks.name}, a reply's sender {sender}"
        )


async def throwaway_agent(provisioner: Provisioner) -> Agent:
    """A tenant and agent of no scenario's: the config API's first test (or the cast's
    first agent)."""
    if isinstance(provisioner, CastProvisioner):
        name, cast_tenant = next(iter(provisioner.cast.tenants.items()))
        # (An upstream cast names no agents: its API clients talk to the one bot.)
        agent_name = next(iter(cast_tenant.agents), "FirstContact")
        try:
            return await provisioner.create_agent(
                await provisioner.create_tenant(name), agent_name, DEFAULT_TEMPLATE
            )
        except NotApplicable as problem:  # the cast names no agent at all
            raise TargetUnfit(f"cast {provisioner.cast.path}: {problem}") from None
    try:
        tenant = await provisioner.create_tenant("FirstContact")
        return await provisioner.create_agent(tenant, "FirstContact", DEFAULT_TEMPLATE)
    except ProvisioningError as problem:
        raise TargetUnfit(f"provisioning failed, so no scenario can run: {problem}") from None


async def first_exchange(
    agent: Agent,
    clients: ClientMaker,
    *,
    platform: str,
    connect_timeout: float,
    reply_timeout: float,
    grace: float,
) -> Answered:
    """One group message to ``agent``; when anything came back, and whether that names
    the agent as its sender.

    Anything at all counts: whether it is the right answer, in the right chat, for the
    right tenant is what the scenarios judge. ``options``: what the client is made with
    beyond its key (``wire.dialects.client_options``). Only a deaf server is told apart here,
    and a slow one: an answer later than ``reply_timeout`` is waited for ``grace`` s
    more, to say when it came. If it came late, a second exchange tells a cold start
    (the second is in time: the run goes on) from agents slower than the knob.
    """
    client = clients.for_agent(agent, platform, f"first contact ({agent.api_key}) on {platform!r}")
    where = f"server_url={clients.server_url}"
    try:
        await client.connect(connect_timeout)
    except ConnectFailed as failure:
        raise TargetUnfit(f"{where}: the first connection failed: {failure}") from None
    try:
        first = await _exchange(client, reply_timeout + grace)
        if first.took is None:
            raise TargetUnfit(
                f"{where}: the server accepted the connection and the message ({first.how}) "
                f"but answered nothing within reply_timeout={reply_timeout:g} s, nor "
                f"{grace:g} s after, so every chat scenario would fail the same way (give a "
                "longer -D reply_timeout if its agents are slow; -D first_exchange=skip runs "
                "the scenarios anyway)"
            )
        names_agent = first.sender == agent.agent_id
        if first.took <= reply_timeout:
            return Answered(first.took, names_agent)
        again = await _exchange(client, reply_timeout)
        if again.took is None:
            raise TargetUnfit(
                f"{where}: the first exchange was answered after {first.took:.1f} s, later "
                f"than reply_timeout={reply_timeout:g} s, and a second one not within it "
                f"either: give -D reply_timeout={math.ceil(first.took * 1.5)} (or more) for "
                "this deployment's agents"
            )
        return Answered(first.took, names_agent, again.took)
    except SendFailed as failure:
        raise TargetUnfit(f"{where}: the first message could not be sent: {failure}") from None
    finally:
        await client.disconnect()


@dataclass(frozen=True)
class _Exchange:
    took: float | None
    """Seconds until anything came back; None: nothing within the wait."""
    how: str
    """How the server took the message."""
    sender: str | None = None
    """Who the first answer named as its sender."""


async def _exchange(client: TenantMessageClient, timeout: float) -> _Exchange:
    user = ChatUser(f"user_first_contact_{secrets.token_hex(3)}", "First Contact")
    chat = Chat.group(f"group_first_contact_{secrets.token_hex(3)}", "First contact")
    sent = await client.send_text(QUESTION, sender=user, chat=chat)
    mark = time.monotonic()
    arrival = await client.inbox.first_arrival(timeout, since=sent.inbox_mark)
    how = "acknowledged it" if sent.package_id in client.acknowledged else "took it without error"
    if arrival is None:
        return _Exchange(None, how)
    return _Exchange(arrival.at - mark, how, arrival.message.sender_id)
