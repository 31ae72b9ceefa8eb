"""The server itself, when the suite runs it (the embedded reference server): stop it
gently or kill it, bring it back on the same address, ask what it still holds."""

from __future__ import annotations

import time
from dataclasses import dataclass

from ..errors import ScenarioError
from ..server import EmbeddedServer
from .stage import Stage


@dataclass
class ServerControl:
    stage: Stage
    server: EmbeddedServer | None
    """None when the target is not the embedded server (scenarios tagged
    server_control are skipped then)."""
    stopped_at: float | None = None
    """When (``time.monotonic()``) the server last stopped or was killed."""
    _down_port: int | None = None

    def _control(self) -> EmbeddedServer:
        if self.server is None:
            raise ScenarioError("this step needs the embedded reference server (server_control)")
        return self.server

    def stop(self, *, hard: bool) -> None:
        """Stop (or kill) the reply backend, noting when it began."""
        server = self._control()
        self.stopped_at = time.monotonic()
        self._down_port = server.run(
            server.server.stop_backend(hard=hard), self.stage.operation_timeout
        )

    def when_stopped(self) -> float:
        if self.stopped_at is None:
            raise ScenarioError("the server was not stopped in this scenario")
        return self.stopped_at

    def start_again(self) -> None:
        server = self._control()
        if self._down_port is None:
            raise ScenarioError("the server was not stopped in this scenario")
        server.run(server.server.start_backend(self._down_port), self.stage.operation_timeout)
        self._down_port = None

    @property
    def embedded(self) -> bool:
        return self.server is not None

    def share_memory(self, group_ids: list[str]) -> None:
        """Tell the embedded server that these groups share memory on purpose (as a
        deployment's operator would in its configuration)."""
        server = self._control()

        async def share() -> None:
            server.server.memory.share(group_ids)

        server.run(share(), self.stage.operation_timeout)

    def holds(self, connection_id: str) -> bool:
        server = self._control()

        async def holds() -> bool:
            return server.server.backend.holds(connection_id)

        return server.run(holds(), self.stage.operation_timeout)

    def lets_go(self, connection_id: str, within: float) -> bool:
        """Whether the server forgets the connection within ``within`` s (wakes on change)."""
        server = self._control()
        backend = server.server.backend
        return server.run(
            backend.wait_until(lambda: not backend.holds(connection_id), within), within + 5
        )

    def close(self) -> list[str]:
        """The next scenario needs the server this one stopped."""
        if self._down_port is not None:
            self.start_again()
        return []
