"""The suite's knobs, read from behave userdata (``-D name=value`` or behave.ini).

Every knob is validated before any scenario runs; a bad value stops the run with
one line that names the knob.
"""

from __future__ import annotations

import difflib
import logging
import math
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from functools import cached_property
from pathlib import Path
from typing import Any, NoReturn

from ..errors import CastError, SettingsError
from ..server.faults import FAULTS
from ..server.reply_backend import DEFAULT_MAX_MESSAGE_SIZE, MAIM_MESSAGE_MAX_MESSAGE_SIZE
from ..wire.cast import Cast, load_cast
from ..wire.protocol import endpoint_of

OTHERS_USERDATA = ("behave.",)
"""Userdata of behave's own formatters (``behave.formatter.html-pretty.title_string``)."""
OTHER_TOOLS_KNOBS = frozenset({"worker_id"})
"""Userdata behavex gives each of its behave processes."""
KNOWN_GAP_POLICIES = ("check", "skip")
FIRST_EXCHANGE_POLICIES = ("check", "skip")
REPLAY_PACES = ("recorded", "fast")
CONTROL_PLANES = ("auto", "v1", "v2")
REFERENCE_DIALECTS = ("reference", "saas", "upstream")
LANGUAGES = ("en", "zh-CN")
"""The languages the specs are written in: a run runs those of one (``language``)."""
WIRE_CHOICES = ("auto", "socketio", "plain", "mixed")
RANGES = {
    "connect_timeout": (600.0, "ten minutes"),
    "reply_timeout": (3600.0, "an hour"),
    "quiet_window": (600.0, "ten minutes"),
    "auth_settle": (60.0, "a minute"),
    "notice_slack": (600.0, "ten minutes"),
    "heartbeat": (3600.0, "an hour"),
    "replay_max_pause": (3600.0, "an hour"),
    "first_exchange_grace": (3600.0, "an hour"),
    "replay_slack": (100.0, "a hundredfold"),
}
"""Each number's sane upper bound (and it in words): a value past it is a slip of unit
(milliseconds for seconds) or of a digit, and would make a deaf server cost hours;
the message says so, with the unit. All must be above 0 (auth_settle may be 0)."""
FACTORS = frozenset({"replay_slack"})
MESSAGE_SIZE_LIMIT = 1 << 30
"""The largest -D max_message_size that makes sense (1 GiB; maim_message's own is 100 MiB)."""


