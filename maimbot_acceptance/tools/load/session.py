"""One load user's conversation: an agent, one connection, question after question.

Each user gets a tenant and an agent of its own through the config API, or, with a
cast, one of the agents the deployment already has (users then share them).

The Locust user (``locustfile.py``) and the plain asyncio driver both run
these, on an asyncio loop, with the suite's own TenantMessageClient: the load
speaks the same wire code as the acceptance features.

Every exchange is judged, not just timed. The reply is the first message from
the user's own agent, addressed to the user's chat, on its platform, with text
(the portable a_reply matcher). Besides a missing reply, an exchange fails if

* anything for another tenant or agent arrived on the connection since the last
  exchange was judged: **cross-tenant delivery** (isolation under load is the
  point of the exercise);
* more replies from its own agent arrived than questions were asked: a
  **duplicate reply**. A reply that comes after its question timed out is late,
  not a duplicate: that question already counted as a failure. A late reply that
  lands while the next question waits is taken for that one's reply (replies
  carry no portable reference to their question); the counts still add up.

Messages are judged once and then forgotten, so a long run does not grow.
"""

from __future__ import annotations

import itertools
import os
import secrets
import time
from dataclasses import dataclass
from typing import Protocol

from hamcrest.core.matcher import Matcher

from ...errors import ConnectFailed, NoMatchingMessage, ProvisioningError, SendFailed
from ...judging.matchers import a_reply, addressed_to, from_agent
from ...targets.clients import ClientMaker
from ...targets.provisioning import (
    Agent,
    CastProvisioner,
    ConfigApiProvisioner,
    Provisioner,
    Tenant,
)
from ...wire.cast import Cast, load_cast
from ...wire.client import TenantMessageClient
from ...wire.dialects import Dialect
from ...wire.inbox import Arrival
from ...wire.messages import Chat, ChatMessage, ChatUser
from .failures import (
    LoadFailure,
    cross_tenant_delivery,
    duplicate_reply,
    missing_reply,
    send_failed,
    setup_failure,
)
from .options import LoadOptions

AGENT_NAME = "Helper"


@dataclass(frozen=True)
class TimedRequest:
    """One request as a load tool reports it: how long it took, its size, and why it failed."""

    seconds: float
    length: int = 0
    failure: LoadFailure | None = None

    @property
    def milliseconds(self) -> float:
        return self.seconds * 1000.0


class AgentSource(Protocol):
    """Where load user number N gets the agent it talks to."""

    speaks: Dialect
    """What the agents' replies guarantee (whether their sender names the agent)."""

    async def agent_for(self, number: int) -> Agent: ...

    async def close(self) -> None: ...


class ProvisionedAgents:
    """Each user a tenant and an agent of its own, created through the config API."""

    def __init__(self, provisioner: Provisioner, template: str) -> None:
        self.provisioner = provisioner
        self.template = template
        self.speaks = provisioner.speaks

    async def agent_for(self, number: int) -> Agent:
        tenant = await self.provisioner.create_tenant(f"LoadTenant{number}")
        return await self.provisioner.create_agent(tenant, AGENT_NAME, self.template)

    async def close(self) -> None:
        await self.provisioner.close()


class CastAgents:
    """The agents a deployment already has (a cast), handed to users in turn.

    For deployments that cannot provision (MaiMBot's head, docs/protocol.md). Users beyond
    the cast's agents share them: a reply then reaches every user of that agent on
    the platform (MaiMBot's fan-out), and each user judges only the replies to its
    own chat as its own.
    """

    def __init__(self, cast: Cast) -> None:
        self.cast = cast
        provisioner = CastProvisioner(cast)
        self.speaks = provisioner.speaks
        self.agents = [
            provisioner.cast_agent(Tenant(tenant.name, tenant.tenant_id), name)
            for tenant in cast.tenants.values()
            for name in tenant.agents
        ]

    async def agent_for(self, number: int) -> Agent:
        return self.agents[(number - 1) % len(self.agents)]

    async def close(self) -> None:
        """Nothing to release: the cast opened no connection."""


def agents_for(options: LoadOptions) -> AgentSource:
    """The cast's agents with ``--cast``, else fresh ones from the config API."""
    if options.cast:
        return CastAgents(load_cast(options.cast))
    return ProvisionedAgents(ConfigApiProvisioner(options.config_url), options.agent_template)


_run_token = secrets.token_hex(3)


def _process_token() -> str:
    """Unique to this run and process: Locust forks its workers after importing this
    module, so a module-level token alone would be shared by all of them (and user 1 of
    each worker would share a chat id, which matters once users share a cast's agents)."""
    return f"{_run_token}_{os.getpid()}"


_numbers = itertools.count(1)


