"""What the tap saw: one record per model request, numbered, waited on without polling."""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from ..wire.notifier import Notifier
from .answers import content_text


@dataclass(frozen=True)
class TapRecord:
    index: int
    """1 for the first request the tap saw, then 2, 3, ..."""
    kind: str
    """"chat" or "embeddings"."""
    model: str
    prompt: str
    """The whole prompt: every message's role and text (chat), or every input (embeddings)."""
    time: float
    """When it arrived (seconds since the epoch)."""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TapRecord:
        return cls(
            int(data["index"]),
            str(data["kind"]),
            str(data["model"]),
            str(data["prompt"]),
            float(data["time"]),
        )


def chat_prompt(messages: list[dict[str, Any]]) -> str:
    """Every message of a chat request as ``role: text``, one after another."""
    return "\n".join(
        f"{message.get('role', '?')}: {content_text(message.get('content'))}"
        for message in messages
        if isinstance(message, dict)
    )


def embedding_inputs(body: dict[str, Any]) -> list[str]:
    given = body.get("input", "")
    return [str(item) for item in given] if isinstance(given, list) else [str(given)]


class RecordLog:
    """The records, in order; optionally appended to a JSON-lines file as they come.
    Used from the tap's one event loop."""

    def __init__(self, log_file: Path | None = None) -> None:
        self.records: list[TapRecord] = []
        self._changes = Notifier()
        self._log_file = log_file
        self._closed = False

    def add(self, kind: str, model: str, prompt: str) -> TapRecord:
        record = TapRecord(len(self.records) + 1, kind, model, prompt, time.time())
        self.records.append(record)
        if self._log_file is not None:
            with self._log_file.open("a", encoding="utf-8") as out:
                out.write(json.dumps(record.to_json(), ensure_ascii=False) + "\n")
        self._changes.notify()
        return record

    def after(self, index: int) -> list[TapRecord]:
        return self.records[max(index, 0) :]

    async def wait_after(self, index: int, timeout: float) -> list[TapRecord]:
        """Records numbered above ``index``: at once if there are some, else the first
        ones to arrive within ``timeout`` s (none when it passes)."""
        found = await self._changes.wait_for(
            lambda: self.after(index) or ([] if self._closed else None), timeout
        )
        return found or []

    def close(self) -> None:
        """Wake every waiter now (the tap is stopping)."""
        self._closed = True
        self._changes.notify()
