"""The one way the harness builds a client: from an agent (or, for an outsider's
attempt, from a bare key), on the wire the target speaks.

On a target that serves both wires (the embedded reference server) the wire is
"mixed": connections alternate between Socket.IO and the plain WebSocket, so the
scenarios that connect several clients (isolation, fan-out) cross wires, and each
scenario starts on the wire its name picks (the same one every run).
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from typing import Any

from ..wire.client import WIRE_NAMES, TenantMessageClient
from ..wire.dialects import bot_account_config
from .provisioning import Agent

MIXED = "mixed"
"""Connections alternate between the wires (a target that serves both)."""


class ClientMaker:
    """Builds clients for one target: its address, its wire, the run's knobs."""

    def __init__(
        self,
        server_url: str,
        wire: str,
        *,
        auth_settle: float = 0.3,
        additional_config: Mapping[str, Any] | None = None,
        first: str = "",
        bot_accounts: Mapping[str, str] | None = None,
    ) -> None:
        """
        :param wire: "socketio", "plain" or "mixed".
        :param additional_config: put in every message's ``message_info`` (a dialect's
            needs).
        :param first: what picks the first wire of a mixed maker (a scenario's name).
        :param bot_accounts: upstream: platform -> the bot's account there, which every
            message on that platform names in its ``additional_config`` (or the bot
            never answers; docs/protocol.md, "upstream").
        """
        if wire != MIXED and wire not in WIRE_NAMES:
            raise ValueError(f"unknown wire {wire!r} (known: {', '.join([*WIRE_NAMES, MIXED])})")
        self.server_url = server_url
        self.wire = wire
        self.auth_settle = auth_settle
        self.additional_config = dict(additional_config or {})
        self.bot_accounts = dict(bot_accounts or {})
        self._made = zlib.crc32(first.encode()) % 2 if first else 0

    def next_wire(self) -> str:
        if self.wire != MIXED:
            return self.wire
        wires = list(WIRE_NAMES)
        wire, self._made = wires[self._made % len(wires)], self._made + 1
        return wire

    def config_on(self, platform: str) -> dict[str, Any]:
        """The ``additional_config`` of a message on ``platform``."""
        account = self.bot_accounts.get(platform)
        extra = bot_account_config(account) if account else {}
        return {**self.additional_config, **extra}

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
        settings: dict[str, Any] = {
            "server_url": self.server_url,
            "auth_settle": self.auth_settle,
            "additional_config": self.config_on(platform),
            "wire": wire,
        }
        settings.update(overrides)
        return TenantMessageClient(api_key=api_key, platform=platform, label=label, **settings)
