"""One scenario's world: a composition of parts, each keeping its own memory.

Steps speak in names ("Alice of Acme asks Helper ..."); they reach the world through
a :class:`StepContext` and call the part the step is about
(``context.world.conversation.ask``, ``context.world.delivery.expect_silence``, ...), which
turns names into ids, clients and waits on the background loop, and remembers what
was said, for later steps and for the report. A fresh world per scenario means
fresh tenants: scenarios never see each other.

The parts, and what each remembers:

* ``roster``: tenants, agents, people;
* ``connections``: open, failed and dropped connections;
* ``conversation``: every question and its reply;
* ``said_while_down``: what was said while a connection was down, and what became of it;
* ``delivery``: nothing of its own; it judges where the replies went;
* ``attempts``: connection attempts whose outcome is the point;
* ``network``: link proxies, and when the network broke;
* ``server``: the embedded server, and when it stopped;
* ``crowds``: grids, bursts and newcomers;
* ``canaries``: the secrets told in each tenant and chat, the probes, the chats that
  share memory, and the LLM tap's prompts;
* ``repeats``: what came back over the repeat window: second replies, answers to the
  agent's own messages;
* ``revocations``: keys taken back, their refusal, and what became of their connections.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from behave.model import Table

from ..server import EmbeddedServer
from ..targets.provisioning import Provisioner
from ..targets.settings import Settings
from ..wire.dialects import DIALECTS, Dialect
from ..wire.loop import LoopThread
from .attempts import Attempts
from .canaries import Canaries
from .connections import Connections
from .conversation import Conversation
from .crowds import Crowds
from .delivery import Delivery
from .network import Network
from .repeats import Repeats
from .revocations import Revocations
from .roster import Roster
from .said_while_down import SaidWhileDown
from .server_control import ServerControl
from .stage import Stage


@dataclass
class World:
    stage: Stage
    roster: Roster
    connections: Connections
    conversation: Conversation
    said_while_down: SaidWhileDown
    delivery: Delivery
    attempts: Attempts
    network: Network
    server: ServerControl
    crowds: Crowds
    canaries: Canaries
    repeats: Repeats
    revocations: Revocations

    @classmethod
    def create(
        cls,
        *,
        settings: Settings,
        loop: LoopThread,
        provisioner: Provisioner,
        server_url: str,
        server: EmbeddedServer | None = None,
        llm_tap: str = "",
        dialect: Dialect = DIALECTS["reference"],
        wire: str = "socketio",
        name: str = "",
    ) -> World:
        stage = Stage(settings, loop, server_url, dialect, wire, name)
        roster = Roster(stage, provisioner)
        connections = Connections(stage, roster)
        conversation = Conversation(stage, roster, connections)
        attempts = Attempts(stage, roster, connections)
        control = ServerControl(stage, server)
        return cls(
            stage=stage,
            roster=roster,
            connections=connections,
            conversation=conversation,
            said_while_down=SaidWhileDown(stage, roster, connections, conversation),
            delivery=Delivery(stage, roster, connections, conversation, attempts),
            attempts=attempts,
            network=Network(stage, connections),
            server=control,
            crowds=Crowds(stage, roster, connections, conversation),
            canaries=Canaries(stage, roster, connections, conversation, llm_tap, control),
            repeats=Repeats(stage, conversation),
            revocations=Revocations(stage, roster, connections, attempts),
        )

    def close(self) -> list[str]:
        """Close links, disconnect everyone, bring a stopped server back; return what
        leaked. Each stage runs whatever the one before it did: a server left down would
        fail every scenario after this one."""
        # Links first: a client whose link is black-holed would otherwise wait out the
        # websocket close handshake (10 s) through it.
        stages: list[tuple[str, Callable[[], list[str]]]] = [
            ("close links", self.network.close),
            ("disconnect everyone", lambda: self.connections.close(self.attempts.still_open())),
            ("restore server", self.server.close),
        ]
        leaks: list[str] = []
        for name, stage in stages:
            try:
                leaks += stage()
            except Exception as error:
                leaks.append(f"cleaning up ({name}) failed: {error!r}")
        return leaks


class StepContext(Protocol):
    """What a step sees of behave's context: its one way to the scenario's world.

    behave hands steps an untyped ``Context``; a step that annotates its ``context``
    with this lets mypy check every harness call it makes (a misspelt method fails
    ``mypy``, not the run) and lets a reader, or a static tool, follow the call from the
    step into the harness. features/environment.py's ``before_scenario`` gives every
    scenario that runs its world.
    """

    world: World
    table: Table
    """The step's table (steps written with one only)."""
