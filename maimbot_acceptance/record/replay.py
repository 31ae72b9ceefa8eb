"""Replaying a recorded feature: its knobs, its pace, and failures that name the symptom.

Knobs (behave userdata, ``-D name=value``):

* ``replay_pace``: ``recorded`` (default) keeps the recording's pauses between
  messages; ``fast`` asks as soon as the previous step is done;
* ``replay_slack``: every "within N s" of the feature is multiplied by this (default
  1; a slower target than the one recorded wants more);
* ``replay_max_pause``: no recorded pause is kept longer than this (default 10 s).

Every wait of a replay is bounded by these and the suite's own knobs (reply_timeout
for the "also gets" copies, quiet_window for silence).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

PACES = ("recorded", "fast")


@dataclass(frozen=True)
class ReplayKnobs:
    pace: str = "recorded"
    slack: float = 1.0
    max_pause: float = 10.0

    @classmethod
    def from_userdata(cls, userdata: Mapping[str, Any]) -> ReplayKnobs:
        pace = str(userdata.get("replay_pace", cls.pace))
        if pace not in PACES:
            raise ValueError(f"userdata replay_pace={pace!r} must be one of {', '.join(PACES)}")
        numbers = {}
        for knob, default in (("replay_slack", cls.slack), ("replay_max_pause", cls.max_pause)):
            raw = userdata.get(knob, default)
            try:
                numbers[knob] = float(raw)
            except ValueError:
                raise ValueError(f"userdata {knob}={raw!r} is not a number") from None
            if numbers[knob] <= 0:
                raise ValueError(f"userdata {knob}={raw!r} must be above 0")
        return cls(pace, numbers["replay_slack"], numbers["replay_max_pause"])

    def pause(self, recorded: float, since_last: float) -> float:
        """Seconds still to wait so that ``recorded`` s separate two messages, when
        ``since_last`` s have gone by since the previous one was sent."""
        if self.pace == "fast":
            return 0.0
        return max(0.0, min(recorded, self.max_pause) - since_last)


class _Received(Protocol):
    routing_key: str | None
    routing_platform: str | None
    platform: str | None

    def describe(self) -> str: ...


class _Listener(Protocol):
    label: str
    tenant_id: str
    agent_id: str
    platform: str


def leak_headline(client: _Listener, messages: Iterable[_Received]) -> str:
    """What was wrong with what ``client`` received, in the words of the fault:
    another tenant's reply (a cross-tenant leak), another agent's, another platform's."""
    for message in messages:
        tenant, _, agent = (message.routing_key or "").partition(":")
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
