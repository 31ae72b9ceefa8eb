"""A tap the suite starts for itself, on its own event-loop thread.

Its own thread, as the embedded reference server has: the tap's connection handlers
then never stall the clients' loop, nor show up in its leak checks. The suite reads
it over HTTP all the same (reader.py), as it reads a tap elsewhere.
"""

from __future__ import annotations

from ..wire.loop import LoopThread
from .tap import LlmTap, TapOptions


def base_url(tap_url: str) -> str:
    """A tap's address without its ``/v1`` (how -D llm_tap may name it either way)."""
    return tap_url.rstrip("/").removesuffix("/v1")


class EmbeddedTap:
    def __init__(self, options: TapOptions | None = None) -> None:
        self.tap = LlmTap(options or TapOptions())
        self._thread = LoopThread("llm-tap")

    def start(self, timeout: float = 10.0) -> EmbeddedTap:
        self._thread.start()
        try:
            self._thread.run(self.tap.start(), timeout)
        except BaseException:
            self._thread.stop()
            raise
        return self

    @property
    def url(self) -> str:
        return base_url(self.tap.url)

    def stop(self, timeout: float = 10.0) -> None:
        try:
            self._thread.run(self.tap.stop(), timeout)
        finally:
            self._thread.stop()
