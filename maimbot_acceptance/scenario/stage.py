"""What every part of a scenario's world stands on: the knobs, the loop to run on, and
what the target's dialect guarantees of a reply."""

from __future__ import annotations

from collections.abc import Coroutine, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from ..targets.settings import Settings
from ..wire.dialects import DIALECTS, Dialect
from ..wire.loop import LoopThread

T = TypeVar("T")

BACKSTOP = 5.0
"""Extra seconds a step waits for the loop beyond a coroutine's own timeout."""


@dataclass(frozen=True)
class Stage:
    settings: Settings
    loop: LoopThread
    server_url: str
    dialect: Dialect = DIALECTS["reference"]
    wire: str = "socketio"
    """The wire the target speaks ("mixed": connections alternate; targets/clients.py)."""
    name: str = ""
    """The scenario's name: it picks the first wire of a mixed run."""

    @property
    def operation_timeout(self) -> float:
        """Bound of harness operations with no knob of their own (provisioning, sends,
        disconnects, restarting the embedded server): the connect timeout."""
        return self.settings.connect_timeout

    @property
    def bot_accounts(self) -> Mapping[str, str]:
        """Upstream: the bot's account on each platform, which every message names (the
        cast's); empty elsewhere."""
        cast = self.settings.cast_file
        return cast.bot_accounts if cast is not None else {}

    def run(self, coro: Coroutine[Any, Any, T], timeout: float) -> T:
        """Run ``coro`` on the client loop; the step blocks on it only."""
        return self.loop.run(coro, timeout + BACKSTOP)
