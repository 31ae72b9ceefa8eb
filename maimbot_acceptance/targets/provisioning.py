"""Tenants and agents for scenarios: created through a control plane (MaiMBot's v1
config API here, MaimConfig's v2 in ``maimconfig.py``), or taken from a cast of
existing ones.

Features name tenants readably ("Acme"). Through a control plane (the embedded
reference server, or ``-D config_url``) every scenario gets tenants of its own,
with ids the server chose, and each agent the key to connect with. With a cast
(``-D cast``) nothing is created: the names stand for the deployment's existing
tenants and agents, shared by all scenarios.
"""

from __future__ import annotations

import difflib
import itertools
import json
import secrets
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

import aiohttp

from ..errors import NotApplicable, ProvisioningError
from ..wire.cast import Cast
from ..wire.dialects import DIALECTS, Dialect, tenant_agent_key

DEFAULT_TEMPLATE = "friendly_assistant"
"""The template of an agent a scenario does not ask a kind of (MaiMBot's default)."""

REVOCATIONS = ("deleted", "disabled", "expired", "agent deleted", "tenant deleted")
"""The ways a tenant takes a key back: the key deleted, disabled or expired, or gone with
its agent or its tenant (MaimConfig has all five; MaiMBot's v1 API deletes agents only)."""
V1_CANNOT_REVOKE = (
    "needs a key taken back ({how}), which MaiMBot's v1 config API cannot do: its keys are "
    "the tenant and agent ids themselves, and it deletes agents, not keys or tenants"
)
CAST_CANNOT_REVOKE = (
    "needs a key taken back ({how}), which the cast {cast} cannot do: it names a "
    "deployment's existing tenants and agents, with no control plane to take a key back with"
)
"""Why a scenario that takes a key back ``how`` (one of REVOCATIONS) is skipped."""


@dataclass(frozen=True)
class Tenant:
    name: str
    tenant_id: str
    access_token: str = ""


@dataclass(frozen=True)
class Agent:
    name: str
    agent_id: str
    tenant: Tenant
    api_key: str
    """The key its connections present, as the provisioner handed it out (opaque)."""


class Provisioner(Protocol):
    speaks: Dialect
    """The dialect of the keys it hands out, and so of the target behind it."""

    async def create_tenant(self, name: str) -> Tenant: ...

    async def create_agent(self, tenant: Tenant, name: str, template_id: str) -> Agent: ...

    async def remove_created(self) -> str:
        """Remove what it created, where the API allows; one line of what it could
        not remove ("" when nothing is left behind)."""
        ...

    async def revoke(self, agent: Agent, how: str) -> None:
        """Take ``agent``'s key back, ``how`` (one of REVOCATIONS); NotApplicable where
        this control plane has no way to."""
        ...

    async def close(self) -> None: ...


class ControlPlaneHttp:
    """What the provisioners of both control planes share: one HTTP session, opened on
    first use and closed at the end; names unique to the run; and a call that gets no
    answer (or no JSON) as one ProvisioningError naming the control plane and the call.
    What an answer means is each provisioner's own."""

    def __init__(self, name: str, config_url: str, timeout: float) -> None:
        self.config_url = config_url.rstrip("/")
        self.name = f"{name} (config_url={self.config_url})"
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._session: aiohttp.ClientSession | None = None
        self._run = secrets.token_hex(3)
        self._serial = itertools.count(1)

    def unique(self, prefix: str) -> str:
        """A name no other call of any run makes: ``<prefix>_<run>_<serial>``."""
        return f"{prefix}_{self._run}_{next(self._serial):03d}"

    async def request(
        self, method: str, path: str, body: dict[str, Any] | None, *, token: str = ""
    ) -> tuple[int, str]:
        """The answer's status and text; ProvisioningError when none came."""
        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=self._timeout)
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        try:
            async with self._session.request(
                method, self.config_url + path, json=body, headers=headers
            ) as response:
                return response.status, await response.text()
        except aiohttp.ClientError as error:
            raise ProvisioningError(
                f"{self.name} unreachable for {method} {path}: {error}"
            ) from None
        except TimeoutError:
            raise ProvisioningError(
                f"{self.name} did not answer {method} {path} within {self._timeout.total} s"
            ) from None

    def json_of(self, method: str, path: str, text: str) -> Any:
        """An answer's JSON; ProvisioningError if it is none."""
        try:
            return json.loads(text)
        except ValueError:
            raise ProvisioningError(
                f"{self.name} answered {method} {path} with something that is not JSON"
            ) from None

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None


