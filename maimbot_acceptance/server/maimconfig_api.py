"""The reference control plane of the saas dialect: the part of MaimConfig's v2 API the
suite provisions with (docs/protocol.md, "saas").

As MaimConfig: no authentication; every answer is HTTP 200 with a body
``{success, message, data, error, error_code, timestamp, request_id}``, a refusal
included (``success: false`` and an error code); ids ``tenant_<12 hex>``,
``agent_<12 hex>``; keys ``mmc_...`` minted per agent. Unlike saas, the reference
reply backend accepts only keys minted here, and none taken back since: deleted, disabled
(``PUT`` with ``status``, which MaimConfig ignores), expired, or gone with its agent or
tenant (which MaimConfig leaves valid); the connections open with such a key are closed.
"""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime
from typing import Any

from aiohttp import web

from ..wire.dialects import parse_mmc_key
from .config_api import ON_REVOKED, REGISTRY_KEY, KeysRevoked, nothing_to_close
from .registry import TEMPLATES, Conflict, Registry

REFUSAL_CODES = {"disabled": "AUTH_004", "expired": "AUTH_002"}
"""validate-api-key's error code for a key taken back, by how; else AUTH_005 (no such key)."""


def _answer(success: bool, message: str, data: Any = None, *, error_code: str = "") -> web.Response:
    body = {
        "success": success,
        "message": message,
        "data": data,
        "error": None if success else message,
        "error_code": error_code or None,
        "timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "request_id": str(uuid.uuid4()),
    }
    return web.json_response(body)  # HTTP 200 either way, as MaimConfig answers


async def _fields(request: web.Request, *names: str) -> dict[str, Any] | web.Response:
    try:
        data = await request.json()
    except ValueError:
        data = None
    if not isinstance(data, dict):
        return web.json_response({"detail": "body is not a JSON object"}, status=422)
    missing = [name for name in names if not isinstance(data.get(name), str) or not data[name]]
    if missing:
        return web.json_response({"detail": f"missing fields: {', '.join(missing)}"}, status=422)
    return data


async def health(request: web.Request) -> web.Response:
    return web.json_response({"status": "healthy", "timestamp": time.time(), "version": "1.0.0"})


async def create_tenant(request: web.Request) -> web.Response:
    data = await _fields(request, "tenant_name", "tenant_type")
    if isinstance(data, web.Response):
        return data
    try:
        tenant = request.app[REGISTRY_KEY].create_tenant(data["tenant_name"], data["tenant_type"])
    except Conflict as conflict:
        return _answer(False, str(conflict), error_code="TENANT_002")
    return _answer(True, "tenant created", {"id": tenant.tenant_id, **tenant.to_json()})


async def get_tenant(request: web.Request) -> web.Response:
    tenant = request.app[REGISTRY_KEY].tenants.get(request.match_info["tenant_id"])
    if tenant is None:
        return _answer(False, "no such tenant", error_code="TENANT_003")
    return _answer(True, "tenant", {"id": tenant.tenant_id, **tenant.to_json()})


async def create_agent(request: web.Request) -> web.Response:
    data = await _fields(request, "tenant_id", "name")
    if isinstance(data, web.Response):
        return data
    registry = request.app[REGISTRY_KEY]
    tenant = registry.tenants.get(data["tenant_id"])
    if tenant is None:
        return _answer(False, "no such tenant", error_code="AGENT_001")
    if any(agent.name == data["name"] for agent in tenant.agents.values()):
        return _answer(False, "agent name taken in this tenant", error_code="AGENT_002")
    template = data.get("template_id") or "friendly_assistant"
    if template not in {t["template_id"] for t in TEMPLATES}:
        return _answer(False, f"unknown template {template!r}", error_code="AGENT_011")
    agent = registry.create_agent(tenant, data["name"], data.get("description") or "", template)
    return _answer(True, "agent created", {"id": agent.agent_id, **agent.to_json()})


