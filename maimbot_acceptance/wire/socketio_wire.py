"""The Socket.IO wire under a TenantMessageClient: maim_message 0.7.5's own client, adapted.

It reports what happens on its connection to its owner (an :class:`EventLog` and two
callbacks, ``adapter.WireOwner``), keeps the reason a connection closed (the library
drops it), switches the library's reconnection off (the owner reconnects), and can
tear the link down without a goodbye.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import aiohttp
from maim_message.client import ClientConfig, WebSocketClient

from .adapter import WireOwner
from .logs import library_logger
from .net import describe_close_code

log = logging.getLogger(__name__)


def _library_config(owner: WireOwner) -> ClientConfig:
    return ClientConfig(
        url=owner.server_url,
        api_key=owner.api_key,
        platform=owner.platform,
        ssl_enabled=owner.server_url.startswith("wss://"),
        # Our own inbox keeps what arrives; the library's resend cache would
        # replay messages after a reconnect and hide losses from the suite.
        enable_message_cache=False,
        custom_logger=library_logger("client"),
    )


UNINFORMATIVE_CLOSE_CODES = (1000, 1001, 1006)
"""Websocket close codes that say nothing beyond "closed" (normal, going away, and
"abnormal": the TCP connection ended without a close frame)."""

_CLOSE_REASONS = {
    "server disconnect": "the server closed the connection, with a goodbye",
    "transport error": (
        "the link broke without a goodbye (closed under us, or silent past the heartbeat)"
    ),
}


class SocketIOWire(WebSocketClient):  # type: ignore[misc]
    """maim_message's client, reporting what happens on its connection to its owner."""

    name = "socketio"

    def __init__(self, owner: WireOwner) -> None:
        super().__init__(_library_config(owner))
        self._owner = owner
        self._connect_task: asyncio.Task[bool] | None = None
        self._sio: Any = None
        self._closing = False
        # The driver keeps its Socket.IO client only while connected; keep a handle
        # to it, to shut it down and to reach its transport. Its own reconnection
        # is switched off: it would reconnect after a hard kill but never after a
        # graceful stop (docs/protocol.md), with the old connection id, behind
        # the harness's back. The owner reconnects instead.
        create = self.network_driver._create_socketio_client

        def create_and_keep(connection_config: Any) -> Any:
            self._sio = create(connection_config)
            self._sio.reconnection = False
            self._note_close_reasons(self._sio)
            return self._sio

        self.network_driver._create_socketio_client = create_and_keep
        self.close_reason = ""
        self.close_frame_code: int | None = None
        self.dropped = False

    def _note_close_reasons(self, sio: Any) -> None:
        """Keep the reason Socket.IO gives for a disconnect (maim_message drops it)."""
        trigger = sio._trigger_event

        async def trigger_and_note(event: str, namespace: str, *args: Any) -> Any:
            if event == "disconnect" and args:
                self.close_reason = str(args[-1])
            return await trigger(event, namespace, *args)

        sio._trigger_event = trigger_and_note

    def describe_close(self) -> str:
        if self.dropped:
            return "dropped by this client, without a goodbye"
        code = self._websocket_close_code()
        if self.close_reason != "server disconnect" and code not in (
            None,
            *UNINFORMATIVE_CLOSE_CODES,
        ):
            # e.g. 1009, message too big: Socket.IO passes the code on to nobody,
            # but the websocket keeps it.
            return f"closed by the server with websocket close code {describe_close_code(code)}"
        return _CLOSE_REASONS.get(self.close_reason, self.close_reason or "closed")

    def _websocket_close_code(self) -> int | None:
        if self.close_frame_code is not None:
            return self.close_frame_code
        websocket = getattr(getattr(self._sio, "eio", None), "ws", None)
        code = getattr(websocket, "close_code", None)
        return code if isinstance(code, int) else None

    async def open(self, connection_id: str) -> None:
        """Start connecting with this ``x-uuid``; the owner waits on the events itself.

        ``WebSocketClient.connect()`` polls every 100 ms for up to 10 s; it runs in
        the background here and is cancelled once the owner has decided (``settle``).
        """
        await self.start()
        self._connection_uuid = connection_id
        self._connect_task = asyncio.create_task(super().connect())
        await asyncio.sleep(0)

    async def settle(self) -> None:
        """End the library's connect() poll once the owner has decided."""
        if self._connect_task is not None:
            self._connect_task.cancel()
            await asyncio.gather(self._connect_task, return_exceptions=True)
            self._connect_task = None

    async def send_package(self, package: dict[str, Any]) -> bool:
        """Send a package we built (so that we know its id and can resend it)."""
        if not self.connected or not self._connection_uuid:
            return False
        return bool(await self.network_driver.send_message(self._connection_uuid, package))

    async def send_raw(self, data: Any) -> bool:
        """Put ``data`` on the connection as it is: maim_message's driver emits it as a
        Socket.IO message."""
        if not self.connected or not self._connection_uuid:
            return False
        return bool(await self.network_driver.send_message(self._connection_uuid, data))

    def heartbeat(self) -> tuple[float, float] | None:
        engine = getattr(self._sio, "eio", None)
        if engine is None or engine.ping_interval is None:
            return None
        return float(engine.ping_interval), float(engine.ping_timeout)

    def abort(self) -> None:
        """Tear down the TCP connection under the websocket, without a goodbye."""
        websocket = getattr(getattr(self._sio, "eio", None), "ws", None)
        transport = getattr(getattr(websocket, "_conn", None), "transport", None)
        if transport is None:
            raise RuntimeError(
                f"{self._owner.label}: no websocket transport to tear down "
                "(the connection never upgraded from long-polling)"
            )
        self.dropped = True
        transport.abort()

    async def close(self) -> None:
        self._closing = True
        await self.settle()
        if self._sio is not None:
            # Disconnect (or stop reconnecting) ourselves first: the library's
            # disconnect() sleeps 0.5 s whenever the socket is still registered,
            # and never stops a reconnect loop.
            self._sio.reconnection = False
            await self._sio.shutdown()
        await self.stop()

    async def _handle_connect_event(self, event: Any) -> None:
        await super()._handle_connect_event(event)
        self._owner.link.heartbeat = self.heartbeat()  # Engine.IO's open packet announced it
        self._keep_close_frame_code()
        self._owner.log.opened()

    def _keep_close_frame_code(self) -> None:
        """Remember the code of the close frame the server sent.

        aiohttp records it as ``close_code``, then answers the close; when that answer
        cannot be written (the server already reset the TCP connection, as aiohttp's
        server does after refusing a frame over its limit while the rest of the frame
        is still in our send buffer: any package over about 4 MiB here), it overwrites
        ``close_code`` with 1006. So a 1009 from the server would read "no goodbye"."""
        websocket = getattr(getattr(self._sio, "eio", None), "ws", None)
        if websocket is None:
            return
        receive = websocket.receive

        async def receive_and_note(*args: Any, **kwargs: Any) -> Any:
            message = await receive(*args, **kwargs)
            if message.type == aiohttp.WSMsgType.CLOSE and self.close_frame_code is None:
                self.close_frame_code = message.data
            return message

        websocket.receive = receive_and_note

    async def _handle_disconnect_event(self, event: Any) -> None:
        await super()._handle_disconnect_event(event)
        if not self._closing:  # our own goodbye is not news
            self._owner.log.closed(event.error or self.describe_close())

    async def _handle_message_event(self, event: Any) -> None:
        self._owner.receive(event.payload)
