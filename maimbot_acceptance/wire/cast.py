"""A cast: the tenants and agents a deployment already has, by the names features use.

MaiMBot's head cannot create tenants through its config API (docs/protocol.md), so a
deployment is tested with the tenants and agents it has. A small TOML file (``-D
cast=cast.toml``) maps the readable names of the features to their ids::

    platform = "test"                    # optional: overrides -D platform

    [tenants.Acme]
    id = "tenant_0123456789abcdef"

    [tenants.Acme.agents]
    Helper = "agent_0123456789abcdef"

Loading checks the whole file before any scenario runs; a problem is a
:class:`CastError`, one line naming the file and the entry.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import CastError

NAME = re.compile(r"[A-Z][A-Za-z0-9_-]*")
"""A name the features can say: gherkin.py's ``{x:Name}`` (a capitalised word)."""

TENANT_ID = re.compile(r"tenant_[A-Za-z0-9_-]+")
"""MaiMBot routes a key whose tenant lacks the ``tenant_`` prefix to ``default:default``."""

AGENT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
"""Agent ids are the server's to choose; one must fit in a ``tenant:agent`` key."""

FILE_KEYS = ("platform", "tenants")
TENANT_KEYS = ("id", "agents")


@dataclass(frozen=True)
class CastTenant:
    name: str
    tenant_id: str
    agents: Mapping[str, str]
    """Agent name -> agent id."""


@dataclass(frozen=True)
class Cast:
    path: str
    tenants: Mapping[str, CastTenant]
    platform: str = ""

    def describe(self) -> str:
        agents = sum(len(t.agents) for t in self.tenants.values())
        return f"cast {self.path}: {_count(len(self.tenants), 'tenant')}, {_count(agents, 'agent')}"


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
        cast: dict[str, CastTenant] = {}
        owner: dict[str, str] = {}
        for name, entry in tenants.items():
            tenant = self.tenant(name, entry)
            twin = owner.get(tenant.tenant_id)
            if twin is not None:
                raise self.error(f"tenants.{name}.id", f"{tenant.tenant_id} is already {twin}'s")
            owner[tenant.tenant_id] = name
            cast[name] = tenant
        return Cast(self.where, cast, platform)

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
        return CastTenant(name, tenant_id, self.agents(entry.get("agents"), here))

    def agents(self, agents: Any, here: str) -> dict[str, str]:
        if agents is None:
            raise self.error(here, f'missing agents ([{here}.agents] with Helper = "agent_...")')
        if not isinstance(agents, dict) or not agents:
            raise self.error(f"{here}.agents", 'must name an agent (Helper = "agent_...")')
        found: dict[str, str] = {}
        for name, agent_id in agents.items():
            entry = f"{here}.agents.{name}"
            self.check_name(name, "an agent", entry)
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
        return found

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
