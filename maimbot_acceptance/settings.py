"""The suite's knobs, read from behave userdata (``-D name=value`` or behave.ini).

Every knob is validated before any scenario runs; a bad value stops the run with
one line that names the knob.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from .errors import SettingsError
from .protocol import endpoint_of
from .server.faults import FAULTS


@dataclass(frozen=True)
class Settings:
    server_url: str = ""
    """Reply backend of a deployment (ws://host:port/ws). Empty: the embedded reference server."""
    config_url: str = ""
    """Config API of that deployment (http://host:port), used to provision tenants and agents."""
    platform: str = "test"
    """Platform that connections and messages name unless a step says otherwise."""
    connect_timeout: float = 5.0
    """Seconds a connection may take to be accepted or refused."""
    reply_timeout: float = 5.0
    """Seconds an agent may take to answer (the real, LLM-backed one needs much more)."""
    quiet_window: float = 1.0
    """Seconds a "receives nothing" check watches; one window serves all bystanders of a step."""
    auth_settle: float = 0.3
    """Seconds to watch for a server dropping a fresh connection that sent no auth verdict."""
    heartbeat: float = 1.0
    """Seconds between the server's heartbeat pings (and how long it waits for the answer).
    The embedded server is started with it; for a deployment, give its own (maim_message's
    default: 25). Idle and broken-link scenarios take twice this as the heartbeat window."""
    library_log_level: str = "WARNING"
    """Level of maim_message's and its transport's logs (kept by behave's log capture)."""
    fault: str = ""
    """Start the embedded reference server with this named fault (see README, "What this
    suite catches"); for proving that scenarios fail."""
    server: str = ""
    """What kind of server the target is: "reference" or "maimbot" (default: reference when
    embedded, maimbot with server_url). Scenarios tagged @use.with_server=reference need
    the reference server's deterministic agents and are skipped against MaiMBot."""

    @property
    def uses_embedded_server(self) -> bool:
        return not self.server_url

    @property
    def heartbeat_window(self) -> float:
        """Longest a silent link may go unnoticed: a ping interval plus its timeout."""
        return 2 * self.heartbeat

    @property
    def server_kind(self) -> str:
        return self.server or ("reference" if self.uses_embedded_server else "maimbot")

    @classmethod
    def from_userdata(cls, userdata: Mapping[str, Any]) -> Settings:
        known = {f.name: f for f in fields(cls)}
        values: dict[str, Any] = {}
        for name, raw in userdata.items():
            if name not in known:
                continue  # other tools' userdata (e.g. behavex) is not ours to judge
            values[name] = _convert(name, raw, known[name].type)
        settings = cls(**values)
        settings._validate()
        return settings

    def _validate(self) -> None:
        for name in ("connect_timeout", "reply_timeout", "quiet_window"):
            if getattr(self, name) <= 0:
                raise SettingsError(f"userdata {name}={getattr(self, name)} must be above 0 s")
        if self.heartbeat < 1 or self.heartbeat != int(self.heartbeat):
            raise SettingsError(
                f"userdata heartbeat={self.heartbeat} must be a whole number of seconds, at "
                "least 1 (python-engineio announces its ping interval in whole seconds)"
            )
        if self.auth_settle < 0:
            raise SettingsError(f"userdata auth_settle={self.auth_settle} must not be negative")
        if self.server_url:
            endpoint_of(self.server_url, "server_url", ("ws", "wss"))
            if not self.config_url:
                raise SettingsError(
                    "userdata server_url is set but config_url is not: the suite provisions "
                    "tenants and agents through the config API (-D config_url=http://host:port)"
                )
        if self.config_url:
            endpoint_of(self.config_url, "config_url", ("http", "https"))
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


def _convert(name: str, raw: Any, kind: Any) -> Any:
    if kind in (float, "float"):
        try:
            return float(raw)
        except (TypeError, ValueError):
            raise SettingsError(
                f"userdata {name}={raw!r} is not a number of seconds (e.g. -D {name}=5)"
            ) from None
    return str(raw).strip()
