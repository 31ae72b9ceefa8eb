"""The run's long-lived resources as behave fixtures (set up, yield, clean up).

``features/environment.py`` uses them in ``before_all``; behave undoes them in
reverse order after the last feature.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import aiohttp
from behave import fixture

from .errors import SettingsError
from .loop import LoopThread
from .net import probe_tcp
from .protocol import endpoint_of
from .provisioning import ConfigApiProvisioner
from .server import EmbeddedServer, ServerOptions
from .settings import Settings


@dataclass(frozen=True)
class Target:
    """The server under test."""

    kind: str  # "reference" or "maimbot": which scenarios apply (see @use.with_server)
    server_url: str
    config_url: str
    control: EmbeddedServer | None = None
    """The server itself, when the suite runs it (to stop, kill and restart it)."""

    def describe(self) -> str:
        return f"{self.kind} server at {self.server_url} (config API {self.config_url})"


@fixture
def client_loop(context: Any) -> Iterator[LoopThread]:
    """The one background event loop every client of the run lives on."""
    loop = LoopThread("clients").start()
    context.loop = loop
    yield loop
    loop.stop()


@fixture
def server_under_test(context: Any, settings: Settings) -> Iterator[Target]:
    """The embedded reference server, or the deployment named by userdata."""
    if not settings.uses_embedded_server:
        context.target = Target(settings.server_kind, settings.server_url, settings.config_url)
        context.loop.run(check_reachable(context.target, settings.connect_timeout), 30)
        yield context.target
        return
    embedded = EmbeddedServer(
        ServerOptions(fault=settings.fault, heartbeat=settings.heartbeat)
    ).start()
    server = embedded.server
    assert server.config_url is not None
    context.target = Target("reference", server.server_url, server.config_url, embedded)
    yield context.target
    embedded.stop()


async def check_reachable(target: Target, timeout: float) -> None:
    """Fail the run at once, in one line naming the knob, if the target is not there."""
    host, port = endpoint_of(target.server_url, "server_url", ("ws", "wss"))
    problem = await probe_tcp(host, port, timeout)
    if problem is not None:
        raise SettingsError(f"server_url={target.server_url}: {problem}")
    health = target.config_url.rstrip("/") + "/health"
    try:
        async with (
            aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout)) as session,
            session.get(health) as response,
        ):
            if response.status != 200:
                raise SettingsError(
                    f"config_url={target.config_url}: GET /health answered {response.status}"
                )
    except (aiohttp.ClientError, TimeoutError) as error:
        raise SettingsError(
            f"config_url={target.config_url}: GET /health failed: {error or 'timed out'}"
        ) from None


@fixture
def provisioner(context: Any, config_url: str) -> Iterator[ConfigApiProvisioner]:
    """Creates each scenario's tenants and agents through the config API."""
    context.provisioner = ConfigApiProvisioner(config_url)
    yield context.provisioner
    context.loop.run(context.provisioner.close(), 5)


async def _settle(tasks: list[asyncio.Task[Any]], grace: float) -> list[asyncio.Task[Any]]:
    if tasks:
        await asyncio.wait(tasks, timeout=grace)
    return [task for task in tasks if not task.done()]


def leaked_tasks(loop: LoopThread, grace: float = 1.0) -> list[str]:
    """Tasks still alive on the client loop after ``grace`` s (each ends or is a leak)."""
    pending = loop.pending_tasks()
    alive = loop.run(_settle(pending, grace), grace + 5)
    return [repr(task.get_coro()) for task in alive]
