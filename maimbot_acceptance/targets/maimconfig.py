"""Provisioning through MaimConfig's v2 API, the control plane of the saas stack
(docs/protocol.md, "saas"), and telling it apart from MaiMBot's v1 config API.

MaimConfig creates a tenant (``POST /api/v2/tenants``), an agent of it
(``/api/v2/agents``) and a key for that agent (``/api/v2/api-keys``, the ``mmc_`` key
the reply backend wants). It answers HTTP 200 even when it refuses: its body's
``success`` says, with a ``message`` and an ``error_code``. It has delete routes, so
what a run created is removed at its end.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp

from ..errors import NotApplicable, ProvisioningError, SettingsError
from ..wire.dialects import DIALECTS
from .provisioning import (
    DEFAULT_TEMPLATE,
    Agent,
    ConfigApiProvisioner,
    ControlPlaneHttp,
    Provisioner,
    Tenant,
)

GONE = frozenset({"KEY_001", "AGENT_004", "TENANT_003"})
"""MaimConfig's error codes for "no such key / agent / tenant": at clean-up, already gone."""

PROBE_KEY = "mmc_never_minted"
"""A key no MaimConfig minted: asking it to validate this is a cheap, harmless question."""


class MaimConfigProvisioner:
    """Fresh tenants, agents and minted keys from MaimConfig's v2 API; removes them at
    the end of the run (keys, then agents, then tenants)."""

    speaks = DIALECTS["saas"]

    def __init__(self, config_url: str, timeout: float = 10.0) -> None:
        self.http = ControlPlaneHttp("MaimConfig", config_url, timeout)
        self._created: list[tuple[str, str]] = []
        """(route, id) of everything created, in order."""
        self._key_ids: dict[str, str] = {}
        """Minted key -> its id (MaimConfig's routes name a key by its id)."""

    async def create_tenant(self, name: str) -> Tenant:
        # MaimConfig wants tenant names unique across the deployment.
        unique = self.http.unique(name)
        data = await self._call(
            "POST", "/api/v2/tenants", {"tenant_name": unique, "tenant_type": "personal"}
        )
        tenant_id = _text(data, "id", call="create tenant")
        self._created.append(("tenants", tenant_id))
        return Tenant(name=name, tenant_id=tenant_id)

    async def create_agent(self, tenant: Tenant, name: str, template_id: str) -> Agent:
        body = {"tenant_id": tenant.tenant_id, "name": name}
        if template_id != DEFAULT_TEMPLATE:
            body["template_id"] = template_id  # a kind of agent only the reference server has
        agent_id = _text(
            await self._call("POST", "/api/v2/agents", body), "id", call="create agent"
        )
        self._created.append(("agents", agent_id))
        minted = await self._call(
            "POST",
            "/api/v2/api-keys",
            {"tenant_id": tenant.tenant_id, "agent_id": agent_id, "name": f"acceptance-{name}"},
        )
        key = _text(minted, "api_key", call="create api key")
        self._key_ids[key] = _text(minted, "api_key_id", call="create api key")
        self._created.append(("api-keys", self._key_ids[key]))
        return Agent(name=name, agent_id=agent_id, tenant=tenant, api_key=key)

    async def revoke(self, agent: Agent, how: str) -> None:
        """Delete the key, disable it, make it expire (a minute ago, UTC as MaimConfig
        stores it), or delete its agent or tenant. A disable MaimConfig does not show
        afterwards is NotApplicable: its update route may ignore ``status``."""
        key = f"/api/v2/api-keys/{self._key_ids[agent.api_key]}"
        if how == "deleted":
            await self._delete(key)
        elif how == "agent deleted":
            await self._delete(f"/api/v2/agents/{agent.agent_id}")
        elif how == "tenant deleted":
            await self._delete(f"/api/v2/tenants/{agent.tenant.tenant_id}")
        elif how == "expired":
            past = datetime.now(UTC).replace(tzinfo=None) - timedelta(minutes=1)
            await self._call("PUT", key, {"expires_at": past.isoformat(timespec="seconds")})
        elif how == "disabled":
            await self._call("PUT", key, {"status": "disabled"})
            shown = await self._call("GET", key, None)
            status = shown.get("status") if isinstance(shown, dict) else shown
            if status != "disabled":
                raise NotApplicable(
                    f"needs a key taken back (disabled), which {self.http.name} cannot do: "
                    f"it answered PUT {key} status=disabled with success, but the key's "
                    f"status is {status!r} after it (its update route does not take status)"
                )
        else:
            raise ValueError(f"no way to revoke a key {how!r}")

    async def _delete(self, path: str) -> None:
        await self._call("DELETE", path, None)
        route, _, made = path.removeprefix("/api/v2/").partition("/")
        self._created.remove((route, made))

    async def remove_created(self) -> str:
        """Delete what this run created, newest first; one line naming what stayed."""
        left: list[str] = []
        while self._created:
            route, made = self._created.pop()
            try:
                await self._call("DELETE", f"/api/v2/{route}/{made}", None)
            except ProvisioningError as problem:
                # Gone with its agent or tenant (a server that takes keys with them).
                if not any(code in str(problem) for code in GONE):
                    left.append(f"{route} {made} ({problem})")
        if not left:
            return ""
        return f"could not remove {len(left)} of what the run created: " + "; ".join(left[:5])

    async def close(self) -> None:
        await self.http.close()

    async def _call(self, method: str, path: str, body: dict[str, Any] | None) -> Any:
        """The ``data`` of a successful answer; a ProvisioningError naming the call and
        what MaimConfig said otherwise (HTTP 200 with ``success: false`` included)."""
        status, text = await self.http.request(method, path, body)
        answer = self.http.json_of(method, path, text)
        if not isinstance(answer, dict) or answer.get("success") is not True:
            said = (
                answer
                if not isinstance(answer, dict)
                else {
                    k: answer.get(k)
                    for k in ("message", "error", "error_code", "detail")
                    if k in answer
                }
            )
            raise ProvisioningError(f"{self.http.name} {method} {path} answered {status}: {said}")
        return answer.get("data")


