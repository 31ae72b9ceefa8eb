"""Named faults: small, deliberate deviations of the reference server.

An acceptance suite that passes against everything is worth nothing. Started with
a fault (``--fault NAME``, or ``-D fault=NAME`` for the embedded server), the
reference server misbehaves in one named way, and the scenario that names that
behaviour must fail. Each fault overrides one hook of :class:`Fault`; the normal
path in reply_backend.py calls the hooks and knows no fault by name.
"""

from __future__ import annotations

import itertools
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, ClassVar

from maim_message.message import APIMessageBase

from .registry import KeyVerdict

if TYPE_CHECKING:
    from .reply_backend import ReplyBackend

Send = Callable[[APIMessageBase], Awaitable[None]]


class Fault:
    """The correct server: every hook does the right thing. Faults override one."""

    name: ClassVar[str] = ""
    summary: ClassVar[str] = "no fault: the correct reference server"

    def __init__(self, backend: ReplyBackend) -> None:
        self.backend = backend

    def judge_key(self, api_key: str, verdict: KeyVerdict) -> KeyVerdict:
        """Decide whether a connection with ``api_key`` is accepted."""
        return verdict

    async def deliver(self, reply: APIMessageBase, send: Send) -> None:
        """Send one reply (``send`` routes it to every connection of its key and platform)."""
        await send(reply)


class LeakCrossTenant(Fault):
    name = "leak-cross-tenant"
    summary = "a reply is also sent to a connection of another tenant"

    async def deliver(self, reply: APIMessageBase, send: Send) -> None:
        await send(reply)
        tenant = reply.message_dim.api_key.partition(":")[0]
        for uuid, key in self.backend.connection_keys().items():
            if key.partition(":")[0] != tenant:
                await self.backend.send_to_connection(uuid, reply)
                return


class DropReply(Fault):
    name = "drop-reply"
    summary = "every third reply is never sent"

    def __init__(self, backend: ReplyBackend) -> None:
        super().__init__(backend)
        self._count = itertools.count(1)

    async def deliver(self, reply: APIMessageBase, send: Send) -> None:
        if next(self._count) % 3:
            await send(reply)


class AcceptAnyKey(Fault):
    name = "accept-any-key"
    summary = "any non-empty api key is accepted (the real MaiMBot's gap)"

    def judge_key(self, api_key: str, verdict: KeyVerdict) -> KeyVerdict:
        return KeyVerdict(bool(api_key), "" if api_key else "empty api key")


FAULTS: dict[str, type[Fault]] = {
    fault.name: fault for fault in (LeakCrossTenant, DropReply, AcceptAnyKey)
}


def fault_named(name: str, backend: ReplyBackend) -> Fault:
    """The fault called ``name`` (empty: none) bound to ``backend``."""
    if not name:
        return Fault(backend)
    try:
        return FAULTS[name](backend)
    except KeyError:
        raise ValueError(f"unknown fault {name!r}; known: {', '.join(sorted(FAULTS))}") from None
