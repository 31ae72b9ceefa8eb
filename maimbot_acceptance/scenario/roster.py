"""Who is in a scenario: its tenants, their agents, and the people who chat with them.

Steps speak in names ("Alice of Acme", "Helper"); the roster turns them into ids,
creating tenants and agents through the provisioner the first time they are named.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import NamedTuple

from ..errors import NotApplicable, ProvisioningError
from ..targets.provisioning import DEFAULT_TEMPLATE, Agent, Provisioner, Tenant
from ..wire.messages import Chat, ChatKind, ChatUser
from .stage import Stage


@dataclass(frozen=True)
class Person:
    """A user of a tenant, chatting through adapters connected to its agents."""

    name: str
    tenant: Tenant
    chat_user: ChatUser

    @property
    def group_chat(self) -> Chat:
        # From the chat identity: a person's twin (Roster.twin) is in the same group.
        user = self.chat_user
        return Chat.group(f"group_{user.user_id}", f"{user.nickname}'s group")

    @property
    def private_chat(self) -> Chat:
        return Chat.private_with(self.chat_user)

    def chat(self, kind: ChatKind) -> Chat:
        return self.group_chat if kind is ChatKind.GROUP else self.private_chat

    @property
    def chats(self) -> tuple[Chat, ...]:
        return (self.group_chat, self.private_chat)


class Place(NamedTuple):
    """Where a user speaks, as a step names it: their own group, their private chat,
    a group the scenario names ("the group Garden"), or a group with no name."""

    kind: ChatKind
    group: str = ""
    """The group's name in the scenario; empty: the user's own group."""
    nameless: bool = False


@dataclass
class Roster:
    stage: Stage
    provisioner: Provisioner
    tenants: dict[str, Tenant] = field(default_factory=dict)
    agents: dict[tuple[str, str], Agent] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    groups: dict[str, Chat] = field(default_factory=dict)
    """Groups the scenario names, by name."""
    _token: str = field(default_factory=lambda: secrets.token_hex(3))
    """Makes user ids unique per scenario: a cast shares agents between scenarios."""

    def add_tenant(self, name: str) -> Tenant:
        if name not in self.tenants:
            self.tenants[name] = self.stage.run(
                self.provisioner.create_tenant(name), self.stage.operation_timeout
            )
        return self.tenants[name]

    def add_agent(self, tenant_name: str, agent_name: str, template_id: str = "") -> Agent:
        tenant = self.add_tenant(tenant_name)
        key = (tenant_name, agent_name)
        limit = self.stage.dialect.agents_per_tenant
        others = [agent for (owner, agent) in self.agents if owner == tenant_name]
        if key not in self.agents and limit and len(others) >= limit:
            raise NotApplicable(
                f"needs a second agent of {tenant_name} ({agent_name}, beside "
                f"{', '.join(others)}); a tenant of the {self.stage.dialect.name} target is "
                "an API client of its one bot, so it has one agent only"
            )
        if key not in self.agents:
            template = template_id or DEFAULT_TEMPLATE
            self.agents[key] = self.stage.run(
                self.provisioner.create_agent(tenant, agent_name, template),
                self.stage.operation_timeout,
            )
        return self.agents[key]

    def tenant(self, name: str) -> Tenant:
        try:
            return self.tenants[name]
        except KeyError:
            raise ProvisioningError(
                f"tenant {name!r} was never introduced (known: {', '.join(self.tenants) or 'none'})"
            ) from None

    def agent(self, tenant_name: str, agent_name: str) -> Agent:
        try:
            return self.agents[(tenant_name, agent_name)]
        except KeyError:
            known = ", ".join(a for t, a in self.agents if t == tenant_name) or "none"
            raise ProvisioningError(
                f"tenant {tenant_name!r} has no agent {agent_name!r} in this scenario "
                f"(its agents: {known})"
            ) from None

    def person(self, name: str, tenant_name: str | None = None) -> Person:
        """A user by name; naming the tenant introduces them."""
        known = self.people.get(name)
        if known is not None:
            if tenant_name and known.tenant.name != tenant_name:
                raise ProvisioningError(
                    f"{name} is a user of {known.tenant.name}, not {tenant_name}"
                )
            return known
        if tenant_name is None:
            raise ProvisioningError(
                f"user {name!r} was never introduced (say '{name} of <tenant>')"
            )
        user_id = f"user_{name.lower()}_{self._token}"
        person = Person(name, self.tenant(tenant_name), ChatUser(user_id, name))
        self.people[name] = person
        return person

    def twin(self, name: str, tenant_name: str, of: str) -> Person:
        """A user of ``tenant_name`` who, on the platform, is indistinguishable from
        ``of``: the same user id, nickname, group and private chat (another tenant's
        user may well be, since tenants never coordinate their users' ids)."""
        if name in self.people:
            raise ProvisioningError(f"{name} was introduced already")
        original = self.person(of)
        person = Person(name, self.tenant(tenant_name), original.chat_user)
        self.people[name] = person
        return person

    def group(self, name: str, group_id: str = "") -> Chat:
        """The group the scenario calls ``name``; ``group_id`` gives it the id a
        deployment knows it by (a fresh one otherwise, the first time it is named)."""
        if name not in self.groups or group_id:
            self.groups[name] = Chat.group(group_id or f"group_{name.lower()}_{self._token}", name)
        return self.groups[name]

    def chat_at(self, user: str, place: Place | ChatKind | Chat) -> Chat:
        """The chat in which ``user`` speaks at ``place`` (a chat: that one)."""
        if isinstance(place, Chat):
            return place
        if isinstance(place, ChatKind):
            place = Place(place)
        person = self.person(user)
        if place.kind is ChatKind.PRIVATE:
            return person.private_chat
        if place.nameless:
            return Chat.group(f"group_nameless_{person.chat_user.user_id}", "")
        return self.group(place.group) if place.group else person.group_chat

    def agent_of(self, person: Person, agent_name: str) -> Agent:
        return self.agent(person.tenant.name, agent_name)
