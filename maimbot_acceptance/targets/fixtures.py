"""The run's long-lived resources as behave fixtures (set up, yield, clean up).

``features/environment.py`` uses them in ``before_all``; behave undoes them in
reverse order after the last feature.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any, NoReturn

import aiohttp
from behave import fixture

from ..errors import SettingsError
from ..llm_tap import EmbeddedTap, TapReader, base_url
from ..server import EmbeddedServer, ServerOptions
from ..wire.cast import Cast
from ..wire.client import WIRE_NAMES
from ..wire.dialects import DIALECTS, Dialect, bot_account_on
from ..wire.loop import LoopThread
from ..wire.net import probe_reply_backend_path, probe_tcp, probe_wire
from ..wire.protocol import endpoint_of
from .clients import ClientMaker
from .first_contact import FirstContact, first_exchange, throwaway_agent
from .maimconfig import control_plane_of, provisioner_for
from .provisioning import CastProvisioner, Provisioner, dialect_of_cast
from .settings import Settings


@dataclass(frozen=True)
class Target:
    """The server under test."""

    kind: str  # "reference" or "maimbot": which scenarios apply (see @use.with_server)
    server_url: str
    config_url: str  # empty with a cast: nothing is provisioned
    cast: Cast | None = None
    control_plane: str = "v1"
    """What config_url speaks: "v1" (MaiMBot's config API) or "v2" (MaimConfig)."""
    control: EmbeddedServer | None = None
    """The server itself, when the suite runs it (to stop, kill and restart it)."""
    llm_tap: str = ""
    """The LLM tap in front of the target's model (http://host:port); empty: none known."""
    speaks: Dialect = DIALECTS["reference"]
    """Its dialect: key shapes, what its replies guarantee (first contact may correct
    whether their sender names the agent)."""

    @property
    def dialect(self) -> str:
        """Which MaiMBot it speaks like, and so whose known gaps a run judges:
        "reference" (the reference server's own, api_server-like), "api_server", "saas"."""
        return self.speaks.name

    told: str = ""
    """What the target told about itself (its version), when it tells anything."""
    wire: str = "socketio"
    """The wire its clients speak: "socketio", "plain" or "mixed" (targets/clients.py)."""

    def describe(self) -> str:
        plane = "MaimConfig v2" if self.control_plane == "v2" else "config API v1"
        tenants = self.cast.describe() if self.cast else f"{plane} {self.config_url}"
        return (
            f"{self.kind} server of dialect {self.dialect} at {self.server_url} ({tenants}), "
            f"{self.describe_wire()}"
        )

    def describe_wire(self) -> str:
        if self.wire in WIRE_NAMES:
            return f"over the {WIRE_NAMES[self.wire]} wire"
        return "over both wires (connections alternate: Socket.IO, plain WebSocket)"


def stop_the_run(context: Any, line: str, code: int = 2) -> NoReturn:
    """Print one line and end the process, after undoing the fixtures set up so far.

    Used when the target cannot give what every scenario needs. Raising SystemExit
    from ``before_all`` would make behave add an abort banner and a summary of every
    scenario as "untested" to a run that never started, and exit 1 instead of ``code``.
    """
    print(line, file=sys.stderr, flush=True)
    context.stopped_at_first_contact = True  # the one line stays the only one
    try:
        context._do_remaining_cleanups()  # the loop, the embedded server, ... as usual
    finally:
        sys.stdout.flush()
        os._exit(code)


@fixture
def client_loop(context: Any) -> Iterator[LoopThread]:
    """The one background event loop every client of the run lives on."""
    loop = LoopThread("clients").start()
    context.loop = loop
    yield loop
    loop.stop()


@fixture
def server_under_test(context: Any, settings: Settings) -> Iterator[Target]:
    """The embedded reference server, or the deployment named by userdata.

    With a cast and no server_url, the embedded server is seeded with the cast's
    tenants and agents and serves no config API: a rehearsal of a cast deployment.
    """
    cast = settings.cast_file
    if not settings.uses_embedded_server:
        unprobed = Target(
            settings.server_kind,
            settings.server_url,
            settings.config_url,
            cast,
            llm_tap=base_url(settings.llm_tap) if settings.llm_tap else "",
            wire=settings.wire,
        )
        context.target = context.loop.run(
            first_look(unprobed, settings.control_plane, settings.connect_timeout), 30
        )
        yield context.target
        return
    # The embedded server's agents send their prompts to a tap: the one named, or ours.
    own_tap = None if settings.llm_tap else EmbeddedTap().start()
    tap_url = own_tap.url if own_tap is not None else base_url(settings.llm_tap)
    saas = settings.reference_dialect == "saas"
    options = ServerOptions(
        fault=settings.fault,
        heartbeat=settings.heartbeat,
        config_api=cast is None,
        cast=cast,
        max_message_size=settings.message_size_limit,
        model_url=f"{tap_url}/v1",
        dialect=settings.reference_dialect,
    )
    try:
        embedded = EmbeddedServer(options).start()
    except BaseException:
        if own_tap is not None:
            own_tap.stop()
        raise
    server = embedded.server
    context.target = Target(
        settings.server_kind,
        server.server_url,
        server.config_url or "",
        cast,
        control_plane="v2" if saas else "v1",
        control=embedded,
        llm_tap=tap_url,
        speaks=DIALECTS[settings.reference_dialect],
        wire=embedded_wire(settings),
    )
    yield context.target
    embedded.stop()
    if own_tap is not None:
        own_tap.stop()


def embedded_wire(settings: Settings) -> str:
    """The embedded server serves both wires: its clients alternate, unless a wire is
    named, or it plays upstream (whose API Server speaks the plain one only)."""
    if settings.wire != "auto":
        return settings.wire
    return "plain" if settings.reference_dialect == "upstream" else "mixed"


def dialect_of(kind: str, control_plane: str, cast: Cast | None) -> Dialect:
    """A deployment's dialect, from its control plane (MaimConfig's v2 is saas's) or its
    cast (minted keys are saas's); the reference server's own when -D server=reference."""
    if cast is not None and cast.dialect:
        return dialect_of_cast(cast)  # upstream: a cast that says so
    saas = cast.carries_keys if cast is not None else control_plane == "v2"
    if saas:
        return DIALECTS["saas"]
    return DIALECTS["reference" if kind == "reference" else "api_server"]


async def first_look(target: Target, control_plane: str, timeout: float) -> Target:
    """The target, reachable, with its control plane and dialect found out (or as the
    knob forces them); a one-line SettingsError otherwise."""
    told, wire = await check_reachable(target, timeout)
    if target.config_url and control_plane == "auto":
        control_plane = await control_plane_of(target.config_url, timeout)
    plane = control_plane if target.config_url else ""
    return replace(
        target,
        control_plane=plane,
        speaks=dialect_of(target.kind, plane, target.cast),
        told=told,
        wire=wire,
    )


async def check_reachable(target: Target, timeout: float) -> tuple[str, str]:
    """Fail the run at once, in one line naming the knob, if the target is not there;
    what its config API's health check says of its version, if it says any, and the
    wire it speaks (found out, with ``wire=auto``)."""
    host, port = endpoint_of(target.server_url, "server_url", ("ws", "wss"))
    wire = target.wire
    problem = await probe_tcp(host, port, timeout)
    if problem is None and wire == "auto":
        wire, problem = await probe_wire(target.server_url, timeout)
    elif problem is None and wire != "plain":
        problem = await probe_reply_backend_path(target.server_url, timeout)
    if problem is not None:
        raise SettingsError(f"server_url={target.server_url}: {problem}")
    if target.llm_tap:
        await _check_tap(target.llm_tap, timeout)
    if not target.config_url:
        return "", wire  # a cast deployment: no config API to ask
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
            return version_told(await response.text()), wire
    except (aiohttp.ClientError, TimeoutError) as error:
        raise SettingsError(
            f"config_url={target.config_url}: GET /health failed: {error or 'timed out'}"
        ) from None


def target_gone(loop: LoopThread, target: Target, timeout: float = 3.0) -> str | None:
    """Why a deployment no longer answers (its reply backend or control plane refuses,
    or ignores, a connection); None while both answer, and for the embedded server,
    which goes away only by the suite's own hand."""
    if target.control is not None:
        return None
    ends = [("server_url", target.server_url, ("ws", "wss"))]
    if target.config_url:
        ends.append(("config_url", target.config_url, ("http", "https")))

    async def probe() -> str | None:
        for knob, url, schemes in ends:
            problem = await probe_tcp(*endpoint_of(url, knob, schemes), timeout)
            if problem is not None:
                return f"{knob}={url}: {problem}"
        return None

    return loop.run(probe(), 2 * timeout + 5)


async def _check_tap(tap_url: str, timeout: float) -> None:
    try:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout)) as session:
            await TapReader(tap_url, session).mark()
    except (aiohttp.ClientError, TimeoutError, RuntimeError) as error:
        raise SettingsError(
            f"llm_tap={tap_url}: GET /tap/requests failed: {error or 'timed out'} "
            "(start one with: python -m maimbot_acceptance.llm_tap --port PORT)"
        ) from None


