"""The LLM tap: an OpenAI-compatible endpoint that records every prompt it is sent.

A deployment's model providers point at it (its base URL ends in ``/v1``). Each chat
completion (JSON, or SSE with ``"stream": true``) and each embeddings request is
recorded, then answered: by an answerer (answers.py), deterministically, or by the
upstream provider the tap forwards to, unchanged. The records are read over HTTP
(``GET /tap/requests?after=N&wait=S``, long-polling) or, in-process, from
:attr:`LlmTap.log`.
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

from ..wire.net import listen
from .answers import ANSWERERS, DEFAULT_DIMENSIONS, ToolCaller, embedding
from .maibot_planner import ToolCall
from .records import RecordLog, chat_prompt, embedding_inputs

NOTHING_TO_DO = "Nothing new to answer."
"""A tool-calling planner's text when it calls no tool (which ends its round)."""

MAX_REQUEST = 256 * 1024**2
"""Bytes a request may have: a model is asked about whatever users said (a message of
1 MiB makes a prompt over aiohttp's default 1 MiB, which it refuses with 413)."""

MAX_WAIT = 60.0
"""The longest a reader may long-poll for records, in seconds."""


class TapStartError(RuntimeError):
    """The tap could not listen where it was told to."""


@dataclass(frozen=True)
class TapOptions:
    host: str = "127.0.0.1"
    port: int = 0
    answer: str = "echo"
    upstream: str = ""
    """Base URL of a real provider (``https://host/v1``); empty: the answerer answers."""
    upstream_key: str = ""
    log_file: Path | None = None


class LlmTap:
    """The tap's HTTP server, on whatever event loop starts it."""

    def __init__(self, options: TapOptions = TapOptions()) -> None:
        if options.answer not in ANSWERERS:
            known = ", ".join(sorted(ANSWERERS))
            raise ValueError(f"unknown answerer {options.answer!r}; known: {known}")
        self.options = options
        self.log = RecordLog(options.log_file)
        self._answerer = ANSWERERS[options.answer]()
        answerer = self._answerer
        self._tool_caller = answerer if isinstance(answerer, ToolCaller) else None
        self._runner: web.AppRunner | None = None
        self._upstream: aiohttp.ClientSession | None = None
        self._port: int | None = None

    @property
    def url(self) -> str:
        """The base URL a provider is given (OpenAI clients append /chat/completions)."""
        if self._port is None:
            raise RuntimeError("the tap is not listening")
        return f"http://{self.options.host}:{self._port}/v1"

    async def start(self) -> None:
        app = web.Application(client_max_size=MAX_REQUEST)
        app.router.add_post("/v1/chat/completions", self._chat)
        app.router.add_post("/v1/embeddings", self._embeddings)
        app.router.add_get("/v1/models", self._models)
        app.router.add_get("/tap/requests", self._requests)
        # A long-polling reader must not hold the tap's stop for long.
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        host, port = self.options.host, self.options.port
        _, self._port = await listen(runner, host, port, what="LLM tap", error=TapStartError)
        self._runner = runner
        if self.options.upstream:
            self._upstream = aiohttp.ClientSession()

    async def stop(self) -> None:
        self.log.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
            self._port = None
        if self._upstream is not None:
            await self._upstream.close()
            self._upstream = None

    # -- the OpenAI-compatible side ----------------------------------------------------

    async def _chat(self, request: web.Request) -> web.StreamResponse:
        body = await _json_body(request)
        messages = [m for m in body.get("messages", []) if isinstance(m, dict)]
        model = str(body.get("model", ""))
        self.log.add("chat", model, chat_prompt(messages))
        if self._upstream is not None:
            return await self._forward(request, "chat/completions", body)
        tools = body.get("tools")
        offered: list[Any] = tools if isinstance(tools, list) else []
        caller = self._tool_caller if offered else None
        planned = caller.call_tools(messages, offered) if caller is not None else None
        calls = planned or []
        if planned is None:
            text = self._answerer.answer(messages, model)
        else:
            text = "" if calls else NOTHING_TO_DO  # no call ends the planner's round
        if body.get("stream"):
            return await _stream_chat(request, model, text, calls)
        return web.json_response(_completion(model, text, calls))

    async def _embeddings(self, request: web.Request) -> web.StreamResponse:
        body = await _json_body(request)
        inputs = embedding_inputs(body)
        model = str(body.get("model", ""))
        self.log.add("embeddings", model, "\n".join(inputs))
        if self._upstream is not None:
            return await self._forward(request, "embeddings", body)
        dimensions = int(body.get("dimensions") or DEFAULT_DIMENSIONS)
        data = [
            {"object": "embedding", "index": i, "embedding": embedding(text, dimensions)}
            for i, text in enumerate(inputs)
        ]
        return web.json_response(
            {"object": "list", "data": data, "model": model, "usage": _usage(inputs)}
        )

    async def _models(self, request: web.Request) -> web.Response:
        names = sorted(ANSWERERS) if self._upstream is None else []
        data = [{"id": name, "object": "model", "owned_by": "llm-tap"} for name in names]
        return web.json_response({"object": "list", "data": data})

    async def _forward(
        self, request: web.Request, path: str, body: dict[str, Any]
    ) -> web.StreamResponse:
        """Send the request on to the upstream provider and its answer back, byte for byte."""
        assert self._upstream is not None
        headers = {"Content-Type": "application/json"}
        key = self.options.upstream_key or request.headers.get("Authorization", "")
        if key:
            headers["Authorization"] = key if key.startswith("Bearer ") else f"Bearer {key}"
        url = f"{self.options.upstream.rstrip('/')}/{path}"
        try:
            async with self._upstream.post(url, json=body, headers=headers) as upstream:
                response = web.StreamResponse(status=upstream.status)
                response.content_type = upstream.content_type
                await response.prepare(request)
                async for chunk in upstream.content.iter_any():
                    await response.write(chunk)
                await response.write_eof()
                return response
        except aiohttp.ClientConnectionError as error:
            raise web.HTTPBadGateway(text=f"the upstream {url} failed: {error}") from None

    # -- the suite's side --------------------------------------------------------------

    async def _requests(self, request: web.Request) -> web.Response:
        try:
            after = int(request.query.get("after", "0"))
            wait = min(float(request.query.get("wait", "0")), MAX_WAIT)
        except ValueError:
            raise web.HTTPBadRequest(text="after must be an integer, wait a number") from None
        records = await self.log.wait_after(after, wait) if wait > 0 else self.log.after(after)
        return web.json_response(
            {"records": [r.to_json() for r in records], "last": len(self.log.records)}
        )