class ChatSession:
    """A load user: provisions a tenant and agent of its own, connects, and converses."""

    def __init__(self, options: LoadOptions, agents: AgentSource) -> None:
        self.number = next(_numbers)
        self.options = options
        self.label = f"load user {self.number}"
        token = _process_token()
        self.user = ChatUser(f"load_{token}_{self.number}", f"LoadUser{self.number}")
        self.chat = Chat.group(f"load_group_{token}_{self.number}", f"{self.label}'s group")
        self._agents = agents
        self._agent: Agent | None = None
        self._client: TenantMessageClient | None = None
        self._turn = 0
        self._judged = 0  # inbox mark up to which arrivals have been judged
        self._owed = 0  # timed-out questions whose late reply may still come

    @property
    def agent(self) -> Agent:
        if self._agent is None:
            raise RuntimeError(f"{self.label} has no agent yet: call provision() first")
        return self._agent

    @property
    def client(self) -> TenantMessageClient:
        if self._client is None:
            raise RuntimeError(f"{self.label} is not connected: call connect() first")
        return self._client

    # -- the requests --------------------------------------------------------------

    async def provision(self) -> TimedRequest:
        """The agent this user talks to (a tenant and an agent of its own, or the cast's)."""
        started = time.monotonic()
        try:
            self._agent = await self._agents.agent_for(self.number)
        except (ProvisioningError, TimeoutError) as error:
            return TimedRequest(time.monotonic() - started, failure=setup_failure(error))
        return TimedRequest(time.monotonic() - started)

    async def connect(self) -> TimedRequest:
        agent = self.agent
        started = time.monotonic()
        maker = ClientMaker(
            self.options.server_url, "socketio", auth_settle=self.options.auth_settle
        )
        client = maker.for_agent(agent, self.options.platform, f"{self.label} ({agent.api_key})")
        try:
            await client.connect(self.options.connect_timeout)
        except ConnectFailed as error:
            return TimedRequest(time.monotonic() - started, failure=setup_failure(error))
        self._client = client
        return TimedRequest(time.monotonic() - started)

    async def exchange(self) -> TimedRequest:
        """Ask the agent once and wait for its reply; judge everything that arrived."""
        client = self.client
        inbox = client.inbox
        self._turn += 1
        text = f"{AGENT_NAME}, question {self._turn} from {self.user.nickname}"
        started = time.monotonic()
        try:
            sent = await client.send_text(text, sender=self.user, chat=self.chat)
        except SendFailed as error:
            return TimedRequest(time.monotonic() - started, failure=send_failed(str(error)))
        timeout = self.options.reply_timeout
        reply: Arrival | None = None
        failure: LoadFailure | None = None
        try:
            reply = await inbox.wait_for(
                self._expected_reply(), timeout, since=sent.inbox_mark, context=sent.describe()
            )
        except NoMatchingMessage as missing:
            failure = missing_reply(timeout, str(missing))
        judged_up_to = reply.seq + 1 if reply is not None else inbox.mark()
        failure = self._judge(sent.inbox_mark, judged_up_to) or failure
        if reply is None:
            self._owed += 1
        finished = reply.at if reply is not None else time.monotonic()
        inbox.forget(judged_up_to)
        length = len(reply.message.text) if reply is not None else 0
        return TimedRequest(finished - sent.sent_at, length, failure)

    async def close(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            await client.disconnect()

    # -- judging -------------------------------------------------------------------

    def _expected_reply(self) -> Matcher[ChatMessage]:
        agent = self.agent
        return a_reply(
            api_key=agent.api_key,
            agent_id=agent.agent_id,
            agent_name=agent.name,
            chat=self.chat,
            platform=self.options.platform,
            dialect=self._agents.speaks,
        )

    def _judge(self, asked_at: int, up_to: int) -> LoadFailure | None:
        """Judge arrivals from the last judged mark up to (not incl.) ``up_to``.

        Arrivals before ``asked_at`` came while no question was open.
        """
        agent = self.agent
        own = from_agent(agent.api_key, agent.agent_id, dialect=self._agents.speaks)
        arrivals = [a for a in self.client.inbox.since(self._judged) if a.seq < up_to]
        self._judged = up_to
        foreign = [a for a in arrivals if not own.matches(a.message)]
        # Replies of the same agent to other users' chats are fan-out (a shared cast agent).
        arrivals = [a for a in arrivals if addressed_to(self.chat).matches(a.message)]
        if foreign:
            return cross_tenant_delivery(
                f"{self.client.label} on {self.options.platform!r} received {len(foreign)} "
                f"message(s) meant for another connection; the first: "
                f"{foreign[0].message.describe()}"
            )
        unasked = [a for a in arrivals if a.seq < asked_at]
        late = min(self._owed, len(unasked))
        self._owed -= late
        extra = unasked[late:]
        if extra:
            return duplicate_reply(
                f"{self.client.label}: {len(extra)} more message(s) from its agent than "
                f"questions asked, after question {self._turn - 1}; the first: "
                f"{extra[0].message.describe()}"
            )
        return None