@dataclass(frozen=True)
class Settings:
    server_url: str = ""
    """Reply backend of a deployment (ws://host:port/ws). Empty: the embedded reference server."""
    config_url: str = ""
    """Control plane of that deployment (http://host:port), used to provision tenants,
    agents and keys: MaiMBot's v1 config API, or MaimConfig's v2 API (saas)."""
    control_plane: str = "auto"
    """Which API config_url speaks: "v1" (MaiMBot's config API), "v2" (MaimConfig, the
    saas stack's), or "auto": asked at first contact."""
    reference_dialect: str = "reference"
    """The embedded reference server's dialect: "reference" (api_server-like: tenant:agent
    keys, the v1 config API), "saas" (MaimConfig's v2 API, minted mmc_ keys, replies
    from one global bot account) or "upstream" (MaiBot 1.x's replies and listed keys, on
    the plain wire, from a cast of upstream; but each reply to its asker's client only)."""
    wire: str = "auto"
    """Which wire the clients speak: "socketio" (maim_message 0.7), "plain" (maim_message
    0.6's plain WebSocket: upstream MaiBot 1.x), "mixed" (connections alternate, for a
    server that serves both), or "auto": mixed on the embedded server, a deployment's
    found out at first contact."""
    cast: str = ""
    """A TOML file naming the deployment's existing tenants and agents (see cast.py). With
    it nothing is provisioned; without server_url it seeds the embedded reference server."""
    platform: str = "test"
    """Platform that connections and messages name unless a step says otherwise."""
    connect_timeout: float = 5.0
    """Seconds a connection may take to be accepted or refused."""
    reply_timeout: float = 5.0
    """Seconds an agent may take to answer (the real, LLM-backed one needs much more)."""
    quiet_window: float = 0.5
    """Seconds a "receives nothing" check watches; one window serves all bystanders of a step."""
    repeat_window: float = 0.0
    """Seconds after a message's reply in which no second reply to it may come, nor a
    reply to the agent's own message reported back. 0: three quiet windows."""
    shared_memory_groups: str = ""
    """Group ids, comma-separated, that the deployment lets share memory on purpose
    (MaiBot's ``shared_memory_groups``), for the scenario that checks exactly that.
    Empty: the embedded server is told which groups share; a deployment is not checked."""
    bot_account: str = ""
    """The user id the agent's replies are sent as, for a target whose replies name no
    sender (upstream MaiBot): its own messages are reported back as from it. Empty: a reply's."""
    auth_settle: float = 0.3
    """Seconds to watch for a server dropping a fresh connection that sent no auth verdict."""
    notice_slack: float = 0.5
    """Seconds a client may take to notice that its connection ended, past the moment it
    had to: at once after a goodbye, within the heartbeat window for a silent link. Idle
    scenarios stay quiet this much past the window too."""
    heartbeat: float = 1.0
    """Seconds between the embedded server's heartbeat pings (and how long it waits for
    the answer). A deployment announces its own to every client (maim_message's
    defaults: ping every 25 s, answer within 20 s), and idle and broken-link scenarios
    judge by what was announced, so this knob does not apply to a deployment."""
    library_log_level: str = "WARNING"
    """Level of maim_message's and its transport's logs (kept by behave's log capture)."""
    fault: str = ""
    """Start the embedded reference server with this named fault (see docs/faults.md, "What this
    suite catches"); for proving that scenarios fail."""
    server: str = ""
    """What kind of server the target is: "reference" or "maimbot" (default: reference when
    embedded, maimbot with server_url). Scenarios tagged @use.with_server=reference need
    the reference server's deterministic agents and are skipped against MaiMBot."""
    max_message_size: int = 0
    """Bytes the server accepts in one package on the wire. 0: the target's default (the
    reference server's 2 MiB; maim_message's 100 MiB, which MaiMBot keeps)."""
    known_gaps: str = "check"
    """Scenarios tagged @known_gap.<name>, known gaps of today's MaiMBot: "check" runs
    them (they fail against MaiMBot), "skip" skips them, naming the gap as the reason."""

    first_exchange: str = "check"
    """Against a deployment, one throwaway exchange before the first scenario: "check"
    stops the run in one line if the server answers nothing within reply_timeout (a
    deaf deployment fails every chat scenario alike); "skip" runs the scenarios anyway."""

    first_exchange_grace: float = 30.0
    """Seconds first contact goes on waiting for an answer later than reply_timeout, to
    say when it came (and what reply_timeout to give); never longer than reply_timeout
    itself (``first_contact_grace``), so a deaf server is named within twice the
    user's own timeout."""

    heavy: str = "auto"
    """Scenarios tagged @heavy (big grids): "auto" runs them on the embedded server only,
    "run" also against a deployment, "skip" nowhere."""

    replay_pace: str = "recorded"
    """Recorded features (docs/recording.md): "recorded" keeps the recording's pauses
    between messages, "fast" asks as soon as the previous step is done."""
    replay_slack: float = 1.0
    """Every "within N s" of a recorded feature is multiplied by this (a slower target
    than the one recorded wants more)."""
    replay_max_pause: float = 10.0
    """No recorded pause is kept longer than this, in seconds."""

    llm_tap: str = ""
    """An LLM tap (``python -m maimbot_acceptance.llm_tap``, http://host:port) that the
    target's model providers point at: the canary scenarios read the prompts there.
    Empty: the embedded reference server sends its prompts to a tap the suite starts;
    against a deployment the model-boundary witness is not checked, saying why."""

    language: str = "en"
    """The language of the run: its specs (features written in it; each has its twin in
    the other) and its report. "en" or "zh-CN"."""

    may_go_unchecked: str = ""
    """What may go entirely unchecked without failing the run, comma-separated:
    capabilities (a feature's title) or tags (``@heavy``). A run in which no scenario
    ran, or a capability it selected was not checked at all, exits 1 otherwise."""

    @property
    def repeat_span(self) -> float:
        """Seconds the repeat window lasts (``repeat_window``, or three quiet windows)."""
        return self.repeat_window or 3 * self.quiet_window

    @property
    def shared_groups(self) -> list[str]:
        """The group ids of ``shared_memory_groups``."""
        return [g.strip() for g in self.shared_memory_groups.split(",") if g.strip()]

    @property
    def uses_embedded_server(self) -> bool:
        return not self.server_url

    @property
    def first_contact_grace(self) -> float:
        """The grace first contact gives a late answer: it scales with reply_timeout."""
        return min(self.first_exchange_grace, self.reply_timeout)

    @property
    def server_kind(self) -> str:
        return self.server or ("reference" if self.uses_embedded_server else "maimbot")

    @cached_property
    def cast_file(self) -> Cast | None:
        """The cast, loaded and checked (None without one)."""
        if not self.cast:
            return None
        try:
            return load_cast(self.cast)
        except UnicodeDecodeError as error:  # (tomllib reads UTF-8 only)
            raise CastError(
                f"cast file {self.cast}: not UTF-8 text (byte {error.start}: {error.reason}); "
                "save it as UTF-8"
            ) from None

    @property
    def message_size_limit(self) -> int:
        """The server's limit on one package, in bytes (see ``max_message_size``)."""
        if self.max_message_size:
            return self.max_message_size
        if self.uses_embedded_server or self.server_kind == "reference":
            return DEFAULT_MAX_MESSAGE_SIZE  # (an embedded run under -D server=maimbot too)
        return MAIM_MESSAGE_MAX_MESSAGE_SIZE

    @classmethod
    def from_userdata(cls, userdata: Mapping[str, Any]) -> Settings:
        known = {f.name: f for f in fields(cls)}
        values: dict[str, Any] = {}
        for name, raw in userdata.items():
            if name.startswith(OTHERS_USERDATA) or name in OTHER_TOOLS_KNOBS:
                continue  # behave's formatters' and behavex's: not ours to judge
            if name not in known:
                _refuse_an_unknown_knob(name, known)
            values[name] = _convert(name, raw, known[name].type)
        settings = cls(**values)
        settings._validate()
        cast = settings.cast_file
        if cast is not None and cast.platform:
            # The cast describes the deployment: its platform is the one to use.
            settings = replace(settings, platform=cast.platform)
        return settings

    def _validate(self) -> None:
        if self.heartbeat < 1 or self.heartbeat != int(self.heartbeat):
            raise SettingsError(
                f"userdata heartbeat={self.heartbeat} must be a whole number of seconds, at "
                "least 1 (python-engineio announces its ping interval in whole seconds)"
            )
        for name, (high, over) in RANGES.items():
            value = getattr(self, name)
            unit = "" if name in FACTORS else " s"
            if name == "auth_settle" and value < 0:
                raise SettingsError(f"userdata {name}={value} must not be negative")
            if name != "auth_settle" and value <= 0:
                raise SettingsError(f"userdata {name}={value} must be above 0{unit}")
            if value > high:
                meant = "a factor is meant" if name in FACTORS else "seconds are meant"
                raise SettingsError(
                    f"userdata {name}={value:g}{unit} is over {over}: {meant} "
                    f"(at most {high:g}{unit})"
                )
        if self.repeat_window < 0:
            raise SettingsError(f"userdata repeat_window={self.repeat_window} must not be negative")
        if self.server_url:
            endpoint_of(self.server_url, "server_url", ("ws", "wss"))
            if not self.config_url and not self.cast:
                raise SettingsError(
                    "userdata server_url is set but neither config_url nor cast is: the suite "
                    "provisions tenants and agents through the config API (-D "
                    "config_url=http://host:port) or uses existing ones (-D cast=cast.toml)"
                )
        if self.config_url:
            endpoint_of(self.config_url, "config_url", ("http", "https"))
        if self.llm_tap:
            endpoint_of(self.llm_tap, "llm_tap", ("http", "https"))
        if self.config_url and self.cast:
            raise SettingsError(
                "userdata config_url and cast are both set: give config_url to provision fresh "
                "tenants, or cast to use existing ones, not both"
            )
        cast = self.cast_file  # read and check the file now, before any scenario
        upstream = self.reference_dialect == "upstream"
        upstream_cast = cast is not None and cast.dialect == "upstream"
        if self.uses_embedded_server and upstream != upstream_cast:
            raise SettingsError(
                f"userdata cast={self.cast or '(none)'}: the embedded server speaks upstream's "
                'dialect with a cast of upstream (dialect = "upstream": its keys, the bot\'s '
                "accounts) and only then: give both -D reference_dialect=upstream and such a "
                "cast, or aim at upstream's API Server with -D server_url=ws://host:port/ws"
            )
        if cast is not None and self.uses_embedded_server and not upstream:
            saas = self.reference_dialect == "saas"
            if cast.carries_keys != saas:
                raise SettingsError(
                    f"userdata cast={self.cast}: a cast "
                    f"{'with' if cast.carries_keys else 'without'} keys seeds the embedded "
                    f"server in the {'saas' if cast.carries_keys else 'reference'} dialect; "
                    f"-D reference_dialect={self.reference_dialect} wants one "
                    f"{'with' if saas else 'without'} them"
                )
        if not isinstance(logging.getLevelName(self.library_log_level.upper()), int):
            raise SettingsError(
                f"userdata library_log_level={self.library_log_level!r} is not a log level "
                "(DEBUG, INFO, WARNING, ERROR)"
            )
        if self.fault and self.fault not in FAULTS:
            known = ", ".join(sorted(FAULTS))
            raise SettingsError(f"userdata fault={self.fault!r} is not a fault; known: {known}")
        if self.fault and self.server_url:
            raise SettingsError(
                "userdata fault applies to the embedded server only, not server_url"
            )
        if self.server not in ("", "reference", "maimbot"):
            raise SettingsError(f"userdata server={self.server!r} must be 'reference' or 'maimbot'")
        if not self.platform:
            raise SettingsError("userdata platform must not be empty")
        if self.max_message_size < 0:
            raise SettingsError(
                f"userdata max_message_size={self.max_message_size} must not be negative"
            )
        if self.max_message_size > MESSAGE_SIZE_LIMIT:
            raise SettingsError(
                f"userdata max_message_size={self.max_message_size} bytes is over 1 GiB: "
                f"bytes are meant (at most {MESSAGE_SIZE_LIMIT})"
            )
        if self.heavy not in ("auto", "run", "skip"):
            raise SettingsError(f"userdata heavy={self.heavy!r} must be 'auto', 'run' or 'skip'")
        if self.first_exchange not in FIRST_EXCHANGE_POLICIES:
            raise SettingsError(
                f"userdata first_exchange={self.first_exchange!r} must be 'check' or 'skip'"
            )
        if self.control_plane not in CONTROL_PLANES:
            raise SettingsError(
                f"userdata control_plane={self.control_plane!r} must be 'auto', 'v1' or 'v2'"
            )
        if self.reference_dialect not in REFERENCE_DIALECTS:
            raise SettingsError(
                f"userdata reference_dialect={self.reference_dialect!r} must be 'reference', "
                "'saas' or 'upstream'"
            )
        if self.wire not in WIRE_CHOICES:
            raise SettingsError(
                f"userdata wire={self.wire!r} must be one of {', '.join(WIRE_CHOICES)}"
            )
        if self.known_gaps not in KNOWN_GAP_POLICIES:
            raise SettingsError(
                f"userdata known_gaps={self.known_gaps!r} must be 'check' or 'skip'"
            )
        if self.language not in LANGUAGES:
            raise SettingsError(
                f"userdata language={self.language!r} must be {' or '.join(map(repr, LANGUAGES))}"
            )
        if self.replay_pace not in REPLAY_PACES:
            raise SettingsError(
                f"userdata replay_pace={self.replay_pace!r} must be 'recorded' or 'fast'"
            )


