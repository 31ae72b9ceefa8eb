"""Keys a tenant took back: the revocation, the refusal of the key afterwards, and what
became of the connections that were open with it.

What a server does with a connection that was open when its key was revoked is its
choice (close it, saying why; or keep it): the scenario watches for a while and says
which, and the run's figures count it. A close without a word is no choice a client
can act on, and fails.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from ..errors import ScenarioError
from ..targets.provisioning import Agent
from ..wire.client import TenantMessageClient
from .attempts import Attempt, Attempts
from .connections import Connections
from .roster import Roster
from .stage import Stage

HOW_IN_WORDS = {
    "deleting it": "deleted",
    "disabling it": "disabled",
    "letting it expire": "expired",
    "deleting its agent": "agent deleted",
    "deleting the tenant": "tenant deleted",
}
"""How a scenario says a key is taken back -> the control plane's way (REVOCATIONS)."""


AFTER = {
    "deleted": "the key was deleted",
    "disabled": "the key was disabled",
    "expired": "the key expired",
    "agent deleted": "its agent was deleted",
    "tenant deleted": "its tenant was deleted",
}
"""A revocation in words, as "<closed 0.1 s> after ..." reads."""


@dataclass(frozen=True)
class Revoked:
    agent: Agent
    how: str
    asked: float
    """When the control plane was asked (monotonic)."""
    done: float
    """When it answered that the key was taken back (monotonic)."""
    watched: tuple[tuple[TenantMessageClient, int], ...]
    """The connections open with the key when it was asked, and where their events stood."""


@dataclass(frozen=True)
class Fate:
    """What became of one connection that was open when its key was taken back."""

    label: str
    how: str
    closed_after: float | None
    """Seconds from the revocation to the close; None: kept (open at the end of the watch)."""
    reason: str
    """What the server said when it closed it ("" if nothing)."""
    watched_for: float

    def describe(self) -> str:
        after = AFTER[self.how]
        if self.closed_after is None:
            return f"{self.label}: kept open (watched for {self.watched_for:g} s after {after})"
        told = f"saying {self.reason!r}" if self.reason else "without a word"
        return f"{self.label}: closed {self.closed_after:.3f} s after {after}, {told}"


@dataclass
class Revocations:
    stage: Stage
    roster: Roster
    connections: Connections
    attempts: Attempts
    revoked: dict[tuple[str, str], Revoked] = field(default_factory=dict)
    refusals: list[float] = field(default_factory=list)
    """Seconds from a revocation's confirmation to the refusal of its key."""
    fates: list[Fate] = field(default_factory=list)

    def take_back(self, tenant: str, agent_name: str, in_words: str) -> Revoked:
        """The tenant takes ``agent_name``'s key back, ``in_words`` (HOW_IN_WORDS)."""
        how = HOW_IN_WORDS[in_words]
        agent = self.roster.agent(tenant, agent_name)
        watched = tuple(
            (client, len(client.log.events))
            for client in self.connections.open.values()
            if client.api_key == agent.api_key and client.is_connected
        )
        asked = time.monotonic()
        provisioner = self.roster.provisioner
        self.stage.run(provisioner.revoke(agent, how), self.stage.operation_timeout)
        revoked = Revoked(agent, how, asked, time.monotonic(), watched)
        self.revoked[(tenant, agent_name)] = revoked
        return revoked

    def of(self, tenant: str, agent_name: str) -> Revoked:
        try:
            return self.revoked[(tenant, agent_name)]
        except KeyError:
            raise ScenarioError(f"{tenant} took back no key of {agent_name} here") from None

    def try_key(self, who: str, tenant: str, agent_name: str) -> Attempt:
        """``who`` connects with the key that was taken back."""
        revoked = self.of(tenant, agent_name)
        attempt = self.attempts.with_key(who, revoked.agent.api_key)
        if not attempt.accepted:
            self.refusals.append(time.monotonic() - revoked.done)
        return attempt

    def was_kept(self, user: str, agent_name: str) -> bool:
        """Whether ``user``'s connection to ``agent_name`` is still open."""
        return self.connections.connection(user, agent_name).is_connected

    def fate_of(self, user: str, tenant: str, agent_name: str, within: float) -> Fate:
        """What became of ``user``'s connection, open when the key was taken back: closed
        (when, saying what) or kept, watched until ``within`` s after the revocation."""
        revoked = self.of(tenant, agent_name)
        client = self.connections.connection(user, agent_name)
        since = next((at for c, at in revoked.watched if c is client), None)
        if since is None:
            raise ScenarioError(f"{client.label} was not open when the key was taken back")
        remaining = max(0.0, revoked.asked + within - time.monotonic())
        close = self.stage.run(client.wait_until_lost(remaining), remaining)
        label = client.label
        if close is None:
            fate = Fate(label, revoked.how, None, "", within)
        else:
            said = [
                e.detail
                for e in client.log.events[since:]
                if e.kind in ("verdict", "error") and not e.accepted and e.detail
            ]
            fate = Fate(label, revoked.how, close.at - revoked.asked, "; ".join(said), within)
        self.fates.append(fate)
        return fate