class ConfigApiProvisioner:
    """Registers one user per tenant (MaiMBot makes a tenant per registration).

    The registration looks like the one MaiMBot's own integration clients send
    (``testuser_<ms>_<random>_<n>``, an ``@example.com`` address): MaiMBot's v1 API
    validates the email as pydantic's EmailStr, which refuses special-use domains
    such as ``.invalid`` or ``.test`` with 422.
    """

    speaks = DIALECTS["api_server"]

    def __init__(self, config_url: str, timeout: float = 10.0) -> None:
        self.http = ControlPlaneHttp("config API", config_url, timeout)
        self._created = [0, 0]

    async def create_tenant(self, name: str) -> Tenant:
        username = self.http.unique(f"testuser_{int(time.time() * 1000)}")
        body = {
            "username": username,
            "password": secrets.token_urlsafe(12),
            "email": f"{username}@example.com",
            "tenant_name": name,
            "tenant_type": "personal",
        }
        answer = await self._call("POST", "/api/v1/auth/register", body, expect=(200, 201))
        tenant_id = _field(answer, "user_info", "tenant_id", call="register")
        token = _field(answer, "access_token", call="register")
        self._created[0] += 1
        return Tenant(name=name, tenant_id=tenant_id, access_token=token)

    async def create_agent(self, tenant: Tenant, name: str, template_id: str) -> Agent:
        body = {"name": name, "description": f"{name} of {tenant.name}", "template_id": template_id}
        answer = await self._call(
            "POST", "/api/v1/agents/", body, expect=(200, 201), token=tenant.access_token
        )
        agent_id = _field(answer, "agent_id", call="create agent")
        # The v1 dialect's key is the ids themselves (docs/protocol.md, "api_server").
        key = tenant_agent_key(tenant.tenant_id, agent_id)
        self._created[1] += 1
        return Agent(name=name, agent_id=agent_id, tenant=tenant, api_key=key)

    async def revoke(self, agent: Agent, how: str) -> None:
        """Only by deleting the agent: a v1 key is the tenant and agent ids themselves
        (nothing to delete, disable or expire), and v1 has no route to delete a tenant."""
        if how != "agent deleted":
            raise NotApplicable(V1_CANNOT_REVOKE.format(how=how))
        path = f"/api/v1/agents/{agent.agent_id}"
        await self._call("DELETE", path, None, expect=(200, 204), token=agent.tenant.access_token)
        self._created[1] -= 1

    async def remove_created(self) -> str:
        tenants, agents = self._created
        if not tenants and not agents:
            return ""
        return (
            f"left {tenants} tenants (users) and {agents} agents at {self.http.config_url}: "
            "the v1 config API has no route to delete them"
        )

    async def close(self) -> None:
        await self.http.close()

    async def _call(
        self,
        method: str,
        path: str,
        body: dict[str, Any] | None,
        *,
        expect: tuple[int, ...],
        token: str = "",
    ) -> dict[str, Any]:
        status, text = await self.http.request(method, path, body, token=token)
        if status not in expect:
            raise ProvisioningError(
                f"config API {method} {self.http.config_url}{path} answered {status}: "
                f"{what_it_said(text)}"
            )
        if status == 204:
            return {}
        data = self.http.json_of(method, path, text)
        if not isinstance(data, dict):
            raise ProvisioningError(f"config API answered {method} {path} with {data!r}")
        return data