async def create_api_key(request: web.Request) -> web.Response:
    data = await _fields(request, "tenant_id", "agent_id", "name")
    if isinstance(data, web.Response):
        return data
    registry = request.app[REGISTRY_KEY]
    tenant = registry.tenants.get(data["tenant_id"])
    if tenant is None:
        return _answer(False, "no such tenant", error_code="TENANT_001")
    agent = tenant.agents.get(data["agent_id"])
    if agent is None:
        return _answer(False, "no such agent in this tenant", error_code="AGENT_001")
    expires_at = _moment(data.get("expires_at"))
    if isinstance(expires_at, web.Response):
        return expires_at
    try:
        record = registry.mint_key(agent, data["name"])
    except Conflict as conflict:
        return _answer(False, str(conflict), error_code="KEY_002")
    record.expires_at = expires_at
    minted = {
        "api_key_id": record.key_id,
        "tenant_id": agent.tenant_id,
        "agent_id": agent.agent_id,
        "name": record.name,
        "api_key": record.api_key,
    }
    return _answer(True, "key created", minted)


async def validate_api_key(request: web.Request) -> web.Response:
    """A key minted here, for an agent that still exists (what saas never asks)."""
    data = await _fields(request, "api_key")
    if isinstance(data, web.Response):
        return data
    verdict = request.app[REGISTRY_KEY].check_api_key(data["api_key"])
    if not verdict.accepted:
        shapeless = parse_mmc_key(data["api_key"]) is None
        code = "AUTH_001" if shapeless else REFUSAL_CODES.get(verdict.revoked, "AUTH_005")
        return _answer(False, verdict.reason, error_code=code)
    return _answer(True, "valid key", {"valid": True})


def _moment(value: Any) -> float | web.Response | None:
    """An ISO 8601 time as seconds since the epoch (naive: UTC, as MaimConfig stores
    it); None for none; a 422 answer for anything else."""
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return web.json_response({"detail": f"expires_at {value!r} is no time"}, status=422)
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()


async def get_api_key(request: web.Request) -> web.Response:
    record = request.app[REGISTRY_KEY].key_by_id(request.match_info["key_id"])
    if record is None:
        return _answer(False, "no such key", error_code="KEY_001")
    return _answer(True, "key", record.to_json())


async def update_api_key(request: web.Request) -> web.Response:
    """MaimConfig 3cd61cc updates name, description, permissions and expires_at; this
    server also takes ``status`` ("active" or "disabled"), which MaimConfig ignores."""
    data = await _fields(request)
    if isinstance(data, web.Response):
        return data
    status = data.get("status")
    if status not in (None, "active", "disabled"):
        refusal = {"detail": f"status {status!r} is not active or disabled"}
        return web.json_response(refusal, status=422)
    expires_at = _moment(data.get("expires_at"))
    if isinstance(expires_at, web.Response):
        return expires_at
    key_id = request.match_info["key_id"]
    revoked = request.app[REGISTRY_KEY].update_key(key_id, status=status, expires_at=expires_at)
    if revoked is None:
        return _answer(False, "no such key", error_code="KEY_001")
    await request.app[ON_REVOKED](revoked)
    return _answer(True, "key updated", {"api_key_id": key_id})


def _deleter(kind: str, field: str, code: str) -> Any:
    async def delete(request: web.Request) -> web.Response:
        registry: Registry = request.app[REGISTRY_KEY]
        wanted = request.match_info[field]
        revoked = getattr(registry, f"delete_{kind}")(wanted)
        if revoked is None:
            return _answer(False, f"no such {kind}", error_code=code)
        await request.app[ON_REVOKED](revoked)
        return _answer(True, f"{kind} deleted", {"id": wanted})

    return delete


def maimconfig_app(
    registry: Registry, on_revoked: KeysRevoked = nothing_to_close
) -> web.Application:
    app = web.Application()
    app[REGISTRY_KEY] = registry
    app[ON_REVOKED] = on_revoked
    app.add_routes(
        [
            web.get("/health", health),
            web.post("/api/v2/tenants", create_tenant),
            web.get("/api/v2/tenants/{tenant_id}", get_tenant),
            web.delete(
                "/api/v2/tenants/{tenant_id}", _deleter("tenant", "tenant_id", "TENANT_003")
            ),
            web.post("/api/v2/agents", create_agent),
            web.delete("/api/v2/agents/{agent_id}", _deleter("agent", "agent_id", "AGENT_004")),
            web.post("/api/v2/api-keys", create_api_key),
            web.get("/api/v2/api-keys/{key_id}", get_api_key),
            web.put("/api/v2/api-keys/{key_id}", update_api_key),
            web.delete("/api/v2/api-keys/{key_id}", _deleter("key", "key_id", "KEY_001")),
            web.post("/api/v2/auth/validate-api-key", validate_api_key),
        ]
    )
    return app
