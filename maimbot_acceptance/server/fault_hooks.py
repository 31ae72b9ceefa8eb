"""The fault hooks: the correct server's behaviour, which each named fault bends.

``Fault`` is the correct reference server: every hook does the right thing. A named
fault (faults.py, identity_faults.py, memory_faults.py, reply_faults.py) overrides one
hook, or two that belong together; faults reach the server only through ``FaultHost``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import ClassVar, Protocol

from maim_message.message import APIMessageBase

from .memory import Store, Whereabouts, memory_key
from .registry import KeyVerdict

Send = Callable[[APIMessageBase], Awaitable[None]]


class FaultHost(Protocol):
    """What a fault may ask of the server it lives in (the reply backend is one):
    faults see connections and send around routing, but never reach into its parts."""

    @property
    def heartbeat(self) -> tuple[float, float]: ...

    def connection_keys(self) -> dict[str, str]: ...

    def presented_keys(self) -> dict[str, str]: ...

    async def close_saying(self, connection_uuid: str, reason: str) -> None: ...

    def connections_by_platform(self, api_key: str) -> dict[str, list[str]]: ...

    def tenant_of(self, api_key: str) -> str: ...

    def routing_user(self, api_key: str) -> str: ...

    async def send_to_connection(self, connection_uuid: str, message: APIMessageBase) -> bool: ...

    async def drop(self, connection_uuid: str) -> None: ...

    async def stop_listening(self) -> None: ...

    def forget_tenants(self) -> None: ...


class Fault:
    """The correct server: every hook does the right thing. Faults override one."""

    name: ClassVar[str] = ""
    summary: ClassVar[str] = "no fault: the correct reference server"

    def __init__(self, host: FaultHost) -> None:
        self.host = host

    def heartbeat(self, interval: float, timeout: float) -> tuple[float, float]:
        """The ping interval and ping timeout the server really uses (and announces)."""
        return interval, timeout

    def on_start(self) -> None:
        """The reply backend has started listening."""

    async def on_stop(self) -> None:
        """The reply backend is stopping: end whatever the fault started."""

    def judge_key(self, api_key: str, verdict: KeyVerdict) -> KeyVerdict:
        """Decide whether a connection with ``api_key`` is accepted."""
        return verdict

    async def keys_revoked(self, revoked: Mapping[str, str]) -> None:
        """Keys were taken back (key -> how): close each connection that presented one,
        telling it why, as the verdict it was let in by no longer holds."""
        for connection_uuid, api_key in self.host.presented_keys().items():
            if api_key in revoked:
                why = f"api key {api_key!r} was revoked: {revoked[api_key]}"
                await self.host.close_saying(connection_uuid, why)

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

    def on_connect(self, connection_uuid: str) -> None:
        """A connection was accepted."""

    def forgets(self, connection_uuid: str) -> bool:
        """Whether the server forgets a connection that went away (it must)."""
        return True

    def hears(self, message: APIMessageBase, connection_uuid: str) -> bool:
        """Whether a received chat message is handed to its agent (every one is)."""
        return True

    def understood(self, message: APIMessageBase) -> APIMessageBase:
        """The message as the server reads where it was said: as it came (a group
        message is a group's, whatever its group's name, even none)."""
        return message

    def answers(self, where: Whereabouts, bot_account: str) -> bool:
        """Whether the agent answers a message said there: not one its own account sent
        (adapters report the bot's own messages back, as platforms echo what was sent)."""
        return where.user_id != bot_account

    async def deliver(self, reply: APIMessageBase, send: Send) -> None:
        """Send one reply (``send`` routes it to every connection of its key and platform)."""
        await send(reply)

    def memory_key(self, store: Store, where: Whereabouts) -> tuple[str, ...]:
        """Whose memory a message goes into and is recalled from (memory.py)."""
        return memory_key(store, where)
