"""A cast: the tenants and agents a deployment already has, by the names features use.

MaiMBot's api_server head cannot create tenants through its config API
(docs/protocol.md, "api_server"), so a
deployment is tested with the tenants and agents it has. A small TOML file (``-D
cast=cast.toml``) maps the readable names of the features to their ids::

    platform = "test"                    # optional: overrides -D platform

    [tenants.Acme]
    id = "tenant_0123456789abcdef"

    [tenants.Acme.agents]
    Helper = "agent_0123456789abcdef"
    # or, where the control plane mints keys (saas: MaimConfig), the agent's key too:
    # Helper = { id = "agent_0123456789ab", key = "mmc_..." }

Either every agent of a cast carries its key, or none does (then the key is the
``tenant:agent`` of api_server).

Upstream MaiBot 1.x has no tenants: its API Server lets in the keys its operator
listed, and behind every key is the one bot. There a tenant is an API client, named
by its key, and the bot needs its own account on each platform the suite talks on
(inbound messages must name it)::

    dialect = "upstream"
    platform = "test"

    [bot_accounts]                       # platform -> the bot's account there
    test = "10001"
    qq = "10001"

    [tenants.Acme]
    key = "key-acme"                     # one of api_server_allowed_api_keys

Loading checks the whole file before any scenario runs; a problem is a
:class:`CastError`, one line naming the file and the entry.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import CastError

NAME = re.compile(r"[A-Z][A-Za-z0-9_-]*")
"""A name the features can say: gherkin.py's ``{x:Name}`` (a capitalised word)."""

TENANT_ID = re.compile(r"tenant_[A-Za-z0-9_-]+")
"""MaiMBot routes a key whose tenant lacks the ``tenant_`` prefix to ``default:default``."""

AGENT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
"""Agent ids are the server's to choose; one must fit in a ``tenant:agent`` key."""

FILE_KEYS = ("platform", "tenants", "dialect", "bot_accounts")
TENANT_KEYS = ("id", "agents")
UPSTREAM = "upstream"
"""The one dialect a cast names itself: the others are told apart by their keys."""
API_CLIENT_KEYS = ("key",)
AGENT_KEYS = ("id", "key")


@dataclass(frozen=True)
class CastTenant:
    name: str
    tenant_id: str
    agents: Mapping[str, str]
    """Agent name -> agent id."""
    keys: Mapping[str, str] = field(default_factory=dict)
    """Agent name -> the key minted for it (empty when the cast carries no keys)."""
    key: str = ""
    """Upstream: the API client's own key (its agents are the one bot)."""


@dataclass(frozen=True)
class Cast:
    path: str
    tenants: Mapping[str, CastTenant]
    platform: str = ""
    dialect: str = ""
    """"upstream", or "" (a cast of MaiMBot's: its keys tell which)."""
    bot_accounts: Mapping[str, str] = field(default_factory=dict)
    """Upstream: platform -> the bot's account there."""

    @property
    def carries_keys(self) -> bool:
        """Its agents come with minted keys (a saas deployment's cast)."""
        return any(t.keys for t in self.tenants.values())

    def describe(self) -> str:
        if self.dialect == UPSTREAM:
            return (
                f"cast {self.path}: {_count(len(self.tenants), 'API client')} of upstream "
                f"MaiBot, its bot on {', '.join(sorted(self.bot_accounts))}"
            )
        agents = sum(len(t.agents) for t in self.tenants.values())
        keys = " with their keys" if self.carries_keys else ""
        return (
            f"cast {self.path}: {_count(len(self.tenants), 'tenant')}, "
            f"{_count(agents, 'agent')}{keys}"
        )


def _count(number: int, thing: str) -> str:
    return f"{number} {thing}" if number == 1 else f"{number} {thing}s"


def load_cast(path: str | Path) -> Cast:
    """Read and check a cast file; raise CastError naming the file and the entry."""
    where = str(path)
    try:
        with open(path, "rb") as file:
            data = tomllib.load(file)
    except OSError as error:
        raise CastError(f"cast file {where}: cannot be read: {error.strerror or error}") from None
    except tomllib.TOMLDecodeError as error:
        raise CastError(f"cast file {where}: not valid TOML: {error}") from None
    return _Reader(where).cast(data)


