"""The reference server's memory: users, tenants, agents, and which api keys are valid.

It keys connections in one of two dialects (docs/protocol.md): "reference" (the
default, api_server's: a key is ``tenant:agent``, and a default tenant exists) or
"saas" (MaimConfig's: keys are minted ``mmc_`` secrets, and only a minted key is
accepted, which the real saas does not check; there is no default tenant), or
"upstream" (MaiBot 1.x's API Server: keys are a list, each an API client of its own
bot, and the bot has an account per platform that every message must name).
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field

from ..wire.dialects import (
    TENANT_AGENT_DEFAULT_KEY,
    mmc_key,
    parse_mmc_key,
    split_tenant_agent_key,
)

SERVER_DIALECTS = ("reference", "saas", "upstream")

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
    revoked: str = ""
    """How a refused key was taken back ("deleted", "disabled", "expired", "agent deleted",
    "tenant deleted"); "" if it never was."""


def _iso(stamp: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(stamp))


def _new_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(8)}"


@dataclass
class KeyRecord:
    """A key minted for an agent (saas dialect)."""

    key_id: str
    api_key: str
    agent: AgentRecord
    name: str
    status: str = "active"
    """"active" or "disabled" (MaimConfig's ApiKeyStatus; "expired" is read from expires_at)."""
    expires_at: float | None = None

    def lapsed(self) -> str:
        """How it stopped working while on file ("disabled", "expired"); "" if it works."""
        if self.status == "disabled":
            return "disabled"
        return "expired" if self.expires_at is not None and self.expires_at <= time.time() else ""

    def to_json(self) -> dict[str, object]:
        """As MaimConfig's ``GET /api/v2/api-keys/{id}`` shows a key."""
        expires = None if self.expires_at is None else _iso(self.expires_at)
        return {
            "api_key_id": self.key_id,
            "tenant_id": self.agent.tenant_id,
            "agent_id": self.agent.agent_id,
            "name": self.name,
            "status": "expired" if self.lapsed() == "expired" else self.status,
            "expires_at": expires,
        }


class Registry:
    """In-memory accounts. Used from the server's one event loop only (no locks)."""

    def __init__(self, dialect: str = "reference") -> None:
        if dialect not in SERVER_DIALECTS:
            raise ValueError(f"unknown dialect {dialect!r} (known: {', '.join(SERVER_DIALECTS)})")
        self.dialect = dialect
        self.users: dict[str, UserRecord] = {}
        self.tenants: dict[str, TenantRecord] = {}
        self.keys: dict[str, KeyRecord] = {}
        """Minted key -> its record (saas dialect); listed key -> its record (upstream)."""
        self.bot_accounts: dict[str, str] = {}
        """Upstream: platform -> the bot's account there (a cast's)."""
        self.revoked: dict[str, str] = {}
        """A key taken off file -> how (KeyVerdict.revoked), to say so when it is presented."""
        self._tokens: dict[str, UserRecord] = {}
        if dialect == "reference":
            # api_server has a default tenant and agent (its "default:default"), and so
            # has this server, so that a scenario can watch what reaches that tenant.
            tenant_id, agent_id = TENANT_AGENT_DEFAULT_KEY.split(":")
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

    def create_tenant(self, tenant_name: str, tenant_type: str) -> TenantRecord:
        """A tenant of its own (saas: MaimConfig creates tenants without users); names
        are unique, as MaimConfig's are."""
        if any(t.tenant_name == tenant_name for t in self.tenants.values()):
            raise Conflict(f"tenant name {tenant_name!r} is taken")
        tenant = TenantRecord(f"tenant_{secrets.token_hex(6)}", tenant_name, tenant_type)
        self.tenants[tenant.tenant_id] = tenant
        return tenant

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

    # -- keys ------------------------------------------------------------------------

    def mint_key(self, agent: AgentRecord, name: str) -> KeyRecord:
        """A new ``mmc_`` key for ``agent`` (saas dialect), as MaimConfig mints them."""
        if any(k.name == name and k.agent.tenant_id == agent.tenant_id for k in self.keys.values()):
            raise Conflict(f"key name {name!r} is taken in tenant {agent.tenant_id!r}")
        return self.add_key(agent, mmc_key(agent.tenant_id, agent.agent_id), name)

    def add_key(self, agent: AgentRecord, api_key: str, name: str) -> KeyRecord:
        """File a key as minted for ``agent`` (e.g. a cast's: the server's ``--cast``)."""
        record = KeyRecord(_new_id("key"), api_key, agent, name)
        self.keys[api_key] = record
        return record

    def _named_ids(self, api_key: str) -> tuple[str, str] | None:
        """The tenant and agent ids a key of this dialect names (minted or not)."""
        if self.dialect == "saas":
            parsed = parse_mmc_key(api_key)
            return None if parsed is None else (parsed.tenant_id, parsed.agent_id)
        return split_tenant_agent_key(api_key)

    def routing_user(self, api_key: str) -> str:
        """Whom maim_message files a connection (and routes a reply) under: the key itself
        in the reference dialect; on saas ``<tenant>_<agent>_<version>`` of the key, its
        random part dropped, as saas does (api.py:300-309), so that every connection of an
        agent gets its replies whichever of its keys it presents."""
        parsed = parse_mmc_key(api_key) if self.dialect == "saas" else None
        if parsed is None:
            return api_key
        return f"{parsed.tenant_id}_{parsed.agent_id}_{parsed.version}"

    def agent_for_key(self, api_key: str) -> AgentRecord | None:
        """The agent a key names (on saas, even a key never minted: a fault may let it in;
        upstream: the bot behind a listed key)."""
        if self.dialect == "upstream":
            record = self.keys.get(api_key)
            return None if record is None else record.agent
        ids = self._named_ids(api_key)
        if ids is None:
            return None
        tenant = self.tenants.get(ids[0])
        return tenant.agents.get(ids[1]) if tenant else None

    def check_api_key(self, api_key: str) -> KeyVerdict:
        """Reference dialect: accept exactly ``"<tenant_id>:<agent_id>"`` of an agent of
        that tenant. saas: accept exactly a minted key of an agent that still exists.
        upstream: accept a key on the list (and, unlike upstream, say why not)."""
        revoked = self._revoked_verdict(api_key)
        if revoked is not None:
            return revoked
        if self.dialect == "saas":
            return self._check_minted(api_key)
        if self.dialect == "upstream":
            if api_key in self.keys:
                return KeyVerdict(True)
            return KeyVerdict(False, f"api key {api_key!r} is not on the list of allowed keys")
        parts = split_tenant_agent_key(api_key)
        if parts is None:
            return KeyVerdict(False, f"api key {api_key!r} is not of the form 'tenant_id:agent_id'")
        tenant_id, agent_id = parts
        tenant = self.tenants.get(tenant_id)
        if tenant is None:
            return KeyVerdict(False, f"unknown tenant {tenant_id!r}")
        if agent_id not in tenant.agents:
            return KeyVerdict(False, f"tenant {tenant_id!r} has no agent {agent_id!r}")
        return KeyVerdict(True)

    def _revoked_verdict(self, api_key: str) -> KeyVerdict | None:
        record = self.keys.get(api_key)
        how = self.revoked.get(api_key, "") or (record.lapsed() if record else "")
        if not how:
            return None
        return KeyVerdict(False, f"api key {api_key!r} was revoked: {how}", revoked=how)

    def _check_minted(self, api_key: str) -> KeyVerdict:
        if parse_mmc_key(api_key) is None:
            return KeyVerdict(
                False, f"api key {api_key!r} is not a key this server mints (mmc_...)"
            )
        record = self.keys.get(api_key)
        if record is None:
            return KeyVerdict(False, f"api key {api_key!r} was never minted here")
        if self.agent_for_key(api_key) is not record.agent:
            return KeyVerdict(False, f"api key {api_key!r} names an agent that no longer exists")
        return KeyVerdict(True)

    # -- removal and revocation (MaimConfig's delete and update routes; v1's agent delete) --
    # Each answers the keys it revoked, and how (None: nothing of that id), so that the
    # server can close the connections that presented them.

    def delete_tenant(self, tenant_id: str) -> dict[str, str] | None:
        tenant = self.tenants.pop(tenant_id, None)
        if tenant is None:
            return None
        revoked: dict[str, str] = {}
        for agent in tenant.agents.values():
            revoked |= self._revoke_keys_of(agent, "tenant deleted")
        return revoked

    def delete_agent(self, agent_id: str, tenant_id: str = "") -> dict[str, str] | None:
        """``tenant_id``: only an agent of that tenant (v1 deletes within the caller's)."""
        for tenant in self.tenants.values():
            if tenant_id and tenant.tenant_id != tenant_id:
                continue
            agent = tenant.agents.pop(agent_id, None)
            if agent is not None:
                return self._revoke_keys_of(agent, "agent deleted")
        return None

    def delete_key(self, key_id: str) -> dict[str, str] | None:
        record = self.key_by_id(key_id)
        if record is None:
            return None
        del self.keys[record.api_key]
        self.revoked[record.api_key] = "deleted"
        return {record.api_key: "deleted"}

    def update_key(
        self, key_id: str, *, status: str | None = None, expires_at: float | None = None
    ) -> dict[str, str] | None:
        """Disable (or enable) a key, or give it an expiry; the keys that stopped working."""
        record = self.key_by_id(key_id)
        if record is None:
            return None
        record.status = status or record.status
        record.expires_at = record.expires_at if expires_at is None else expires_at
        how = record.lapsed()
        return {record.api_key: how} if how else {}

    def key_by_id(self, key_id: str) -> KeyRecord | None:
        return next((r for r in self.keys.values() if r.key_id == key_id), None)

    def _revoke_keys_of(self, agent: AgentRecord, how: str) -> dict[str, str]:
        minted = [k for k, r in self.keys.items() if r.agent is agent]
        for key in minted:
            del self.keys[key]
        # On the reference dialect the key is the ids themselves.
        keys = minted if self.dialect == "saas" else [f"{agent.tenant_id}:{agent.agent_id}"]
        revoked = dict.fromkeys(keys, how)
        self.revoked |= revoked
        return revoked
