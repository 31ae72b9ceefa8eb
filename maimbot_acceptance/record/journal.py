"""The recording: one JSON Lines file per proxy run, one event per line.

Every line is an object with ``t`` (Unix time, seconds), ``event`` and, except for
the first, ``conn`` (the proxy's number for one client connection)::

    {"event": "run", "version": 1, "server": ..., "listen": ...}      the first line
    {"event": "open", "conn", "api_key", "platform", "uuid", "transport"}
    {"event": "chat", "conn", "from": "client"|"server", "package": {...}}
    {"event": "other" | "control", "conn", "from", "what", "data"}
    {"event": "garbage", "conn", "from", "what", "frame" | "base64"}
    {"event": "refused", "conn", "api_key", "platform", "reason"}
    {"event": "lost", "conn", "from", "what"}      a frame taken but not passed on
    {"event": "close", "conn", "by", "code", "frames": {"client": n, "server": n}}

Chat packages are kept whole: a recording is the traffic, the converter decides what
a spec makes of it. Heartbeats and maim_message's acknowledgements are only counted
(in the close line). Lines are flushed as written, or, by the proxy, every
``FLUSH_EVERY`` seconds (a flush per frame costs the traffic latency): a killed proxy
loses at most that much of the journal; a stopped one loses nothing.
"""

from __future__ import annotations

import base64
import json
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from .framing import Packet

VERSION = 1
GARBAGE_KEPT = 4096
"""Characters (or bytes) of a garbage frame the journal keeps: enough to see what it was."""


FLUSH_EVERY = 0.2


class Journal:
    """Appends events to ``DIR/recording-<time>-<pid>.jsonl``."""

    def __init__(self, directory: str | Path, *, autoflush: bool = True, **run: Any) -> None:
        self.autoflush = autoflush
        folder = Path(directory)
        folder.mkdir(parents=True, exist_ok=True)
        stamp = time.strftime("%Y%m%d-%H%M%S")
        self.path = folder / f"recording-{stamp}-{os.getpid()}.jsonl"
        self._file: TextIO | None = open(self.path, "a", encoding="utf-8")  # noqa: SIM115
        self.write("run", version=VERSION, **run)

    def write(self, event: str, *, at: float | None = None, **fields: Any) -> None:
        if self._file is None:
            return  # closed: the proxy is shutting down
        line = {"t": round(time.time() if at is None else at, 6), "event": event, **fields}
        self._file.write(json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n")
        if self.autoflush:
            self._file.flush()

    def flush(self) -> None:
        if self._file is not None:
            self._file.flush()

    def packet(self, conn: int, sender: str, packet: Packet, frame: str | bytes, at: float) -> None:
        """What the proxy saw in one packet (heartbeats are only counted, by the caller)."""
        if packet.kind == "chat":
            self.write("chat", at=at, conn=conn, **{"from": sender}, package=packet.data)
        elif packet.kind == "garbage":
            kept: dict[str, Any] = (
                {"frame": frame[:GARBAGE_KEPT]}
                if isinstance(frame, str)
                else {"base64": base64.b64encode(frame[:GARBAGE_KEPT]).decode()}
            )
            self.write(
                "garbage",
                at=at,
                conn=conn,
                **{"from": sender},
                what=packet.what,
                size=len(frame),
                **kept,
            )
        elif packet.kind in ("other", "control"):
            self.write(
                packet.kind,
                at=at,
                conn=conn,
                **{"from": sender},
                what=packet.what,
                data=packet.data,
            )

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None


def read_journal(path: str | Path) -> Iterator[dict[str, Any]]:
    """The events of a journal, in order; a line that is not an event object (a torn
    last line of a killed proxy) is skipped."""
    with open(path, encoding="utf-8") as file:
        for line in file:
            try:
                event = json.loads(line)
            except ValueError:
                continue
            if isinstance(event, dict) and "event" in event:
                yield event
