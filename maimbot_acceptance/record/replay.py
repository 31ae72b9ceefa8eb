"""Replaying a recorded feature: its pace, and failures that name the symptom.

The knobs ``replay_pace``, ``replay_slack`` and ``replay_max_pause`` are the suite's
settings (targets/settings.py says what each does). Every wait of a replay is bounded
by these and the suite's own knobs (reply_timeout for the "also gets" copies,
quiet_window for silence).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..wire.client import TenantMessageClient
from ..wire.dialects import ids_named_by
from ..wire.messages import ChatMessage


@dataclass(frozen=True)
class ReplayKnobs:
    pace: str
    """How messages follow each other: "recorded" or "fast" (``replay_pace``)."""
    slack: float
    max_pause: float

    def pause(self, recorded: float, since_last: float) -> float:
        """Seconds still to wait so that ``recorded`` s separate two messages, when
        ``since_last`` s have gone by since the previous one was sent."""
        if self.pace == "fast":
            return 0.0
        return max(0.0, min(recorded, self.max_pause) - since_last)


def leak_headline(client: TenantMessageClient, messages: Iterable[ChatMessage]) -> str:
    """What was wrong with what ``client`` received, in the words of the fault:
    another tenant's reply (a cross-tenant leak), another agent's, another platform's."""
    for message in messages:
        # Both dialects' keys name their tenant and agent; a key of neither shape names
        # nobody, and is judged by platform only.
        tenant, agent = ids_named_by(message.routing_key or "")
        platform = message.platform or message.routing_platform
        if tenant and tenant != client.tenant_id:
            return (
                f"cross-tenant leak: {client.label} (tenant {client.tenant_id}) received a "
                f"reply of another tenant's agent ({message.routing_key}): {message.describe()}"
            )
        if agent and agent != client.agent_id:
            return (
                f"cross-agent leak: {client.label} received a reply of another agent of its "
                f"tenant ({message.routing_key}): {message.describe()}"
            )
        if platform and platform != client.platform:
            return (
                f"cross-platform leak: {client.label} (on {client.platform!r}) received a reply "
                f"meant for {platform!r}: {message.describe()}"
            )
    return f"{client.label} received what the recording never showed it receiving"
