"""The one way the harness builds a client: from an agent (or, for an outsider's
attempt, from a bare key), on the wire the target speaks.

On a target that serves both wires (the embedded reference server) the wire is
"mixed": connections alternate between Socket.IO and the plain WebSocket, so the
scenarios that connect several clients (isolation, fan-out) cross wires, and each
scenario starts on the wire its name picks (the same one every run).
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Mapping
from typing import Any

from ..wire.client import WIRE_NAMES, TenantMessageClient
from .provisioning import Agent

MIXED = "mixed"
"""Connections alternate between the wires (a target that serves both)."""

ExtraConfig = Mapping[str, Any] | Callable[[str], Mapping[str, Any]]
"""What every outgoing message carries in ``message_info.additional_config``: the same
for every platform, or a function of the platform (upstream MaiBot wants the bot's
account on each)."""


class ClientMaker:
    """Builds clients for one target: its address, its wire, the run's knobs."""

    def __init__(
        self,
        server_url: str,
        wire: str,
        *,
        auth_settle: float = 0.3,
        additional_config: ExtraConfig | None = None,
        first: str = "",
    ) -> None:
        """
        :param wire: "socketio", "plain" or "mixed".
        :param additional_config: put in every message's ``message_info`` (a dialect's
            needs, e.g. upstream's bot account), or a function of the platform giving it.
        :param first: what picks the first wire of a mixed maker (a scenario's name).
        """
        if wire != MIXED and wire not in WIRE_NAMES:
            raise ValueError(f"unknown wire {wire!r} (known: {', '.join([*WIRE_NAMES, MIXED])})")
        self.server_url = server_url
        self.wire = wire
        self.auth_settle = auth_settle
        self.additional_config = additional_config or {}
        self._made = zlib.crc32(first.encode()) % 2 if first else 0

    def next_wire(self) -> str:
        if self.wire != MIXED:
            return self.wire
        wires = list(WIRE_NAMES)
        wire, self._made = wires[self._made % len(wires)], self._made + 1
        return wire

    def for_agent(
        self, agent: Agent, platform: str, label: str, **overrides: Any
    ) -> TenantMessageClient:
        """A client of ``agent`` (its key, tenant and id) on ``platform``."""
        return self.for_key(
            agent.api_key,
            platform,
            label,
            tenant_id=agent.tenant.tenant_id,
            agent_id=agent.agent_id,
            **overrides,
        )

    def for_key(
        self, api_key: str, platform: str, label: str, **overrides: Any
    ) -> TenantMessageClient:
        """A client presenting ``api_key`` (an outsider's, or a bad one) on ``platform``."""
        wire = self.next_wire()
        if self.wire == MIXED:  # a reader of a failure needs to know which it was
            label = f"{label} over {WIRE_NAMES[wire]}"
        extra = self.additional_config
        settings: dict[str, Any] = {
            "server_url": self.server_url,
            "auth_settle": self.auth_settle,
            "additional_config": extra(platform) if callable(extra) else extra,
            "wire": wire,
        }
        settings.update(overrides)
        return TenantMessageClient(api_key=api_key, platform=platform, label=label, **settings)