def _text(data: Any, key: str, *, call: str) -> str:
    value = data.get(key) if isinstance(data, dict) else None
    if not isinstance(value, str) or not value:
        raise ProvisioningError(f"MaimConfig's {call} answer has no data.{key}: {data!r}")
    return value


async def control_plane_of(config_url: str, timeout: float) -> str:
    """ "v1" (MaiMBot's config API) or "v2" (MaimConfig), by asking ``config_url`` two
    cheap, harmless questions whose answers differ (docs/protocol.md, "Provisioning");
    SettingsError if it answers neither as either.

    api_server's v1 API lists its agent templates. MaimConfig validates a key in its
    envelope (``success: false`` for one never minted). The order matters: api_server's
    head, and a deployment that mounts its v1 routers on it, also serve v2 paths that
    look like MaimConfig's, but not ``/api/v2/auth/validate-api-key``."""
    base = config_url.rstrip("/")
    v1 = f"{base}/api/v1/agents/templates"
    v2 = f"{base}/api/v2/auth/validate-api-key"
    said: dict[str, str] = {}
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout)) as session:
        for name, method, url, body in (
            ("v1", "GET", v1, None),
            ("v2", "POST", v2, {"api_key": PROBE_KEY}),
        ):
            try:
                async with session.request(method, url, json=body) as response:
                    answer = await response.json(content_type=None)
                    said[name] = f"{response.status} {str(answer)[:80]}"
            except (aiohttp.ClientError, TimeoutError, ValueError) as error:
                said[name] = f"failed: {error or 'timed out'}"
                continue
            if name == "v1" and response.status == 200 and isinstance(answer, list):
                return "v1"
            if name == "v2" and isinstance(answer, dict) and answer.get("success") is False:
                return "v2"
    raise SettingsError(
        f"config_url={config_url}: neither MaiMBot's v1 config API (GET {v1}: {said['v1']}) "
        f"nor MaimConfig's v2 API (POST {v2}: {said['v2']}) answered as such; "
        "-D control_plane=v1|v2 names it"
    )


def provisioner_for(config_url: str, control_plane: str) -> Provisioner:
    """The provisioner of a known control plane ("v1" or "v2")."""
    if control_plane == "v2":
        return MaimConfigProvisioner(config_url)
    return ConfigApiProvisioner(config_url)
