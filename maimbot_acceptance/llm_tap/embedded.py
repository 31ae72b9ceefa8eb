"""A tap the suite starts for itself, on its own event-loop thread.

Its own thread, as the embedded reference server has: the tap's connection handlers
then never stall the clients' loop, nor show up in its leak checks. The suite reads
it over HTTP all the same (reader.py), as it reads a tap elsewhere.
"""

from __future__ import annotations

from ..wire.loop import OnItsOwnLoop
from .tap import LlmTap, TapOptions


def base_url(tap_url: str) -> str:
    """A tap's address without its ``/v1`` (how -D llm_tap may name it either way)."""
    return tap_url.rstrip("/").removesuffix("/v1")


class EmbeddedTap(OnItsOwnLoop):
    def __init__(self, options: TapOptions | None = None) -> None:
        self.tap = LlmTap(options or TapOptions())
        super().__init__(self.tap, "llm-tap")

    @property
    def url(self) -> str:
        return base_url(self.tap.url)
