"""The reference config API: the subset of MaiMBot's v1 API the suite provisions with.

Same paths, status codes, field names and validation as the real server (docs/protocol.md,
"Provisioning"), so the suite's provisioning code cannot tell the two apart: a
registration MaiMBot would refuse with 422 is refused here too.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
from email_validator import EmailNotValidError, validate_email

from .registry import TEMPLATES, Conflict, Registry, UserRecord

REGISTRY_KEY = web.AppKey("registry", Registry)

KeysRevoked = Callable[[dict[str, str]], Awaitable[None]]
"""Told the keys a call took back, and how, so that their connections can be closed."""
ON_REVOKED: web.AppKey[KeysRevoked] = web.AppKey("on_revoked")


async def nothing_to_close(revoked: dict[str, str]) -> None:
    """A control plane without a reply backend beside it has no connections to close."""


def _error(status: int, detail: str) -> web.Response:
    return web.json_response({"detail": detail}, status=status)


async def _body(request: web.Request, *fields: str) -> dict[str, Any] | web.Response:
    try:
        data = await request.json()
    except ValueError:
        return _error(422, "body is not JSON")
    if not isinstance(data, dict):
        return _error(422, "body is not a JSON object")
    missing = [name for name in fields if not data.get(name)]
    if missing:
        return _error(422, f"missing fields: {', '.join(missing)}")
    return data


def _signed_in(request: web.Request) -> UserRecord | web.Response:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    user = request.app[REGISTRY_KEY].user_for_token(token) if scheme.lower() == "bearer" else None
    return user if user is not None else _error(401, "missing or invalid bearer token")


def _session(user: UserRecord, token: str) -> dict[str, Any]:
    return {
        "access_token": token,
        "refresh_token": token,
        "token_type": "bearer",
        "expires_in": 86400,
        "user_info": user.to_json(),
    }


async def health(request: web.Request) -> web.Response:
    return web.json_response(
        {"status": "healthy", "timestamp": time.time(), "service": "reference", "version": "v1"}
    )


def _invalid(field: str, message: str, value: Any) -> web.Response:
    """FastAPI's answer to a body its pydantic model refuses (MaiMBot's v1 API)."""
    detail = [{"type": "value_error", "loc": ["body", field], "msg": message, "input": value}]
    return web.json_response({"detail": detail}, status=422)


def _registration_problem(data: dict[str, Any]) -> web.Response | None:
    """The checks of MaiMBot's ``UserRegisterRequest`` (``auth_api.py``): username of
    3 to 50 characters, password of 6 or more, tenant type personal or enterprise, and
    an email (optional) that pydantic's EmailStr takes: email-validator, which refuses
    special-use domains such as ``.invalid`` and ``.test``."""
    username, password = str(data["username"]), str(data["password"])
    if not 3 <= len(username) <= 50:
        return _invalid("username", "Value error, username must be 3 to 50 characters", username)
    if len(password) < 6:
        return _invalid("password", "Value error, password must be at least 6 characters", "***")
    tenant_type = data.get("tenant_type", "personal")
    if tenant_type not in ("personal", "enterprise"):
        return _invalid(
            "tenant_type", "Value error, tenant_type must be personal or enterprise", tenant_type
        )
    email = data.get("email")
    if email is not None:
        try:
            validate_email(str(email), check_deliverability=False)
        except EmailNotValidError as error:
            return _invalid("email", f"value is not a valid email address: {error}", email)
    return None


async def register(request: web.Request) -> web.Response:
    data = await _body(request, "username", "password")
    if isinstance(data, web.Response):
        return data
    problem = _registration_problem(data)
    if problem is not None:
        return problem
    try:
        user, token = request.app[REGISTRY_KEY].register(
            data["username"],
            data["password"],
            data.get("email") or "",
            data.get("tenant_name") or data["username"],
            data.get("tenant_type", "personal"),
        )
    except Conflict as conflict:
        return _error(409, str(conflict))
    return web.json_response(_session(user, token), status=201)


async def login(request: web.Request) -> web.Response:
    data = await _body(request, "username", "password")
    if isinstance(data, web.Response):
        return data
    session = request.app[REGISTRY_KEY].login(data["username"], data["password"])
    if session is None:
        return _error(401, "wrong username or password")
    return web.json_response(_session(*session))


async def me(request: web.Request) -> web.Response:
    user = _signed_in(request)
    return user if isinstance(user, web.Response) else web.json_response(user.to_json())


async def tenant(request: web.Request) -> web.Response:
    user = _signed_in(request)
    if isinstance(user, web.Response):
        return user
    return web.json_response(user.tenant.to_json())


async def tenant_stats(request: web.Request) -> web.Response:
    """MaiMBot's own clients read it; the reference server counts agents only."""
    user = _signed_in(request)
    if isinstance(user, web.Response):
        return user
    return web.json_response(
        {
            **user.tenant.to_json(),
            "total_agents": len(user.tenant.agents),
            "total_messages": 0,
            "total_api_calls": 0,
            "total_cost": 0.0,
            "last_active": None,
        }
    )


async def templates(request: web.Request) -> web.Response:
    return web.json_response([dict(t) for t in TEMPLATES])


async def create_agent(request: web.Request) -> web.Response:
    user = _signed_in(request)
    if isinstance(user, web.Response):
        return user
    data = await _body(request, "name")
    if isinstance(data, web.Response):
        return data
    agent = request.app[REGISTRY_KEY].create_agent(
        user.tenant,
        data["name"],
        data.get("description", ""),
        data.get("template_id") or "friendly_assistant",
    )
    return web.json_response(agent.to_json())


async def list_agents(request: web.Request) -> web.Response:
    user = _signed_in(request)
    if isinstance(user, web.Response):
        return user
    return web.json_response([a.to_json() for a in user.tenant.agents.values()])


async def delete_agent(request: web.Request) -> web.Response:
    """As MaiMBot's v1 ``DELETE /api/v1/agents/{agent_id}``: an agent of the caller's
    tenant, 404 otherwise; its key (the ids themselves) stops working."""
    user = _signed_in(request)
    if isinstance(user, web.Response):
        return user
    agent_id = request.match_info["agent_id"]
    revoked = request.app[REGISTRY_KEY].delete_agent(agent_id, user.tenant.tenant_id)
    if revoked is None:
        return _error(404, "Agent不存在")
    await request.app[ON_REVOKED](revoked)
    return web.json_response({"message": f"Agent '{agent_id}' deleted"})


def config_api_app(
    registry: Registry, on_revoked: KeysRevoked = nothing_to_close
) -> web.Application:
    app = web.Application()
    app[REGISTRY_KEY] = registry
    app[ON_REVOKED] = on_revoked
    app.add_routes(
        [
            web.get("/health", health),
            web.post("/api/v1/auth/register", register),
            web.post("/api/v1/auth/login", login),
            web.get("/api/v1/auth/me", me),
            web.get("/api/v1/tenant", tenant),
            web.get("/api/v1/tenant/stats", tenant_stats),
            web.get("/api/v1/agents/templates", templates),
            # MaiMBot's own clients call both spellings (FastAPI redirects the bare one).
            web.post("/api/v1/agents/", create_agent),
            web.post("/api/v1/agents", create_agent),
            web.get("/api/v1/agents/", list_agents),
            web.get("/api/v1/agents", list_agents),
            web.delete("/api/v1/agents/{agent_id}", delete_agent),
        ]
    )
    return app