async def _json_body(request: web.Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError:
        raise web.HTTPBadRequest(text="the body is not JSON") from None
    if not isinstance(body, dict):
        raise web.HTTPBadRequest(text="the body is not a JSON object")
    return body


def _tool_calls(calls: list[ToolCall]) -> list[dict[str, Any]]:
    """OpenAI's ``tool_calls`` of an assistant message."""
    return [
        {
            "id": f"call_{uuid.uuid4().hex[:12]}",
            "type": "function",
            "function": {
                "name": call.name,
                "arguments": json.dumps(call.arguments, ensure_ascii=False),
            },
        }
        for call in calls
    ]


def _completion(model: str, text: str, calls: list[ToolCall]) -> dict[str, Any]:
    message: dict[str, Any] = {"role": "assistant", "content": text}
    if calls:
        message["tool_calls"] = _tool_calls(calls)
    return {
        "id": f"chatcmpl-{uuid.uuid4().hex}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": message,
                "finish_reason": "tool_calls" if calls else "stop",
            }
        ],
        "usage": _usage([], text),
    }


async def _stream_chat(
    request: web.Request, model: str, text: str, calls: list[ToolCall]
) -> web.StreamResponse:
    """The answer as OpenAI's server-sent events: the text (and the tool calls) in one
    delta, then the stop."""
    response = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
    await response.prepare(request)
    ident, created = f"chatcmpl-{uuid.uuid4().hex}", int(time.time())

    def chunk(delta: dict[str, Any], finish: str | None) -> bytes:
        event = {
            "id": ident,
            "object": "chat.completion.chunk",
            "created": created,
            "model": model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
        }
        return f"data: {json.dumps(event, ensure_ascii=False)}\n\n".encode()

    delta: dict[str, Any] = {"role": "assistant", "content": text}
    if calls:
        delta["tool_calls"] = [dict(call, index=i) for i, call in enumerate(_tool_calls(calls))]
    await response.write(chunk(delta, None))
    await response.write(chunk({}, "tool_calls" if calls else "stop"))
    await response.write(b"data: [DONE]\n\n")
    await response.write_eof()
    return response


def _usage(prompts: list[str], completion: str = "") -> dict[str, int]:
    """Words standing in for tokens: clients read the field, nobody bills it here."""
    asked, answered = sum(len(p.split()) for p in prompts), len(completion.split())
    return {"prompt_tokens": asked, "completion_tokens": answered, "total_tokens": asked + answered}
