"""Shared fixtures: a client loop, an embedded reference server, fresh agents on it."""

from __future__ import annotations

import itertools
from collections.abc import Coroutine, Iterator
from typing import Any, TypeVar

import pytest

from maimbot_acceptance.server import EmbeddedServer, ServerOptions
from maimbot_acceptance.targets.provisioning import Agent, ConfigApiProvisioner
from maimbot_acceptance.wire.client import TenantMessageClient
from maimbot_acceptance.wire.dialects import tenant_agent_key
from maimbot_acceptance.wire.logs import tame_library_logging
from maimbot_acceptance.wire.loop import LoopThread

T = TypeVar("T")

tame_library_logging("WARNING")


class Loop:
    """The client loop, with a short default timeout for tests."""

    def __init__(self, thread: LoopThread) -> None:
        self.thread = thread

    def __call__(self, coro: Coroutine[Any, Any, T], timeout: float = 10) -> T:
        return self.thread.run(coro, timeout)


@pytest.fixture(scope="session")
def loop() -> Iterator[Loop]:
    thread = LoopThread("test-clients").start()
    yield Loop(thread)
    thread.stop()


@pytest.fixture(scope="session")
def server() -> Iterator[EmbeddedServer]:
    embedded = EmbeddedServer(ServerOptions()).start()
    yield embedded
    embedded.stop()


@pytest.fixture(scope="session")
def provisioner(loop: Loop, server: EmbeddedServer) -> Iterator[ConfigApiProvisioner]:
    assert server.server.config_url
    provisioner = ConfigApiProvisioner(server.server.config_url)
    yield provisioner
    loop(provisioner.close())


_names = itertools.count(1)


@pytest.fixture
def new_agent(loop: Loop, provisioner: ConfigApiProvisioner):
    """Make an agent: new_agent("Helper") in a new tenant, or new_agent("Sales", tenant=...)."""

    def make(name: str = "Helper", tenant: Any = None, template: str = "echo") -> Agent:
        tenant = tenant or loop(provisioner.create_tenant(f"Tenant{next(_names)}"))
        return loop(provisioner.create_agent(tenant, name, template))

    return make


@pytest.fixture
def connect(loop: Loop, server: EmbeddedServer):
    """Connect a client for an agent; every client is disconnected after the test."""
    clients: list[TenantMessageClient] = []

    def open_client(agent: Agent, platform: str = "test", **overrides: Any) -> TenantMessageClient:
        client = TenantMessageClient(
            api_key=tenant_agent_key(agent.tenant.tenant_id, agent.agent_id),
            tenant_id=agent.tenant.tenant_id,
            agent_id=agent.agent_id,
            platform=platform,
            server_url=server.server.server_url,
            label=f"{agent.name}@{platform}",
            **overrides,
        )
        clients.append(client)
        loop(client.connect(5))
        return client

    yield open_client
    for client in clients:
        loop(client.disconnect())


KINDS = ("unit", "integration", "e2e")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Each test is marked by its folder: ``pytest -m "not e2e"`` is the quick loop."""
    for item in items:
        kind = next((k for k in KINDS if f"/tests/{k}/" in str(item.path)), None)
        if kind is not None:
            item.add_marker(getattr(pytest.mark, kind))


def pytest_terminal_summary(terminalreporter) -> None:
    """Print the kill matrix (fault x failing scenarios) when its test ran."""
    from .e2e.test_kill_matrix import PRINTED

    for matrix in PRINTED:
        terminalreporter.write_sep("=", "what this suite catches")
        terminalreporter.write_line(matrix)
