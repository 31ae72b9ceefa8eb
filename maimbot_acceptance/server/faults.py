"""Named faults: small, deliberate deviations of the reference server.

An acceptance suite that passes against everything is worth nothing. Started with
a fault (``--fault NAME``, or ``-D fault=NAME`` for the embedded server), the
reference server misbehaves in one named way, and the scenario that names that
behaviour must fail. Each fault overrides one hook of :class:`Fault` (or two that
belong together); the normal path in reply_backend.py calls the hooks and knows
no fault by name.
"""

from __future__ import annotations

import asyncio
import itertools
import time

from maim_message.message import APIMessageBase

from .fault_hooks import Fault, FaultHost, Send
from .identity_faults import (
    AcceptAnyKey,
    AcceptRevokedKey,
    PersonOfFirstTenant,
    TrustConnectionId,
    TrustMessageKey,
    TrustMessagePlatform,
    UnprefixedKeyAsDefault,
)
from .memory_faults import (
    GroupByGroupId,
    MemoryWithoutTenant,
    OneHistoryPerAgent,
    PersonAcrossChats,
    PersonByUserId,
    SharedKnowledgeBase,
)
from .reply_faults import (
    AnswersItself,
    NamelessGroupAsPrivate,
    QuotesPreviousMessage,
    RepeatReplyLater,
)

__all__ = ["FAULTS", "Fault", "FaultHost", "fault_named"]


class LeakCrossTenant(Fault):
    name = "leak-cross-tenant"
    summary = "a reply is also sent to a connection of another tenant"

    async def deliver(self, reply: APIMessageBase, send: Send) -> None:
        await send(reply)
        tenant = self.host.tenant_of(reply.message_dim.api_key)
        for uuid, key in self.host.connection_keys().items():
            if self.host.tenant_of(key) != tenant:
                await self.host.send_to_connection(uuid, reply)
                return


class DropReply(Fault):
    name = "drop-reply"
    summary = "every third reply is never sent"

    def __init__(self, host: FaultHost) -> None:
        super().__init__(host)
        self._count = itertools.count(1)

    async def deliver(self, reply: APIMessageBase, send: Send) -> None:
        if next(self._count) % 3:
            await send(reply)


class NoPrivateReplies(Fault):
    name = "no-private-replies"
    summary = "private messages are never answered (today's MaiMBot: its pipeline crashes on them)"

    async def deliver(self, reply: APIMessageBase, send: Send) -> None:
        receiver = reply.message_info.receiver_info
        if receiver is not None and receiver.group_info is not None:
            await send(reply)


class LeakCrossAgent(Fault):
    name = "leak-cross-agent"
    summary = "a reply is also sent to a connection of another agent of the same tenant"

    async def deliver(self, reply: APIMessageBase, send: Send) -> None:
        await send(reply)
        key = reply.message_dim.api_key
        tenant, user = self.host.tenant_of(key), self.host.routing_user(key)
        for uuid, other in self.host.connection_keys().items():
            if other != user and self.host.tenant_of(other) == tenant:
                await self.host.send_to_connection(uuid, reply)
                return


class WrongPlatform(Fault):
    name = "wrong-platform"
    summary = "a reply also reaches the agent's connections on every other platform"

    async def deliver(self, reply: APIMessageBase, send: Send) -> None:
        await send(reply)
        key, platform = reply.message_dim.api_key, reply.message_dim.platform
        for other, uuids in self.host.connections_by_platform(key).items():
            if other != platform:
                for uuid in uuids:
                    await self.host.send_to_connection(uuid, reply)


class FirstConnectionOnly(Fault):
    name = "first-connection-only"
    summary = "a reply reaches only the agent's oldest connection on its platform, not all"

    async def deliver(self, reply: APIMessageBase, send: Send) -> None:
        key, platform = reply.message_dim.api_key, reply.message_dim.platform
        uuids = self.host.connections_by_platform(key).get(platform, [])
        if uuids:
            await self.host.send_to_connection(uuids[0], reply)


class Deaf(Fault):
    name = "deaf"
    summary = (
        "every connection is accepted and every message taken, and none is ever answered "
        "(the real MaiMBot as shipped)"
    )

    def hears(self, message: APIMessageBase, connection_uuid: str) -> bool:
        return False


class LateReply(Fault):
    name = "late-reply"
    summary = "every reply is sent 6 s late (after the default 5 s reply timeout)"
    late = 6.0

    async def deliver(self, reply: APIMessageBase, send: Send) -> None:
        # Each answer runs in a task of its own; the server's stop cancels it.
        await asyncio.sleep(self.late)
        await send(reply)


class DuplicateReply(Fault):
    name = "duplicate-reply"
    summary = "every reply is sent twice"

    async def deliver(self, reply: APIMessageBase, send: Send) -> None:
        await send(reply)
        await send(reply)


