"""What both stacks share: the stack that is up, its free ports, the LLM tap in front
of it, and the script that runs inside MaiMBot's interpreter."""

from __future__ import annotations

import hashlib
import json
import os
import socket
import subprocess
import sys
from collections.abc import Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import SettingsError
from .checkout import Tree, Venv
from .processes import Child, Processes

MAIMBOT_SIDE = Path(__file__).with_name("maimbot_side.py")

SOCKET_IO_READY = r"Socket\.IO 服务器已启动"
"""maim_message 0.7.5's server, once its listener is bound (both branches log it)."""
UVICORN_READY = r"Uvicorn running on"
V1_CONFIG_API_READY = r"\[maimbot_side\] config API listening"


@dataclass
class Stack:
    """A stack that is up: where the suite aims, what runs, and what it cost."""

    name: str
    mode: str
    mode_says: str
    """What the mode changes, in one line for the report."""
    server_url: str
    config_url: str
    llm_url: str
    llm_log: Path
    work: Path
    trees: list[Tree]
    venv: Venv
    processes: Processes
    pids: dict[str, int] = field(default_factory=dict)
    cast: Path | None = None
    """A cast of the deployment's tenants, where it has no control plane (upstream)."""

    def target_knobs(self) -> list[str]:
        """The behave knobs that aim the suite at this stack: its reply backend, and
        its control plane or its cast."""
        knobs = ["-D", f"server_url={self.server_url}"]
        if self.cast is not None:
            return [*knobs, "-D", f"cast={self.cast}"]
        return [*knobs, "-D", f"config_url={self.config_url}"]

    @property
    def tap_url(self) -> str:
        """The tap itself (http://host:port), where its records are read."""
        return self.llm_url.removesuffix("/v1")

    def describe(self) -> list[str]:
        lines = [f"{self.name} ({self.mode}: {self.mode_says})"]
        lines += [f"  {tree.path.name}: {tree.ref} = {tree.commit[:8]}" for tree in self.trees]
        lines += [f"  reply backend {self.server_url}"]
        lines += [f"  cast {self.cast}" if self.cast else f"  config API {self.config_url}"]
        lines += [f"  LLM tap {self.llm_url} (its requests: {self.llm_log})"]
        lines += [f"  processes {self.pids}; logs in {self.processes.logs}"]
        return lines


def free_ports(count: int) -> list[int]:
    """``count`` distinct loopback ports nobody listens on now (held together while
    chosen, so no two are the same)."""
    with ExitStack() as held:
        sockets = [held.enter_context(socket.socket()) for _ in range(count)]
        for probe in sockets:
            probe.bind(("127.0.0.1", 0))
        return [int(probe.getsockname()[1]) for probe in sockets]


def confirm_listening(child: Child, port: int) -> None:
    """One TCP connect after the child said it is ready: the port is the one it bound."""
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    except OSError as failed:
        raise SettingsError(
            f"{child.name} (pid {child.pid}) said it was ready, but nothing accepts "
            f"127.0.0.1:{port} ({failed}); see {child.log}"
        ) from None


def start_llm_tap(processes: Processes, port: int, log: Path, timeout: float) -> str:
    """The suite's LLM tap, answering as MaiMBot's planner and replyer expect; its URL."""
    command = [sys.executable, "-m", "maimbot_acceptance.llm_tap", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--answer", "maimbot", "--log", str(log)]
    tap = processes.start("llm_tap", command, cwd=log.parent, env=os.environ, ready_when="^READY ")
    return tap.wait_ready(timeout).split()[1]


def maimbot_side(venv: Venv, *args: str) -> list[str]:
    """The command line of ``maimbot_side.py`` run by MaiMBot's interpreter."""
    return [str(venv.python), str(MAIMBOT_SIDE), *args]


def write_settings(
    venv: Venv, app: Path, template: str, out: str, sets: Sequence[str], every: Sequence[str]
) -> None:
    """``app/out`` from ``app/template`` with settings changed (``maimbot_side.py settings``)."""
    command = maimbot_side(venv, "settings", template, out)
    command += [arg for s in sets for arg in ("--set", s)]
    command += [arg for s in every for arg in ("--every", s)]
    done = subprocess.run(command, cwd=app, capture_output=True, text=True, timeout=60)
    if done.returncode != 0:
        raise SettingsError(f"writing {app / out} failed: {done.stderr.strip()[-2000:]}")


def models_at(llm_url: str) -> list[str]:
    """Every model provider of MaiMBot's model_config.toml pointed at the tap, OpenAI's
    way (the template's gemini provider included: the tap speaks only OpenAI's API)."""
    values = {
        "base_url": llm_url,
        "api_key": "rehearsal-key",
        "client_type": "openai",
        "max_retry": 1,
        "timeout": 30,
        "retry_interval": 1,
    }
    return [f"api_providers.{key}={json_value(value)}" for key, value in values.items()]


DETERMINISTIC_CHAT = [
    "chat.enable_talk_value_rules=false",
    "chat.auto_chat_value=0",
    "response_post_process.enable_response_post_process=false",
    "chinese_typo.enable=false",
    "response_splitter.enable=false",
]
"""bot_config.toml settings that make a reply follow from the message alone: the
template lowers the will to talk at night (a message without the bot's name is then
dropped at random), asks unsolicited questions, and splits replies and adds typos
at random."""


def json_value(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def env_file(path: Path, values: Mapping[str, str]) -> None:
    path.write_text("".join(f"{key}={value}\n" for key, value in values.items()))


def md5_of_text(path: Path) -> str:
    """As bot.py's EULA check hashes a file: its text, read as UTF-8, encoded again."""
    return hashlib.md5(path.read_text(encoding="utf-8").encode("utf-8")).hexdigest()
