"""The reference server's plain-WebSocket wire: maim_message 0.6's API Server protocol
(what upstream MaiBot 1.x serves), at ``/ws`` beside Socket.IO's ``/ws/``, on the same
listener and over the same policy (``policy.py``).

As upstream: the client names itself in the headers ``x-uuid``, ``x-apikey`` and
``x-platform`` (the query's ``api_key`` and ``platform`` win); each JSON package is
acknowledged with a ``sys_ack``; a refused client gets the handshake, then a close with
code 1000 and the reason. Unlike upstream, the reference server states its verdict
first (``custom_auth_result``, with the heartbeat it keeps), says why it refuses a key,
answers garbage with a ``custom_protocol_error``, reads a package over the limit whole
before closing with 1009 (``size_limit.py``), and files a key under its own routing user
(upstream files every connection under one, so every reply reaches every client of a
platform).
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
import uuid
from typing import Any

from aiohttp import WSCloseCode, WSMsgType, web
from maim_message.message import APIMessageBase

from ..wire.net import REPLY_BACKEND_PATH
from ..wire.protocol import AUTH_RESULT_TYPE, PROTOCOL_ERROR_TYPE, ack_package
from .policy import ServerLink, Serving
from .screening import package_problem
from .size_limit import is_over, read_bound

log = logging.getLogger(__name__)

UPSTREAM_REFUSAL = "Authentication failed: 认证失败"
"""The close reason upstream's API Server gives every refused key (maim_message 0.6.8)."""

GOODBYE_TIMEOUT = 1.0
"""Seconds a graceful stop waits for its clients to answer its close."""


def close_reason(reason: str) -> bytes:
    """``reason`` cut to the 123 bytes a close frame's reason may take (whole characters)."""
    encoded = reason.encode("utf-8")
    return encoded if len(encoded) <= 123 else encoded[:123].decode("utf-8", "ignore").encode()


class PlainServerWire:
    name = "plain"

    def __init__(self, serving: Serving) -> None:
        """Without ``serving.verdicts`` a refused client is closed with upstream's words."""
        self._policy, self._hear, self._changed = serving.policy, serving.hear, serving.changed
        self.heartbeat = serving.heartbeat
        self._limit = serving.max_message_size
        self._verdicts = serving.verdicts
        self._sockets: dict[str, web.WebSocketResponse] = {}
        self._answers: set[asyncio.Task[None]] = set()

    def attach(self, app: web.Application) -> None:
        app.router.add_get(REPLY_BACKEND_PATH, self._serve)

    # -- one connection ------------------------------------------------------------------

    async def _serve(self, request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse(
            max_msg_size=read_bound(self._limit), heartbeat=self.heartbeat[0], compress=False
        )
        await ws.prepare(request)
        headers, query = request.headers, request.query
        api_key = query.get("api_key") or headers.get("x-apikey") or ""
        platform = query.get("platform") or headers.get("x-platform") or ""
        connection_id = headers.get("x-uuid") or f"plain_{uuid.uuid4().hex}"
        verdict = self._policy.judge(connection_id, api_key)
        if self._verdicts:
            said = {"accepted": verdict.accepted, "reason": verdict.reason}
            await _send(
                ws, {"type": AUTH_RESULT_TYPE, "payload": {**said, "heartbeat": [*self.heartbeat]}}
            )
        if not verdict.accepted:
            log.info("refused plain connection %s: %s", connection_id, verdict.reason)
            reason = verdict.reason if self._verdicts else UPSTREAM_REFUSAL
            await ws.close(code=WSCloseCode.OK, message=close_reason(reason))
            return ws
        link = self._policy.admit(connection_id, api_key, platform, self.name, time.monotonic())
        self._sockets[connection_id] = ws
        self._changed()
        try:
            async for frame in ws:
                if not await self._take(ws, link, frame):
                    break
        finally:
            if self._sockets.get(connection_id) is ws:
                del self._sockets[connection_id]
            self._policy.gone(connection_id)
            self._changed()
        return ws

    async def _take(self, ws: web.WebSocketResponse, link: ServerLink, frame: Any) -> bool:
        """Take one frame in; False once the connection is to end."""
        if frame.type not in (WSMsgType.TEXT, WSMsgType.BINARY):
            return False
        data: str | bytes = frame.data
        if is_over(data, self._limit):
            await ws.close(code=WSCloseCode.MESSAGE_TOO_BIG, message=b"too big")
            return False
        problem = package_problem(data)
        if problem is not None:
            log.info("refused a package from %s: %s", link.uuid, problem)
            await _send(ws, {"type": PROTOCOL_ERROR_TYPE, "payload": {"reason": problem}})
            return True
        package = json.loads(data)
        if package.get("type") != "sys_std":
            return True  # acknowledgements of ours, extensions: nothing to answer
        package_id = str(package.get("msg_id", ""))
        await _send(ws, ack_package(package_id, link.uuid))
        if self._policy.first_time(package_id):
            message = APIMessageBase.from_dict(package["payload"])
            task = asyncio.create_task(self._hear(message, link))
            self._answers.add(task)
            task.add_done_callback(self._answers.discard)
        return True

    # -- the backend's side --------------------------------------------------------------

    async def send(self, connection_uuid: str, package: dict[str, Any]) -> bool:
        ws = self._sockets.get(connection_uuid)
        if ws is None or ws.closed:
            return False
        return await _send(ws, package)

    async def drop(self, connection_uuid: str) -> None:
        """Close one connection from the server's side, with a goodbye."""
        ws = self._sockets.get(connection_uuid)
        if ws is not None:
            await ws.close(code=WSCloseCode.GOING_AWAY, message=b"closed by the server")

    async def close_saying(self, connection_uuid: str, reason: str) -> None:
        """Withdraw a connection's acceptance as a refusal goes: the verdict, then a close
        with code 1000 and the reason."""
        ws = self._sockets.get(connection_uuid)
        if ws is not None:
            said = {"accepted": False, "reason": reason}
            await _send(ws, {"type": AUTH_RESULT_TYPE, "payload": said})
            await ws.close(code=WSCloseCode.OK, message=close_reason(reason))

    async def shut(self, *, hard: bool) -> None:
        """Stop answering; gracefully, say goodbye to every client first (bounded)."""
        for task in self._answers:
            task.cancel()
        await asyncio.gather(*self._answers, return_exceptions=True)
        if hard or not self._sockets:
            return
        goodbyes = [
            asyncio.ensure_future(ws.close(code=WSCloseCode.GOING_AWAY, message=b"server stopping"))
            for ws in list(self._sockets.values())
        ]
        _, late = await asyncio.wait(goodbyes, timeout=GOODBYE_TIMEOUT)
        for goodbye in late:
            goodbye.cancel()


async def _send(ws: web.WebSocketResponse, package: dict[str, Any]) -> bool:
    try:
        await ws.send_str(json.dumps(package, ensure_ascii=False))
    except (ConnectionError, RuntimeError):  # closing or closed under us
        return False
    return True