def check_behave_read_the_project_settings(default_tags: Any) -> None:
    """behave reads behave.ini from the directory it starts in, not from the features':
    started elsewhere, the suite would run without its defaults (the soak left out, every
    knob's value), and the 10-minute soak would start without a word. Say so instead."""
    if any("@soak" in str(tags) for tags in default_tags or ()):
        return
    root = Path(__file__).resolve().parents[2]
    where = f" (cd {root} && behave ...)" if (root / "behave.ini").is_file() else ""
    raise SettingsError(
        f"behave did not read this project's behave.ini: it reads the one in the directory "
        f"it starts in ({Path.cwd()}), and the suite's defaults live in the project's "
        f"behave.ini; run behave from the project's directory{where}"
    )


def _refuse_an_unknown_knob(name: str, known: Mapping[str, Any]) -> NoReturn:
    """A knob the suite does not have (``timeout``, ``reply_timout``) would silently
    leave the default in force: say so instead, with the closest knob."""
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    if not close:  # (``timeout``: a part of several knobs' names)
        close = [knob for knob in known if name.lower() in knob][:1]
    hint = f"; did you mean {close[0]}?" if close else ""
    raise SettingsError(
        f"userdata {name} is not a knob of this suite{hint} (knobs: docs/targets-and-knobs.md)"
    )


def _convert(name: str, raw: Any, kind: Any) -> Any:
    if kind in (int, "int"):
        try:
            return int(str(raw).strip())
        except ValueError:
            raise SettingsError(
                f"userdata {name}={raw!r} is not a whole number (e.g. -D {name}=1048576)"
            ) from None
    if kind in (float, "float"):
        what = "a factor" if name in FACTORS else "a number of seconds"
        try:
            value = float(raw)
        except (TypeError, ValueError):
            raise SettingsError(
                f"userdata {name}={raw!r} is not {what} (e.g. -D {name}=5)"
            ) from None
        if not math.isfinite(value):
            raise SettingsError(
                f"userdata {name}={raw!r} is not a finite number: {what} is meant "
                f"(e.g. -D {name}=5)"
            )
        return value
    return str(raw).strip()
