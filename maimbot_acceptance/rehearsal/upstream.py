"""Upstream MaiBot 1.x (PyPI ``maibot``) on loopback, as its users install it: its API
Server (maim_message 0.6's plain WebSocket) with one key per tenant, the LLM behind the
suite's tap. Facts: ``docs/protocol.md``, "upstream".

``pip install maibot==<version>`` into a venv of a Python >= 3.12 (the one named, else
the first found on PATH or among pyenv's versions); ``maibot init`` writes the instance
(``config/bot_config.toml``, ``config/model_config.toml``); the rehearsal changes only
settings of those two files and writes the EULA and privacy confirmations beside them;
``maibot run`` starts a runner that starts the worker (and the worker its two plugin
runtimes): all of them are stopped by PID at the end.

No file of the wheel is changed: upstream runs as installed (one mode).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import SettingsError
from .checkout import Venv, venv
from .processes import Processes
from .stack import (
    Stack,
    confirm_listening,
    free_ports,
    md5_of_text,
    models_at,
    start_llm_tap,
    write_settings,
)

DEFAULT_VERSION = "1.3.15"
MIN_PYTHON = (3, 12)
MODES = {"installed": "as installed from PyPI, API Server on, one key per tenant"}

API_SERVER_READY = r"WebSocket server started successfully"
"""maim_message 0.6's API Server, once its listener is up (logged by MaiBot's 消息接口)."""

BOT_ACCOUNT = "10001"
SUITE_PLATFORM = "test"
PLATFORMS = ("qq", SUITE_PLATFORM)
"""Where the suite talks: its default platform, and the second one of the platform
scenarios. A reply is sent only on a platform with a configured bot account; "qq" must
be the primary one (``bot.platform``, with ``qq_account``): the list of other
platforms skips it (src/chat/utils/utils.py:84-101)."""

TENANT_KEYS = {"Acme": "key-acme", "Beta": "key-beta", "Evil": "key-evil"}
"""The cast's tenants, each an API client with a key of its own."""

LOOPBACK_ONLY = [
    "webui.enabled=false",  # default on
    "telemetry.enable=false",  # heartbeat and statistics upload
    "mcp.enable=false",
    "plugin_runtime.render.enabled=false",  # playwright's browser
    "plugin_runtime.render.auto_download_chromium=false",
    "debug.enable_console_input=false",
]
DETERMINISTIC_CHAT = [
    "chinese_typo.enable=false",
    "response_splitter.enable=false",
    "emoji.steal_emoji=false",
]
"""Replies as the model wrote them: no random typos, splits or stolen stickers."""


def python_version(python: Path) -> tuple[int, int] | None:
    try:
        done = subprocess.run(
            [str(python), "-c", "import sys; print(*sys.version_info[:2])"],
            capture_output=True,
            text=True,
            timeout=30,
        )
    except OSError:
        return None
    if done.returncode != 0:
        return None
    major, minor = done.stdout.split()
    return int(major), int(minor)


def candidate_pythons() -> Iterator[Path]:
    """PATH's pythons, then pyenv's versions (newest first within each)."""
    for name in ("python3.12", "python3.13", "python3"):
        found = shutil.which(name)
        if found:
            yield Path(found)
    try:
        root = subprocess.run(["pyenv", "root"], capture_output=True, text=True, timeout=30)
    except OSError:
        return
    versions = Path(root.stdout.strip()) / "versions"
    for version in sorted(versions.glob("3.*"), reverse=True):
        yield version / "bin" / "python3"


def find_python(given: Path | None) -> Path:
    """The interpreter for a new venv: ``given`` (which must be >= 3.12), else the first
    >= 3.12 found; a SettingsError naming what was tried otherwise."""
    if given is not None:
        found = python_version(given)
        if found is None or found < MIN_PYTHON:
            said = "does not run" if found is None else "is " + ".".join(map(str, found))
            raise SettingsError(f"--python {given} {said}; maibot needs Python >= 3.12")
        return given
    tried = []
    for python in candidate_pythons():
        found = python_version(python)
        if found is not None and found >= MIN_PYTHON:
            return python
        tried.append(f"{python} ({'.'.join(map(str, found)) if found else 'does not run'})")
    raise SettingsError(
        "no Python >= 3.12 found (maibot needs one); tried: "
        + (", ".join(tried) or "nothing on PATH, no pyenv")
        + "; name one with --python"
    )


