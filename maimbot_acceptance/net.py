"""Small network facts: is anything listening at an address?"""

from __future__ import annotations

import asyncio


async def probe_tcp(host: str, port: int, timeout: float) -> str | None:
    """Open and close a TCP connection; None if it worked, else why not (one phrase)."""
    try:
        _, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
    except TimeoutError:
        return f"no answer from {host}:{port} within {timeout:.1f} s"
    except ConnectionRefusedError:
        return f"nothing is listening at {host}:{port} (connection refused)"
    except OSError as error:
        return f"nothing is listening at {host}:{port} ({error})"
    writer.close()
    return None
