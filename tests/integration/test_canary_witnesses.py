"""The two canary witnesses, each on its own: a leak only the model boundary sees is
caught there, and the correct server shows none at either."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from maimbot_acceptance.errors import NotApplicable
from maimbot_acceptance.llm_tap import EmbeddedTap
from maimbot_acceptance.scenario.roster import Place
from maimbot_acceptance.scenario.world import World
from maimbot_acceptance.server import EmbeddedServer, ServerOptions
from maimbot_acceptance.targets.provisioning import ConfigApiProvisioner
from maimbot_acceptance.targets.settings import Settings
from maimbot_acceptance.wire.messages import ChatKind


@pytest.fixture(scope="module")
def tap() -> Iterator[EmbeddedTap]:
    started = EmbeddedTap().start()
    yield started
    started.stop()


def twins_world(loop, tap: EmbeddedTap, fault: str) -> tuple[World, EmbeddedServer]:
    """Alice of Acme and Bob of Beta, her twin on the platform, both at Helper."""
    server = EmbeddedServer(ServerOptions(fault=fault, model_url=f"{tap.url}/v1")).start()
    assert server.server.config_url
    world = World.create(
        settings=Settings(),
        loop=loop.thread,
        provisioner=ConfigApiProvisioner(server.server.config_url),
        server_url=server.server.server_url,
        llm_tap=tap.url,
    )
    for tenant in ("Acme", "Beta"):
        world.roster.add_agent(tenant, "Helper")
    world.roster.person("Alice", "Acme")
    world.roster.twin("Bob", "Beta", of="Alice")
    for user in ("Alice", "Bob"):
        world.connections.connect(user, "Helper")
    return world, server


@pytest.fixture
def world_with(loop, tap):
    made: list[tuple[World, EmbeddedServer]] = []

    def make(fault: str = "") -> World:
        made.append(twins_world(loop, tap, fault))
        return made[-1][0]

    yield make
    for world, server in made:
        world.close()
        loop(world.roster.provisioner.close())
        server.stop()


def test_a_leak_into_the_prompt_alone_is_caught_at_the_model_boundary(world_with):
    world = world_with("group-by-group-id")
    canary = world.canaries.tell("Alice", "Helper", ChatKind.GROUP)
    world.canaries.probe("Bob", "Helper", "Good morning", ChatKind.GROUP)  # asks no recall
    assert world.canaries.leaks_in_replies() == []
    leaks, read = world.canaries.leaks_in_prompts()
    assert read == 1
    assert [s.canary for s in leaks] == [canary]
    assert "built answering Beta" in leaks[0].describe()


def test_the_correct_server_shows_memory_and_no_leak_at_either_witness(world_with):
    world = world_with()
    world.canaries.tell("Alice", "Helper", ChatKind.GROUP)
    world.canaries.probe("Bob", "Helper", "What is the code word?", ChatKind.GROUP)
    world.canaries.probe("Alice", "Helper", "What is the code word?", ChatKind.GROUP)
    assert "the reply to Alice" in world.canaries.require_memory("Acme")
    assert world.canaries.leaks_in_replies() == []
    assert world.canaries.leaks_in_prompts() == ([], 1)


def test_without_a_tap_the_model_boundary_is_not_checked_and_says_why(world_with):
    world = world_with()
    world.canaries.tap_url = ""
    world.canaries.tell("Alice", "Helper", ChatKind.PRIVATE)
    world.canaries.probe("Bob", "Helper", "What is the code word?", ChatKind.PRIVATE)
    with pytest.raises(NotApplicable, match="no LLM tap stands in front"):
        world.canaries.leaks_in_prompts()


def test_a_leak_between_chats_in_the_prompt_alone_is_caught_at_the_model_boundary(world_with):
    world = world_with("person-across-chats")
    canary = world.canaries.tell("Alice", "Helper", Place(ChatKind.GROUP, "Garden"))
    world.canaries.probe("Alice", "Helper", "Good morning", Place(ChatKind.GROUP, "Kitchen"))
    assert world.canaries.leaks_between_chats() == []
    leaks, read = world.canaries.chat_leaks_in_prompts()
    assert read == 1
    assert [s.canary for s in leaks] == [canary]
    assert "built answering the group chat 'Kitchen'" in leaks[0].describe()