def installed_version(python: Venv) -> str:
    done = subprocess.run(
        [str(python.python), "-c", "import importlib.metadata as m; print(m.version('maibot'))"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    return done.stdout.strip() if done.returncode == 0 else ""


def resource(python: Venv, name: str) -> Path:
    """A file the wheel packs in ``src/_resources`` (its EULA and privacy notice)."""
    found = sorted(python.path.glob(f"lib/python3*/site-packages/src/_resources/{name}"))
    if not found:
        raise SettingsError(f"{python.path} has no src/_resources/{name}: is maibot installed?")
    return found[0]


@dataclass(frozen=True)
class Ports:
    llm: int
    legacy: int
    api: int


def bot_settings(ports: Ports) -> list[str]:
    keys = '["' + '", "'.join(TENANT_KEYS.values()) + '"]'
    others = '["' + '", "'.join(f"{p}:{BOT_ACCOUNT}" for p in PLATFORMS[1:]) + '"]'
    return [
        f'bot.platform="{PLATFORMS[0]}"',
        f'bot.qq_account="{BOT_ACCOUNT}"',
        f"bot.platforms={others}",
        "maim_message.enabled=true",
        'maim_message.ws_server_host="127.0.0.1"',  # the legacy server, always on
        f"maim_message.ws_server_port={ports.legacy}",
        "maim_message.enable_api_server=true",
        'maim_message.api_server_host="127.0.0.1"',  # default 0.0.0.0
        f"maim_message.api_server_port={ports.api}",
        "maim_message.api_server_use_wss=false",
        f"maim_message.api_server_allowed_api_keys={keys}",
        *LOOPBACK_ONLY,
        *DETERMINISTIC_CHAT,
    ]


def write_cast(path: Path) -> None:
    """The deployment as the suite sees it: each tenant an API client with its key, all
    on the suite's platform, and the bot's account on each platform."""
    lines = ['dialect = "upstream"', f'platform = "{SUITE_PLATFORM}"', "", "[bot_accounts]"]
    lines += [f'{platform} = "{BOT_ACCOUNT}"' for platform in PLATFORMS]
    for name, key in TENANT_KEYS.items():
        lines += ["", f"[tenants.{name}]", f'key = "{key}"']
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def bring_up(
    processes: Processes,
    work: Path,
    version: str,
    python: Path | None,
    venv_dir: Path | None,
    ready_timeout: float,
) -> Stack:
    reused = venv_dir is not None and (venv_dir / "bin" / "python").exists()
    maker = None if reused else find_python(python)
    made = venv(
        venv_dir or work / "venv", [f"maibot=={version}"], processes.logs / "pip.log", maker
    )
    found = installed_version(made)
    if found != version:
        raise SettingsError(f"the venv {made.path} holds maibot {found or '(none)'}, not {version}")
    ports = Ports(*free_ports(3))
    llm_url = start_llm_tap(processes, ports.llm, processes.logs / "llm.jsonl", ready_timeout)

    instance = work / "instance"
    maibot = str(made.path / "bin" / "maibot")
    if not (instance / "config" / "bot_config.toml").exists():
        init = subprocess.run(
            [maibot, "init", "--directory", str(instance)],
            capture_output=True,
            text=True,
            timeout=120,
        )
        if init.returncode != 0:
            raise SettingsError(f"maibot init failed: {(init.stdout + init.stderr)[-2000:]}")
    config = instance / "config"
    write_settings(made, config, "bot_config.toml", "bot_config.toml", bot_settings(ports), [])
    write_settings(made, config, "model_config.toml", "model_config.toml", [], models_at(llm_url))
    # Otherwise the worker asks for "同意" on stdin (src/runtime.py).
    (instance / "eula.confirmed").write_text(md5_of_text(resource(made, "EULA.md")))
    (instance / "privacy.confirmed").write_text(md5_of_text(resource(made, "PRIVACY.md")))
    cast = work / "cast.toml"
    write_cast(cast)

    bot = processes.start(
        "maibot",
        [maibot, "run", "--directory", str(instance)],
        cwd=instance,
        env={**os.environ, "PYTHONUNBUFFERED": "1", "NO_COLOR": "1"},
        ready_when=API_SERVER_READY,
    )
    bot.wait_ready(ready_timeout)
    confirm_listening(bot, ports.api)
    return Stack(
        name=f"MaiBot {version} (PyPI)",
        mode="installed",
        mode_says=MODES["installed"],
        server_url=f"ws://127.0.0.1:{ports.api}/ws",
        config_url="",
        llm_url=llm_url,
        llm_log=processes.logs / "llm.jsonl",
        work=work,
        trees=[],
        venv=made,
        processes=processes,
        pids=processes.pids(),
        cast=cast,
    )
