"""What every part of a scenario's world stands on: the knobs, the loop to run on, and
what the target's dialect guarantees of a reply."""

from __future__ import annotations

from collections.abc import Coroutine
from dataclasses import dataclass
from typing import Any, TypeVar

from ..targets.settings import Settings
from ..wire.dialects import DIALECTS, Dialect, client_options
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

    @property
    def operation_timeout(self) -> float:
        """Bound of harness operations with no knob of their own (provisioning, sends,
        disconnects, restarting the embedded server): the connect timeout."""
        return self.settings.connect_timeout

    def client_options(self, platform: str) -> dict[str, Any]:
        """What every client of the scenario on ``platform`` is made with, beyond its key
        (``wire.dialects.client_options``)."""
        cast = self.settings.cast_file
        return client_options(self.dialect, cast.bot_accounts if cast else {}, platform)

    def run(self, coro: Coroutine[Any, Any, T], timeout: float) -> T:
        """Run ``coro`` on the client loop; the step blocks on it only."""
        return self.loop.run(coro, timeout + BACKSTOP)