class _Reader:
    """Checks one file's tables; every problem names the file and the entry."""

    def __init__(self, where: str) -> None:
        self.where = where

    def error(self, entry: str, problem: str) -> CastError:
        return CastError(f"cast file {self.where}: {entry}: {problem}")

    def cast(self, data: dict[str, Any]) -> Cast:
        self.known_keys(data, FILE_KEYS, "top level")
        platform = data.get("platform", "")
        if not isinstance(platform, str) or (not platform and "platform" in data):
            raise self.error("platform", f'{platform!r} is not a platform (platform = "test")')
        tenants = data.get("tenants")
        if not isinstance(tenants, dict) or not tenants:
            raise self.error("tenants", "names no tenant (add [tenants.Acme] with id and agents)")
        dialect = data.get("dialect", "")
        if dialect == UPSTREAM:
            return self.upstream(data, platform, tenants)
        if dialect or "dialect" in data:
            raise self.error(
                "dialect", f'{dialect!r} is not one a cast names (dialect = "upstream")'
            )
        if "bot_accounts" in data:
            raise self.error("bot_accounts", 'only a cast of dialect = "upstream" names them')
        cast: dict[str, CastTenant] = {}
        owner: dict[str, str] = {}
        for name, entry in tenants.items():
            tenant = self.tenant(name, entry)
            twin = owner.get(tenant.tenant_id)
            if twin is not None:
                raise self.error(f"tenants.{name}.id", f"{tenant.tenant_id} is already {twin}'s")
            owner[tenant.tenant_id] = name
            cast[name] = tenant
        keyed = [name for name, t in cast.items() if len(t.keys) == len(t.agents)]
        keyless = [name for name, t in cast.items() if not t.keys]
        if len(keyed) + len(keyless) != len(cast) or (keyed and keyless):
            raise self.error(
                "tenants",
                "some agents carry a key and some do not: give every agent its key "
                '(Helper = { id = "agent_...", key = "mmc_..." }) or none',
            )
        return Cast(self.where, cast, platform)

    def upstream(self, data: dict[str, Any], platform: str, tenants: dict[str, Any]) -> Cast:
        accounts = data.get("bot_accounts")
        if not isinstance(accounts, dict) or not accounts:
            raise self.error(
                "bot_accounts", 'names no platform (add [bot_accounts] with test = "10001")'
            )
        for where, account in accounts.items():
            if not isinstance(account, str) or not account.strip():
                raise self.error(f"bot_accounts.{where}", f"{account!r} is not an account id")
        if platform and platform not in accounts:
            raise self.error(
                "bot_accounts",
                f"has no account on the cast's platform {platform!r}: the bot answers only "
                "on a platform where it has one",
            )
        cast: dict[str, CastTenant] = {}
        owner: dict[str, str] = {}
        for name, entry in tenants.items():
            here = f"tenants.{name}"
            self.check_name(name, "a tenant", here)
            if not isinstance(entry, dict):
                raise self.error(here, 'must be a table with key (key = "key-acme")')
            self.known_keys(entry, API_CLIENT_KEYS, here)
            key = entry.get("key")
            if not isinstance(key, str) or not key.strip() or key != key.strip():
                raise self.error(f"{here}.key", f"{key!r} is not a key (one the API Server lists)")
            if key in owner:
                raise self.error(f"{here}.key", f"{key} is already {owner[key]}'s")
            owner[key] = name
            cast[name] = CastTenant(name, key, {}, key=key)
        return Cast(self.where, cast, platform, UPSTREAM, dict(accounts))

    def tenant(self, name: str, entry: Any) -> CastTenant:
        here = f"tenants.{name}"
        self.check_name(name, "a tenant", here)
        if not isinstance(entry, dict):
            raise self.error(here, "must be a table with id and agents")
        self.known_keys(entry, TENANT_KEYS, here)
        tenant_id = entry.get("id")
        if tenant_id is None:
            raise self.error(here, 'missing id (id = "tenant_...")')
        if not isinstance(tenant_id, str) or not TENANT_ID.fullmatch(tenant_id):
            raise self.error(
                f"{here}.id",
                f"{tenant_id!r} is not a tenant id (tenant_ then letters, digits, _ or -; "
                "MaiMBot answers a key without that prefix as the 'default' tenant)",
            )
        agents, keys = self.agents(entry.get("agents"), here)
        return CastTenant(name, tenant_id, agents, keys)

    def agents(self, agents: Any, here: str) -> tuple[dict[str, str], dict[str, str]]:
        if agents is None:
            raise self.error(here, f'missing agents ([{here}.agents] with Helper = "agent_...")')
        if not isinstance(agents, dict) or not agents:
            raise self.error(f"{here}.agents", 'must name an agent (Helper = "agent_...")')
        found: dict[str, str] = {}
        keys: dict[str, str] = {}
        for name, given in agents.items():
            entry = f"{here}.agents.{name}"
            self.check_name(name, "an agent", entry)
            agent_id = given
            if isinstance(given, dict):
                self.known_keys(given, AGENT_KEYS, entry)
                agent_id, key = given.get("id"), given.get("key")
                if not isinstance(key, str) or not key.strip() or key != key.strip():
                    raise self.error(
                        f"{entry}.key", f"{key!r} is not a key (the one minted for this agent)"
                    )
                keys[name] = key
            if not isinstance(agent_id, str) or not AGENT_ID.fullmatch(agent_id):
                raise self.error(
                    entry,
                    f"{agent_id!r} is not an agent id (letters, digits, _ . or -, as the "
                    "config API gave it)",
                )
            if TENANT_ID.fullmatch(agent_id):
                raise self.error(entry, f"{agent_id} is a tenant id, not an agent id")
            twin = next((other for other, known in found.items() if known == agent_id), None)
            if twin is not None:
                raise self.error(entry, f"{agent_id} is already {twin}'s; each name needs its own")
            found[name] = agent_id
        return found, keys

    def check_name(self, name: str, kind: str, entry: str) -> None:
        if not NAME.fullmatch(name):
            raise self.error(
                entry,
                f"{name!r} is not {kind} name the features can say (a capitalised word of "
                "letters, digits, _ or -)",
            )

    def known_keys(self, table: dict[str, Any], known: tuple[str, ...], entry: str) -> None:
        for key in table:
            if key not in known:
                raise self.error(entry, f"unknown key {key!r} (known: {', '.join(known)})")
