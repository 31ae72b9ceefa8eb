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

    def judge_connection_id(self, connection_id: str, verdict: KeyVerdict) -> KeyVerdict:
        """Decide whether a client may use the connection id it chose (``x-uuid``)."""
        return verdict

    def speaking_key(self, connection_key: str, claimed_key: str) -> str:
        """Whose agent answers a message: the connection's authenticated key, never the
        routing key the message claims (``message_dim.api_key``)."""
        return connection_key

    def reply_platform(self, connection_platform: str, claimed_platform: str) -> str:
        """On which platform the answer goes back: the one the connection is on."""
        return connection_platform

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
        tenant = key.partition(":")[0]
        for uuid, other in self.backend.connection_keys().items():
            if other != key and other.partition(":")[0] == tenant:
                await self.backend.send_to_connection(uuid, reply)
                return


class WrongPlatform(Fault):
    name = "wrong-platform"
    summary = "a reply also reaches the agent's connections on every other platform"

    async def deliver(self, reply: APIMessageBase, send: Send) -> None:
        await send(reply)
        key, platform = reply.message_dim.api_key, reply.message_dim.platform
        for other, uuids in self.backend.connections_by_platform(key).items():
            if other != platform:
                for uuid in uuids:
                    await self.backend.send_to_connection(uuid, reply)


class FirstConnectionOnly(Fault):
    name = "first-connection-only"
    summary = "a reply reaches only the agent's oldest connection on its platform, not all"

    async def deliver(self, reply: APIMessageBase, send: Send) -> None:
        key, platform = reply.message_dim.api_key, reply.message_dim.platform
        uuids = self.backend.connections_by_platform(key).get(platform, [])
        if uuids:
            await self.backend.send_to_connection(uuids[0], reply)


class TrustMessageKey(Fault):
    name = "trust-message-key"
    summary = "the routing key a message claims decides whose agent answers, and to whom"

    def speaking_key(self, connection_key: str, claimed_key: str) -> str:
        return claimed_key or connection_key


class TrustMessagePlatform(Fault):
    name = "trust-message-platform"
    summary = "a reply goes to the platform a message claims (as on MaiMBot), not the sender's"

    def reply_platform(self, connection_platform: str, claimed_platform: str) -> str:
        return claimed_platform or connection_platform


class TrustConnectionId(Fault):
    name = "trust-connection-id"
    summary = "a client may take a live connection's id and its replies (maim_message 0.7.5)"

    def judge_connection_id(self, connection_id: str, verdict: KeyVerdict) -> KeyVerdict:
        return KeyVerdict(True)


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
    )
}


def fault_named(name: str, backend: ReplyBackend) -> Fault:
    """The fault called ``name`` (empty: none) bound to ``backend``."""
    if not name:
        return Fault(backend)
    try:
        return FAULTS[name](backend)
    except KeyError:
        raise ValueError(f"unknown fault {name!r}; known: {', '.join(sorted(FAULTS))}") from None
