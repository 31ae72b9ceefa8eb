"""The reference agents' model: an OpenAI-compatible endpoint (the LLM tap), asked
with each reply's prompt so that what an agent tells its model can be witnessed."""

from __future__ import annotations

import logging
from typing import Any

import aiohttp

log = logging.getLogger(__name__)

MODEL_TIMEOUT = 2.0
"""Seconds a reply waits for the model before going out without it."""


class Model:
    """Chat completions at ``url`` (a base URL ending in ``/v1``); none when empty."""

    def __init__(self, url: str) -> None:
        self.url = url.rstrip("/")
        self._session: aiohttp.ClientSession | None = None

    async def ask(self, messages: list[dict[str, Any]]) -> str | None:
        """The model's answer, or None (no model, or it failed: the reply goes on)."""
        if not self.url:
            return None
        if self._session is None:
            self._session = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=MODEL_TIMEOUT)
            )
        body = {"model": "reference-agent", "messages": messages}
        try:
            async with self._session.post(f"{self.url}/chat/completions", json=body) as response:
                answer = await response.json()
            return str(answer["choices"][0]["message"]["content"])
        except (aiohttp.ClientError, TimeoutError, KeyError, IndexError, ValueError) as error:
            log.warning("the model at %s did not answer: %r", self.url, error)
            return None

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None
