"""Why an awaited reply is missing: what the asking connection did meanwhile, and
whether the reply reached another of the scenario's connections (a routing fault)."""

from __future__ import annotations

from collections.abc import Sequence

from hamcrest.core.matcher import Matcher

from ..wire.client import TenantMessageClient
from ..wire.messages import ChatMessage
from .exchange import Exchange


async def where_else(
    exchange: Exchange, expected: Matcher[ChatMessage], others: Sequence[TenantMessageClient]
) -> str:
    """Lines to add to the failure: whether the asking connection stayed open, and which
    of ``others`` got the ``expected`` reply instead. (A coroutine only to read the
    inboxes on the loop they belong to.)"""
    asked_at = exchange.sent.sent_at
    lines = [f"  {_link_since(exchange.client, asked_at)}"]
    strays = [
        f"    {client.label} got it as #{arrival.seq + 1}, {arrival.at - asked_at:.3f} s "
        f"after the send: {arrival.message.describe()}"
        for client in others
        for arrival in client.inbox.arrivals
        if arrival.at >= asked_at and expected.matches(arrival.message)
    ]
    if strays:
        lines.append("  The expected reply arrived on ANOTHER connection of this scenario:")
        lines += strays
    elif others:
        names = "; ".join(client.label for client in others)
        lines.append(
            f"  None of this scenario's other {len(others)} connection(s) got it either ({names})."
        )
    else:
        lines.append("  This scenario has no other connection it could have reached.")
    return "\n".join(lines)


def _link_since(client: TenantMessageClient, since: float) -> str:
    """Whether the connection stayed open from ``since`` (monotonic) until now."""
    closes = [event for event in client.events if event.kind == "close" and event.at >= since]
    if closes:
        first = closes[0]
        state = "it is open again" if client.is_connected else "it is still closed"
        return (
            f"The server closed this connection {first.at - since:.2f} s after the send "
            f"({first.detail}); {state}."
        )
    if client.is_connected:
        return "This connection stayed open throughout the wait."
    return "The connection is not open."
