"""Connection attempts whose outcome is the point: keys to refuse, ids to protect.

A scenario about authentication does not want a connection, it wants to know what
the server did with the attempt: refused it (how fast, saying what), or let it in.
The attempt's client is kept either way, so that what it received meanwhile can be
checked ("a refused client hears nothing").
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field
from typing import Any

from hamcrest.core.base_matcher import BaseMatcher
from hamcrest.core.description import Description
from hamcrest.core.matcher import Matcher

from ..errors import ConnectFailed, ConnectRefused, NotApplicable, ScenarioError
from ..wire.client import TenantMessageClient
from ..wire.dialects import Dialect
from ..wire.messages import Chat, ChatUser, SentMessage
from .connections import Connections
from .roster import Roster
from .stage import Stage


@dataclass(frozen=True)
class Attempt:
    who: str
    client: TenantMessageClient
    failure: ConnectFailed | None
    elapsed: float

    @property
    def accepted(self) -> bool:
        return self.failure is None

    def describe(self) -> str:
        outcome = "accepted" if self.failure is None else f"failed: {self.failure}"
        return f"{self.who}'s attempt ({self.client.label}) took {self.elapsed:.3f} s and {outcome}"


async def attempt_connection(who: str, client: TenantMessageClient, timeout: float) -> Attempt:
    """Connect ``client``; a failure to connect is the attempt's outcome, not an error."""
    started = time.monotonic()
    try:
        await client.connect(timeout)
    except ConnectFailed as failure:
        return Attempt(who, client, failure, time.monotonic() - started)
    return Attempt(who, client, None, time.monotonic() - started)


def refused_within(seconds: float) -> Matcher[Attempt]:
    """An attempt the server refused (not one that timed out or found nothing), within
    ``seconds``, explained in one line that names the api key presented."""
    return _RefusedWithin(seconds)


class _RefusedWithin(BaseMatcher[Attempt]):
    def __init__(self, seconds: float) -> None:
        self._seconds = seconds

    def _problem(self, attempt: Attempt) -> str | None:
        failure = attempt.failure
        if failure is None:
            return (
                f"{attempt.who} was let in, {attempt.elapsed:.3f} s after connecting "
                f"as {attempt.client.label}"
            )
        if not isinstance(failure, ConnectRefused):
            return f"{attempt.who} was not refused: {type(failure).__name__}: {failure}"
        if attempt.elapsed >= self._seconds:
            return f"{attempt.who} was refused only after {attempt.elapsed:.3f} s: {failure}"
        text = str(failure)
        if "\n" in text or attempt.client.api_key not in text:
            return f"the refusal is not one line naming the api key: {text!r}"
        return None

    def _matches(self, item: Any) -> bool:
        return isinstance(item, Attempt) and self._problem(item) is None

    def describe_to(self, description: Description) -> None:
        description.append_text(
            f"a connection refused within {self._seconds:g} s, "
            "told why in one line naming the api key"
        )

    def describe_mismatch(self, item: Any, mismatch_description: Description) -> None:
        if not isinstance(item, Attempt):
            mismatch_description.append_text(f"was not a connection attempt: {item!r}")
            return
        mismatch_description.append_text(self._problem(item) or "it was")


# -- api keys a correct server refuses ------------------------------------------------
# Each is well-formed for the target's dialect (docs/protocol.md): a key the server
# refuses for its shape alone proves nothing about whether it checks whom a key names.


def forged_key(dialect: Dialect, tenant_id: str, agent_id: str) -> str:
    """A key shaped as the target's keys are, naming these ids, never handed out."""
    return dialect.forge_key(tenant_id, agent_id)


def key_of_unknown_tenant(dialect: Dialect) -> str:
    """Shaped like a real key, naming a tenant and agent nobody has."""
    return forged_key(dialect, f"tenant_{secrets.token_hex(6)}", f"agent_{secrets.token_hex(6)}")


def key_of_unknown_agent(dialect: Dialect, tenant_id: str) -> str:
    """A real tenant, an agent it does not have."""
    return forged_key(dialect, tenant_id, f"agent_{secrets.token_hex(6)}")


def shapeless_key(agent_id: str) -> str:
    """The agent id alone, without its tenant: a likely slip, of no dialect's shape.

    api_server files such a key under ``default:default`` (docs/protocol.md, api_server
    defect 2)."""
    return agent_id


# -- the scenario's attempts --------------------------------------------------------


@dataclass
class Attempts:
    """The connection attempts of a scenario, by who made them."""

    stage: Stage
    roster: Roster
    connections: Connections
    made: dict[str, Attempt] = field(default_factory=dict)
    outsider_chats: list[Chat] = field(default_factory=list)
    """Chats that attempts (no user of the scenario's tenants) spoke in: nobody else's."""

    def with_key(self, who: str, api_key: str, platform: str = "") -> Attempt:
        """``who`` (no tenant of the scenario) tries to connect with this api key."""
        client = self.connections.maker.for_key(
            api_key, platform or self.stage.settings.platform, f"{who} (api key {api_key!r})"
        )
        return self._attempt(who, client)

    def as_user(self, user: str, agent_name: str, **overrides: Any) -> Attempt:
        """``user`` tries to connect to their tenant's agent, with client overrides
        (e.g. ``connection_id``)."""
        person = self.roster.person(user)
        agent = self.roster.agent_of(person, agent_name)
        client = self.connections.client_for(
            person, agent, self.stage.settings.platform, **overrides
        )
        return self._attempt(user, client)

    def watch_as(self, who: str, api_key: str) -> None:
        """``who`` connects with ``api_key`` only to watch what reaches it (a bystander of
        no scenario tenant); a server that refuses the key has nothing to watch there."""
        attempt = self.with_key(who, api_key)
        if not attempt.accepted:
            raise NotApplicable(
                f"the server refused {who}'s key {api_key!r}, so there is no such "
                f"connection for anything to reach: {attempt.failure}"
            )

    def watch_as_default_tenant(self, who: str) -> None:
        """``who`` watches as the server's default tenant and agent (api_server's
        ``default:default``); a target without one cannot stage this."""
        key = self.stage.dialect.default_tenant_key
        if not key:
            raise NotApplicable(
                f"the target ({self.stage.dialect.name}) has no default tenant to watch as"
            )
        self.watch_as(who, key)

    def say_if_let_in(self, who: str, text: str) -> SentMessage | None:
        """An attempt that was let in says ``text`` in a group chat of its own."""
        attempt = self.of(who)
        if not attempt.accepted:
            return None
        token = secrets.token_hex(3)
        chat = Chat.group(f"group_{who.lower()}_{token}", f"{who}'s group")
        self.outsider_chats.append(chat)
        sender = ChatUser(f"user_{who.lower()}_{token}", who)
        return self.stage.run(
            attempt.client.send_text(text, sender=sender, chat=chat), self.stage.operation_timeout
        )

    def _attempt(self, who: str, client: TenantMessageClient) -> Attempt:
        timeout = self.stage.settings.connect_timeout
        attempt = self.stage.run(attempt_connection(who, client, timeout), timeout)
        self.made[who] = attempt
        return attempt

    def of(self, who: str) -> Attempt:
        try:
            return self.made[who]
        except KeyError:
            raise ScenarioError(f"{who} made no connection attempt in this scenario") from None

    def is_attempt(self, client: TenantMessageClient) -> bool:
        return any(attempt.client is client for attempt in self.made.values())

    def still_open(self) -> list[TenantMessageClient]:
        """The clients of attempts the server let in (to disconnect at the end)."""
        return [a.client for a in self.made.values() if a.client.is_open]