class Reorder(Fault):
    """Swaps each pair of replies on a key; a reply with no successor comes late, alone."""

    name = "reorder"
    summary = "replies of a burst come out of order (each pair swapped)"
    hold_for = 0.2

    def __init__(self, host: FaultHost) -> None:
        super().__init__(host)
        self._waiting: dict[str, asyncio.Future[None]] = {}
        """Per key and platform: the held reply's wait for its successor to go out."""

    async def deliver(self, reply: APIMessageBase, send: Send) -> None:
        key = f"{reply.message_dim.api_key}@{reply.message_dim.platform}"
        waiting = self._waiting.pop(key, None)
        if waiting is not None:
            await send(reply)
            waiting.set_result(None)  # the held reply goes out after this one
            return
        successor_sent: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting[key] = successor_sent
        await asyncio.wait([successor_sent], timeout=self.hold_for)
        if self._waiting.get(key) is successor_sent:
            del self._waiting[key]  # no successor came: go out alone
        await send(reply)


class DropIdle(Fault):
    name = "drop-idle"
    summary = "a connection that sends nothing for one heartbeat interval is closed"

    def __init__(self, host: FaultHost) -> None:
        super().__init__(host)
        self._timers: dict[str, asyncio.TimerHandle] = {}
        self._closing: set[asyncio.Task[None]] = set()

    def on_connect(self, connection_uuid: str) -> None:
        self._arm(connection_uuid)

    def hears(self, message: APIMessageBase, connection_uuid: str) -> bool:
        self._arm(connection_uuid)
        return True

    def _arm(self, connection_uuid: str) -> None:
        old = self._timers.pop(connection_uuid, None)
        if old is not None:
            old.cancel()
        interval, _ = self.host.heartbeat
        self._timers[connection_uuid] = asyncio.get_running_loop().call_later(
            interval, self._drop, connection_uuid
        )

    def _drop(self, connection_uuid: str) -> None:
        self._timers.pop(connection_uuid, None)
        task = asyncio.get_running_loop().create_task(self.host.drop(connection_uuid))
        self._closing.add(task)
        task.add_done_callback(self._closing.discard)

    async def on_stop(self) -> None:
        for timer in self._timers.values():
            timer.cancel()
        self._timers.clear()
        await asyncio.gather(*self._closing, return_exceptions=True)


class LazyHeartbeat(Fault):
    name = "lazy-heartbeat"
    summary = "the server pings 5 times less often than configured (dead links linger)"

    def heartbeat(self, interval: float, timeout: float) -> tuple[float, float]:
        return interval * 5, timeout * 5


class StaleCutoff(Fault):
    name = "stale-cutoff"
    summary = "a message dated more than 50 ms before it arrives is ignored as already read"
    cutoff = 0.05

    def hears(self, message: APIMessageBase, connection_uuid: str) -> bool:
        age = time.time() - float(message.message_info.time)
        return age <= self.cutoff


class GhostConnections(Fault):
    name = "ghost-connections"
    summary = "a connection that went away is never forgotten by the routing table"

    def forgets(self, connection_uuid: str) -> bool:
        return False


class ForgetOnRestart(Fault):
    name = "forget-on-restart"
    summary = "tenants and agents live only in memory: a restarted server has forgotten them"

    async def on_stop(self) -> None:
        self.host.forget_tenants()


class StopAccepting(Fault):
    name = "stop-accepting"
    summary = (
        "the server stops accepting new connections 1 s after it started "
        "(the real MaiMBot's lost listener, docs/protocol.md: maim_message defect 1)"
    )
    after = 1.0

    def __init__(self, host: FaultHost) -> None:
        super().__init__(host)
        self._deafness: asyncio.Task[None] | None = None

    def on_start(self) -> None:
        self._deafness = asyncio.get_running_loop().create_task(self._go_deaf())

    async def _go_deaf(self) -> None:
        await asyncio.sleep(self.after)
        await self.host.stop_listening()

    async def on_stop(self) -> None:
        if self._deafness is not None:
            self._deafness.cancel()
            await asyncio.gather(self._deafness, return_exceptions=True)


FAULTS: dict[str, type[Fault]] = {
    fault.name: fault
    for fault in (
        LeakCrossTenant,
        DropReply,
        AcceptAnyKey,
        NoPrivateReplies,
        LeakCrossAgent,
        WrongPlatform,
        FirstConnectionOnly,
        TrustMessageKey,
        TrustMessagePlatform,
        TrustConnectionId,
        UnprefixedKeyAsDefault,
        AcceptRevokedKey,
        PersonOfFirstTenant,
        Deaf,
        LateReply,
        DuplicateReply,
        Reorder,
        DropIdle,
        LazyHeartbeat,
        StaleCutoff,
        GhostConnections,
        ForgetOnRestart,
        StopAccepting,
        MemoryWithoutTenant,
        PersonByUserId,
        GroupByGroupId,
        SharedKnowledgeBase,
        OneHistoryPerAgent,
        PersonAcrossChats,
        RepeatReplyLater,
        AnswersItself,
        NamelessGroupAsPrivate,
        QuotesPreviousMessage,
    )
}


def fault_named(name: str, host: FaultHost) -> Fault:
    """The fault called ``name`` (empty: none) living in ``host``."""
    if not name:
        return Fault(host)
    try:
        return FAULTS[name](host)
    except KeyError:
        raise ValueError(f"unknown fault {name!r}; known: {', '.join(sorted(FAULTS))}") from None
