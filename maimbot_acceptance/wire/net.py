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


CLOSE_CODES = {
    1000: "normal closure",
    1001: "going away",
    1006: "abnormal closure",
    1008: "policy violation",
    1009: "message too big",
    1011: "internal error",
}
"""WebSocket close codes a chat server is likely to send (RFC 6455, section 7.4.1)."""


def describe_close_code(code: int) -> str:
    """``1009 (message too big)``; an unknown code stands alone."""
    name = CLOSE_CODES.get(code)
    return f"{code} ({name})" if name else str(code)
