"""Reading a tap's records over HTTP: the same for a tap in this process or elsewhere."""

from __future__ import annotations

import aiohttp

from .embedded import base_url
from .records import TapRecord


class TapReader:
    """Follows one tap's records from a given point on (``GET /tap/requests``)."""

    def __init__(self, tap_url: str, session: aiohttp.ClientSession) -> None:
        """:param tap_url: the tap's address, with or without its ``/v1``."""
        self.tap_url = base_url(tap_url)
        self._session = session

    async def read(self, after: int, wait: float) -> tuple[list[TapRecord], int]:
        """Records numbered above ``after`` (long-polling up to ``wait`` s when there are
        none yet), and the number of the last record the tap holds."""
        url = f"{self.tap_url}/tap/requests"
        params = {"after": str(after), "wait": f"{wait:.3f}"}
        timeout = aiohttp.ClientTimeout(total=wait + 10)
        async with self._session.get(url, params=params, timeout=timeout) as response:
            if response.status != 200:
                raise RuntimeError(f"GET {url} answered {response.status}")
            body = await response.json()
        return [TapRecord.from_json(r) for r in body["records"]], int(body["last"])

    async def mark(self) -> int:
        """The number of the last record now: read after it to see only what comes next."""
        _, last = await self.read(0, 0)
        return last
