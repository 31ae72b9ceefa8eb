"""Timing request -> reply, the one way every benchmark does it.

``round_trips`` times several ways of asking against each other in the same run;
``BareAsker`` is the yardstick they are held against: maim_message's own
``WebSocketClient``, used as its README shows. The harness benchmark
(tools/bench.py) holds the suite's client against it; the recording benchmark
(record/proxy_bench.py) holds it against itself, direct and through proxies.
The figures are read with ``judging.stats`` (one percentile for every benchmark).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping
from typing import Any, Protocol

from maim_message.client import ClientConfig, WebSocketClient
from maim_message.message import APIMessageBase

from ..errors import ConnectFailed
from .logs import library_logger
from .messages import Chat, ChatUser, build_message, text_segment

ASKER = ChatUser("bench_user", "Bench")
ROOM = Chat.group("bench_group", "Bench room")
REPLY_TIMEOUT = 10.0


class Asker(Protocol):
    async def ask(self, text: str) -> float:
        """Ask once and wait for the reply; the seconds from the send to the reply."""
        ...


async def round_trips(
    askers: Mapping[str, Asker], samples: int, *, block: int = 25, warm_up: int = 20
) -> dict[str, list[float]]:
    """About ``samples`` round trips each way, in blocks of ``block`` that take turns,
    starting with the next way each round (so that the machine's noise falls on every
    way alike), after ``warm_up`` exchanges each that are not counted."""
    for turn in range(warm_up):
        for asker in askers.values():
            await asker.ask(f"warm-up {turn}")
    seconds: dict[str, list[float]] = {name: [] for name in askers}
    order = list(askers.items())
    for round_number in range(max(samples // block, 1)):
        first = round_number % len(order)
        for name, asker in order[first:] + order[:first]:
            for turn in range(block):
                seconds[name].append(await asker.ask(f"question {round_number}.{turn}"))
    return seconds


class BareAsker:
    """Asks through maim_message's own WebSocketClient and waits for the next reply."""

    def __init__(self, server_url: str, api_key: str, platform: str = "bench") -> None:
        self.api_key = api_key
        self.platform = platform
        self.replies: asyncio.Queue[APIMessageBase] = asyncio.Queue()
        self.client = WebSocketClient(
            ClientConfig(
                url=server_url,
                api_key=api_key,
                platform=platform,
                on_message=self._on_message,
                custom_logger=library_logger("bench"),
                enable_message_cache=False,
            )
        )

    async def _on_message(self, message: APIMessageBase, meta: dict[str, Any]) -> None:
        await self.replies.put(message)

    async def connect(self) -> None:
        await self.client.start()
        if not await self.client.connect():
            raise ConnectFailed(f"the bare maim_message client ({self.api_key}) did not connect")

    async def ask(self, text: str) -> float:
        # The clock includes building the message, as the harness's send_text does.
        started = time.perf_counter()
        message = build_message(
            segment=text_segment(text),
            api_key=self.api_key,
            platform=self.platform,
            sender=ASKER,
            chat=ROOM,
        )
        await self.client.send_message(message)
        await asyncio.wait_for(self.replies.get(), REPLY_TIMEOUT)
        return time.perf_counter() - started

    async def close(self) -> None:
        await self.client.stop()
