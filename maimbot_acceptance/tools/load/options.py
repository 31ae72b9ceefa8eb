"""The load generator's knobs, shared by the Locust user and the plain asyncio driver.

Both take the same command-line flags (Locust adds them to its own parser, which
also reads them from ``LOCUST_*`` environment variables and a config file), so a
run is described the same way whichever drives it. Users, spawn rate and
duration are Locust's own (``-u``, ``-r``, ``-t``).
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field, fields
from typing import Any

from ...errors import SettingsError
from ...wire.cast import load_cast
from ...wire.protocol import endpoint_of


def _knob(default: Any, meaning: str) -> Any:
    return field(default=default, metadata={"help": meaning})


@dataclass(frozen=True)
class LoadOptions:
    server_url: str = _knob("", "reply backend to load, ws://host:port/ws")
    config_url: str = _knob(
        "", "config API, http://host:port, through which each user gets a tenant and an agent"
    )
    cast: str = _knob(
        "",
        "cast file of a deployment's existing tenants and agents (instead of --config-url): "
        "users take its agents in turn",
    )
    platform: str = _knob("test", "platform every connection and message names")
    connect_timeout: float = _knob(5.0, "seconds a connection may take to be accepted")
    reply_timeout: float = _knob(
        5.0, "seconds an agent may take to answer before the exchange fails (LLM agents: tens)"
    )
    think_time: float = _knob(
        0.0, "seconds a user waits after a reply before asking again (0: at once)"
    )
    auth_settle: float = _knob(
        0.3, "seconds to watch a fresh connection for a silent refusal (MaiMBot's way)"
    )
    agent_template: str = _knob("friendly_assistant", "template of the agent each user creates")

    @classmethod
    def from_namespace(cls, namespace: Any) -> LoadOptions:
        """Read the flags from a parsed namespace (Locust's ``parsed_options``)."""
        values = {
            f.name: getattr(namespace, f.name) for f in fields(cls) if hasattr(namespace, f.name)
        }
        options = cls(**values)
        options.validate()
        return options

    def validate(self) -> None:
        if not self.server_url:
            raise SettingsError("--server-url is required: the reply backend, ws://host:port/ws")
        endpoint_of(self.server_url, "--server-url", ("ws", "wss"))
        if not self.config_url and not self.cast:
            raise SettingsError(
                "--config-url or --cast is required: each load user gets its own tenant and "
                "agent through the config API (http://host:port), or one of a cast's agents"
            )
        if self.config_url and self.cast:
            raise SettingsError("give --config-url or --cast, not both")
        if self.config_url:
            endpoint_of(self.config_url, "--config-url", ("http", "https"))
        if self.cast:
            load_cast(self.cast)  # a broken cast fails here, in one line, before any user
        for name in ("connect_timeout", "reply_timeout"):
            if getattr(self, name) <= 0:
                raise SettingsError(f"--{_flag(name)}={getattr(self, name)} must be above 0 s")
        for name in ("think_time", "auth_settle"):
            if getattr(self, name) < 0:
                raise SettingsError(f"--{_flag(name)}={getattr(self, name)} must not be negative")
        if not self.platform:
            raise SettingsError("--platform must not be empty")


def _flag(name: str) -> str:
    return name.replace("_", "-")


def add_arguments(parser: argparse.ArgumentParser, *, env_prefix: str | None = None) -> None:
    """Add the knobs as ``--server-url``, ``--reply-timeout``, ...

    With ``env_prefix`` (Locust's configargparse parser only) each knob is also
    read from the environment variable ``<env_prefix><NAME>``.
    """
    for knob in fields(LoadOptions):
        more: dict[str, Any] = {}
        if env_prefix is not None:
            more["env_var"] = f"{env_prefix}{knob.name.upper()}"
        parser.add_argument(
            f"--{_flag(knob.name)}",
            dest=knob.name,
            type=float if knob.type in (float, "float") else str,
            default=knob.default,
            help=f"{knob.metadata['help']} (default: {knob.default!r})",
            **more,
        )
