"""The network between a user's adapter and the server, which a scenario may disturb:
slow it, cut it, make it silent, repair it. Each disturbable connection runs through
a link proxy of the scenario's own."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from ..errors import ScenarioError
from ..wire.link_proxy import LinkProxy
from ..wire.protocol import endpoint_of
from .connections import ConnectionKey, Connections
from .stage import Stage


@dataclass
class Network:
    stage: Stage
    connections: Connections
    links: dict[ConnectionKey, LinkProxy] = field(default_factory=dict)
    broken_at: float | None = None
    """When (``time.monotonic()``) the network last cut or went silent."""

    def connect_over_link(self, user: str, agent_name: str) -> LinkProxy:
        """Connect through a link proxy of the scenario's own (to slow, cut or silence)."""
        server_url = self.stage.server_url
        link = self.stage.run(
            LinkProxy(*endpoint_of(server_url, "server_url", ("ws", "wss"))).start(),
            self.stage.operation_timeout,
        )
        self.links[self.connections.key(user, agent_name)] = link
        self.connections.connect_through(user, agent_name, link.url_for(server_url))
        return link

    def link_of(self, user: str) -> LinkProxy:
        links = [link for key, link in self.links.items() if key.user == user]
        if len(links) != 1:
            raise ScenarioError(f"{user} should have one disturbable network, has {len(links)}")
        return links[0]

    def slow(self, user: str, seconds: float) -> None:
        self._disturb(user, lambda link: link.set_delay(seconds))

    def cut(self, user: str) -> None:
        self.broken_at = self._disturb(user, lambda link: link.cut())

    def silence(self, user: str) -> None:
        self.broken_at = self._disturb(user, lambda link: link.black_hole())

    def repair(self) -> None:
        for key in self.links:
            self._disturb(key.user, lambda link: link.heal())

    def added_round_trip(self, user: str) -> float:
        """Seconds the network adds to a question and its reply (there and back)."""
        return 2 * self.link_of(user).delay

    def when_broken(self) -> float:
        if self.broken_at is None:
            raise ScenarioError("the network has not broken in this scenario")
        return self.broken_at

    def _disturb(self, user: str, how: Callable[[LinkProxy], object]) -> float:
        """Apply ``how`` to ``user``'s link proxy (on the loop, where it lives); returns
        when, in ``time.monotonic()``, the disturbance began."""
        link = self.link_of(user)

        async def apply() -> float:
            how(link)
            return time.monotonic()

        return self.stage.run(apply(), self.stage.operation_timeout)

    def close(self) -> list[str]:
        links = list(self.links.values())
        self.links.clear()

        async def close_links() -> None:
            await asyncio.gather(*(link.close() for link in links))

        self.stage.run(close_links(), self.stage.operation_timeout)
        return []
