"""The reference server's memory: users, tenants, agents, and which api keys are valid."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field

from ..wire.protocol import DEFAULT_KEY, split_api_key

TEMPLATES = (
    {"template_id": "friendly_assistant", "name": "Friendly assistant", "behaviour": "echo"},
    {"template_id": "echo", "name": "Echo", "behaviour": "echo"},
)
"""Agent templates. On the reference server a template picks a deterministic behaviour."""


class Conflict(Exception):
    """The thing to create exists already."""


@dataclass
class AgentRecord:
    agent_id: str
    tenant_id: str
    name: str
    description: str
    template_id: str
    created_at: float = field(default_factory=time.time)

    def to_json(self) -> dict[str, object]:
        stamp = _iso(self.created_at)
        return {
            "agent_id": self.agent_id,
            "tenant_id": self.tenant_id,
            "name": self.name,
            "description": self.description,
            "tags": [],
            "persona": "",
            "bot_overrides": {},
            "config_overrides": {},
            "created_at": stamp,
            "updated_at": stamp,
        }


@dataclass
class TenantRecord:
    tenant_id: str
    tenant_name: str
    tenant_type: str
    agents: dict[str, AgentRecord] = field(default_factory=dict)

    def to_json(self) -> dict[str, object]:
        """As MaiMBot's v1 ``GET /tenant`` shows a tenant (other answers embed it)."""
        return {
            "tenant_id": self.tenant_id,
            "tenant_name": self.tenant_name,
            "tenant_type": self.tenant_type,
        }


@dataclass
class UserRecord:
    user_id: str
    username: str
    password: str
    email: str
    tenant: TenantRecord
    api_key: str
    created_at: float = field(default_factory=time.time)

    def to_json(self) -> dict[str, object]:
        return {
            "user_id": self.user_id,
            **self.tenant.to_json(),
            "username": self.username,
            "email": self.email,
            "phone": None,
            "api_key": self.api_key,
            "status": "active",
            "created_at": _iso(self.created_at),
            "last_login_at": _iso(time.time()),
        }


@dataclass(frozen=True)
class KeyVerdict:
    accepted: bool
    reason: str = ""


def _iso(stamp: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(stamp))


def _new_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(8)}"


class Registry:
    """In-memory accounts. Used from the server's one event loop only (no locks)."""

    def __init__(self) -> None:
        self.users: dict[str, UserRecord] = {}
        self.tenants: dict[str, TenantRecord] = {}
        self._tokens: dict[str, UserRecord] = {}
        # MaiMBot has a default tenant and agent (its "default:default"), and so has
        # this server, so that a scenario can watch what reaches that tenant.
        tenant_id, agent_id = DEFAULT_KEY.split(":")
        self.add_agent(tenant_id, agent_id, "Default Agent", "friendly_assistant", "Default")

    def register(
        self, username: str, password: str, email: str, tenant_name: str, tenant_type: str
    ) -> tuple[UserRecord, str]:
        """A new user with a new tenant; returns the user and an access token."""
        if username in self.users:
            raise Conflict(f"username {username!r} is taken")
        tenant = TenantRecord(_new_id("tenant"), tenant_name, tenant_type)
        user = UserRecord(
            _new_id("user"), username, password, email, tenant, f"mb_{secrets.token_hex(16)}"
        )
        self.tenants[tenant.tenant_id] = tenant
        self.users[username] = user
        return user, self._issue_token(user)

    def login(self, username: str, password: str) -> tuple[UserRecord, str] | None:
        user = self.users.get(username)
        if user is None or not secrets.compare_digest(user.password, password):
            return None
        return user, self._issue_token(user)

    def _issue_token(self, user: UserRecord) -> str:
        token = secrets.token_urlsafe(24)
        self._tokens[token] = user
        return token

    def user_for_token(self, token: str) -> UserRecord | None:
        return self._tokens.get(token)

    def create_agent(
        self, tenant: TenantRecord, name: str, description: str, template_id: str
    ) -> AgentRecord:
        agent = AgentRecord(_new_id("agent"), tenant.tenant_id, name, description, template_id)
        tenant.agents[agent.agent_id] = agent
        return agent

    def add_agent(
        self, tenant_id: str, agent_id: str, name: str, template_id: str, tenant_name: str = ""
    ) -> AgentRecord:
        """Seed a tenant and agent with given ids (e.g. a cast's: the server's ``--cast``)."""
        tenant = self.tenants.setdefault(
            tenant_id, TenantRecord(tenant_id, tenant_name or tenant_id, "personal")
        )
        agent = AgentRecord(agent_id, tenant_id, name, "", template_id)
        tenant.agents[agent_id] = agent
        return agent

    def agent_for_key(self, api_key: str) -> AgentRecord | None:
        parts = split_api_key(api_key)
        if parts is None:
            return None
        tenant = self.tenants.get(parts[0])
        return tenant.agents.get(parts[1]) if tenant else None

    def check_api_key(self, api_key: str) -> KeyVerdict:
        """Accept exactly ``"<tenant_id>:<agent_id>"`` of an agent of that tenant."""
        parts = split_api_key(api_key)
        if parts is None:
            return KeyVerdict(False, f"api key {api_key!r} is not of the form 'tenant_id:agent_id'")
        tenant_id, agent_id = parts
        tenant = self.tenants.get(tenant_id)
        if tenant is None:
            return KeyVerdict(False, f"unknown tenant {tenant_id!r}")
        if agent_id not in tenant.agents:
            return KeyVerdict(False, f"tenant {tenant_id!r} has no agent {agent_id!r}")
        return KeyVerdict(True)