def version_told(health: str) -> str:
    """ "version 1.2.3" from a health answer that names one (``{"version": ...}``)."""
    try:
        said = json.loads(health)
    except ValueError:
        return ""
    version = said.get("version") if isinstance(said, dict) else None
    return f"its config API says version {version}" if version else ""


@fixture
def provisioner(context: Any, target: Target) -> Iterator[Provisioner]:
    """Each scenario's tenants and agents: the cast's, or fresh ones from the control
    plane, removed at the end where its API allows (one line says what stayed)."""
    context.provisioner = (
        CastProvisioner(target.cast)
        if target.cast
        else provisioner_for(target.config_url, target.control_plane)
    )
    yield context.provisioner
    try:
        # The embedded server's memory goes with it; a deployment's stays.
        left = "" if target.control else context.loop.run(context.provisioner.remove_created(), 60)
        if left and not getattr(context, "stopped_at_first_contact", False):
            print(f"clean-up: {left}", file=sys.stderr, flush=True)
    finally:
        context.loop.run(context.provisioner.close(), 5)


@fixture
def first_contact(context: Any, target: Target, settings: Settings) -> Iterator[FirstContact]:
    """What every scenario needs of the target, checked once (see first_contact.py);
    raises TargetUnfit, a one-line SettingsError, if the target cannot give it."""
    agent = context.loop.run(throwaway_agent(context.provisioner), 30)
    answered = None
    if target.control is None and settings.first_exchange == "check":
        exchange = first_exchange(
            agent,
            ClientMaker(
                target.server_url,
                target.wire,
                auth_settle=settings.auth_settle,
                additional_config=bot_account_on(target.cast.bot_accounts if target.cast else {}),
            ),
            platform=settings.platform,
            connect_timeout=settings.connect_timeout,
            reply_timeout=settings.reply_timeout,
            grace=settings.first_contact_grace,
        )
        budget = settings.connect_timeout + 2 * settings.reply_timeout
        answered = context.loop.run(exchange, budget + settings.first_contact_grace + 10)
        # What its replies really name as sender, rather than what the dialect suggests.
        context.target = replace(target, speaks=target.speaks.seen_sender(answered.names_agent))
    yield FirstContact(agent, answered, context.target.speaks)


async def _settle(tasks: list[asyncio.Task[Any]], grace: float) -> list[asyncio.Task[Any]]:
    """Give tasks ``grace`` s to end; cancel (and return) those that do not."""
    if tasks:
        await asyncio.wait(tasks, timeout=grace)
    alive = [task for task in tasks if not task.done()]
    for task in alive:
        task.cancel()
    await asyncio.gather(*alive, return_exceptions=True)
    return alive


def leaked_tasks(loop: LoopThread, grace: float = 1.0) -> list[str]:
    """Tasks still alive on the client loop after ``grace`` s: each is a leak.

    They are cancelled once reported, so one leaky scenario does not fail the next.
    """
    pending = loop.pending_tasks()
    alive = loop.run(_settle(pending, grace), grace + 5)
    return [f"task {task.get_name()!r} running {task.get_coro()!r}" for task in alive]