class CastProvisioner:
    """Hands out the cast's existing tenants and agents by name; creates nothing.

    A scenario that needs a name the cast does not have, or an agent of a particular
    kind (a template), cannot be staged on this deployment: NotApplicable says why,
    and the scenario is skipped with that reason.
    """

    def __init__(self, cast: Cast) -> None:
        self.cast = cast
        self.speaks = dialect_of_cast(cast)

    async def create_tenant(self, name: str) -> Tenant:
        tenant = self.cast.tenants.get(name)
        if tenant is None:
            raise NotApplicable(
                f"needs tenant {name!r}, which the cast {self.cast.path} does not name "
                f"({closest(name, self.cast.tenants)}); add [tenants.{name}] to run this scenario"
            )
        return Tenant(name=name, tenant_id=tenant.tenant_id)

    async def create_agent(self, tenant: Tenant, name: str, template_id: str) -> Agent:
        if template_id != DEFAULT_TEMPLATE:
            raise NotApplicable(
                f"needs a {template_id!r} agent {name!r}; the cast {self.cast.path} names "
                "existing agents, whose kind the suite cannot choose"
            )
        if self.speaks.agents_per_tenant == 1:
            return self.the_bot(tenant, name)
        agents = self.cast.tenants[tenant.name].agents
        if name not in agents:
            raise NotApplicable(
                f"needs agent {name!r} of tenant {tenant.name!r}, which the cast "
                f"{self.cast.path} does not name ({tenant.name}'s {closest(name, agents)}); "
                f"add it to [tenants.{tenant.name}.agents] to run this scenario"
            )
        return self.cast_agent(tenant, name)

    def cast_agent(self, tenant: Tenant, name: str) -> Agent:
        """The cast's agent ``name`` of ``tenant``, with its key: the one the cast
        carries, or (a cast of api_server) the ids themselves (docs/protocol.md)."""
        cast_tenant = self.cast.tenants[tenant.name]
        agent_id = cast_tenant.agents[name]
        key = cast_tenant.keys.get(name) or tenant_agent_key(tenant.tenant_id, agent_id)
        return Agent(name=name, agent_id=agent_id, tenant=tenant, api_key=key)

    def the_bot(self, tenant: Tenant, name: str) -> Agent:
        """Upstream: whatever a scenario calls its agent, an API client talks to the one
        bot, known by its account on the cast's platform."""
        account = self.cast.bot_accounts.get(self.cast.platform, "") or "the bot"
        key = self.cast.tenants[tenant.name].key
        return Agent(name=name, agent_id=account, tenant=tenant, api_key=key)

    async def remove_created(self) -> str:
        """Nothing to remove: a cast creates nothing."""
        return ""

    async def revoke(self, agent: Agent, how: str) -> None:
        raise NotApplicable(CAST_CANNOT_REVOKE.format(how=how, cast=self.cast.path))

    async def close(self) -> None:
        """Nothing to release: the cast opened no connection."""


def dialect_of_cast(cast: Cast) -> Dialect:
    """The dialect a cast names (upstream), else the one its keys show: minted keys are
    saas's; without, the keys are api_server's ``tenant:agent``."""
    if cast.dialect:
        return DIALECTS[cast.dialect]
    return DIALECTS["saas" if cast.carries_keys else "api_server"]


def closest(name: str, names: Iterable[str]) -> str:
    """ "closest there: Acmee" for a likely typo, else every name the cast has."""
    names = list(names)
    near = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
    return f"closest there: {near[0]}" if near else f"names there: {', '.join(names)}"


def what_it_said(text: str, limit: int = 300) -> str:
    """An error answer in one line: FastAPI's ``detail`` (a text, or a list of refused
    fields as ``email: value is not a valid email address ...``), else the body."""
    try:
        detail = json.loads(text).get("detail")
    except (ValueError, AttributeError):
        detail = None
    if isinstance(detail, list):
        parts = [
            f"{'.'.join(str(p) for p in item.get('loc', [])[1:])}: {item.get('msg', '')}"
            if isinstance(item, dict)
            else str(item)
            for item in detail
        ]
        said = "; ".join(parts)
    elif isinstance(detail, str):
        said = detail
    else:
        said = text.strip() or "(an empty body)"
    said = " ".join(said.split())
    return said if len(said) <= limit else said[: limit - 3] + "..."


def _field(data: dict[str, Any], *path: str, call: str) -> str:
    value: Any = data
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    if not isinstance(value, str) or not value:
        raise ProvisioningError(f"config API's {call} answer has no {'.'.join(path)}: {data!r}")
    return value
