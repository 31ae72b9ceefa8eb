"""MaiMBot's multi-tenant ``saas`` stack on loopback: the real MaimConfig (tenants,
agents, api keys), MaiMBot's ``saas`` branch, and maim_db, the database both share,
with the LLM behind the suite's tap. Facts: ``docs/protocol.md``, "saas".

Two modes:

- ``kept``: maim_message 0.7.5's network-driver task held, so the listener stays.
- ``shipped``: as it is: the listener closes at its first garbage collection (seen at
  the first message), after which new connections fail while old ones go on.

In both the tap fakes the planner and the replyer, and five chat settings make a
reply follow from its message alone.

Commits: maim_db ``f1ee4dc`` is the one of saas's date. MaimConfig ``3cd61cc`` is the
first whose api-key parser reads the keys it mints (``mmc_`` + base64 of six
``_``-parts); the earlier one takes the first four parts and files every key under a
tenant called "tenant".
"""

from __future__ import annotations

import os
from pathlib import Path

from .checkout import export_tree, venv
from .processes import Processes
from .stack import (
    DETERMINISTIC_CHAT,
    SOCKET_IO_READY,
    UVICORN_READY,
    Stack,
    confirm_listening,
    env_file,
    free_ports,
    maimbot_side,
    models_at,
    start_llm_tap,
    write_settings,
)

REFS = {"app": "saas", "maim_db": "f1ee4dc", "MaimConfig": "3cd61cc"}
"""Tree -> the ref exported. Both projects look for ``../maim_db/src`` beside them."""

MODES = {
    "kept": ("driver", "maim_message's network-driver task held, so the listener stays"),
    "shipped": ("none", "as shipped: the listener closes at its first garbage collection"),
}

SUITE_PARTS = 2
"""saas slows until replies come late or never once one process has chatted as more
than 64 agents (known gap slow_past_64_agents), and a run of all the features creates
about 70: the rehearsal runs them in this many parts, each against a fresh stack."""

REQUIREMENTS_BESIDE = [
    "maim-message==0.7.5",  # unpinned in requirements.txt
    "httpx",  # imported by MaiMBot, not listed
    "psutil",
    # What MaimConfig imports, unpinned: its own requirements pin fastapi and
    # pydantic below MaiMBot's, and lack aiosqlite and python-dotenv.
    "pydantic-settings",
    "sqlalchemy[asyncio]",
    "aiosqlite",
    "python-dotenv",
]


def loopback(port: int) -> list[str]:
    """uvicorn's address options: 127.0.0.1 only."""
    return ["--host", "127.0.0.1", "--port", str(port)]


def bring_up(
    processes: Processes,
    work: Path,
    git_dirs: dict[str, Path],
    mode: str,
    venv_dir: Path | None,
    ready_timeout: float,
) -> Stack:
    """``git_dirs``: tree name (``REFS``) -> the git dir to export it from."""
    keep, says = MODES[mode]
    trees = [export_tree(git_dirs[name], ref, work / name) for name, ref in REFS.items()]
    app, maim_db, maim_config = (tree.path for tree in trees)
    # maim_db's requirement `maim_db>=1.0.0` (not on PyPI) is met by its exported tree.
    python = venv(
        venv_dir or work / "venv",
        ["-r", str(app / "requirements.txt"), str(maim_db), *REQUIREMENTS_BESIDE],
        processes.logs / "pip.log",
    )
    ws_port, config_port, llm_port, http_port = free_ports(4)
    llm_url = start_llm_tap(processes, llm_port, processes.logs / "llm.jsonl", ready_timeout)
    config_url = f"http://127.0.0.1:{config_port}"
    # maim_db's peewee side opens src/data/MaiBot.db whatever the URL says; the
    # SQLAlchemy side (MaimConfig) opens the URL: both name the same file.
    database = maim_db / "src" / "data" / "MaiBot.db"
    database.parent.mkdir(parents=True, exist_ok=True)

    (app / "config").mkdir(exist_ok=True)
    template = "template/bot_config_template.toml"
    bot_settings = ["telemetry.enable=false", *DETERMINISTIC_CHAT]
    write_settings(python, app, template, "config/bot_config.toml", bot_settings, [])
    template = "template/model_config_template.toml"
    write_settings(python, app, template, "config/model_config.toml", [], models_at(llm_url))
    bot_env = {
        "HOST": "127.0.0.1",  # MaiMBot's own HTTP server
        "PORT": str(http_port),
        "WEBUI_ENABLED": "false",  # the template's .env turns it on at 0.0.0.0
        "WEBUI_HOST": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{database}",  # "sqlite" makes maim_db pick SQLite
        "MAIM_CONFIG_URL": config_url,
        "MAIM_MESSAGE_HOST": "127.0.0.1",
        "MAIM_MESSAGE_PORT": str(ws_port),
        "MAIBOT_WORKER_PROCESS": "1",  # else bot.py spawns the worker as a child we did not start
        "PYTHONUNBUFFERED": "1",
    }
    env_file(app / ".env", bot_env)
    # The reply backend's own config, absent from the tree: where it listens, and the
    # MaimConfig it asks to parse each key.
    (app / "src" / "common" / "message" / "config.toml").write_text(
        f'[api_server]\nhost = "127.0.0.1"\nport = {ws_port}\npath = "/ws"\n\n'
        f'[maimconfig]\nurl = "{config_url}"\ntimeout = 5\nretry_count = 1\n\n'
        '[logging]\nlog_level = "INFO"\nenable_connection_log = true\n'
        "enable_message_log = true\n"
    )
    config_env = {
        "DATABASE_URL": f"sqlite+aiosqlite:///{database}",
        # Its default is a path in its author's home directory.
        "MAIMBOT_MODEL_CONFIG_PATH": str(app / "config" / "model_config.toml"),
        "HOST": "127.0.0.1",
        "PORT": str(config_port),
    }
    env_file(maim_config / ".env", config_env)

    # Both read their .env without overriding the caller's environment: the values
    # go on the command line's environment too, so a stray HOST=0.0.0.0 cannot win.
    # MaimConfig's own __main__ binds HOST (0.0.0.0 by default) with a reloader.
    control_plane = processes.start(
        "maimconfig",
        [str(python.python), "-m", "uvicorn", "main:app", *loopback(config_port)],
        cwd=maim_config,
        env={**os.environ, **config_env},
        ready_when=UVICORN_READY,
    )
    # MaimConfig creates maim_db's tables as it starts: MaiMBot opens the file after.
    control_plane.wait_ready(ready_timeout)
    confirm_listening(control_plane, config_port)
    bot = processes.start(
        "bot",
        maimbot_side(python, "bot", "--keep", keep, "bot.py"),
        cwd=app,
        env={**os.environ, **bot_env},
        ready_when=SOCKET_IO_READY,
    )
    bot.wait_ready(ready_timeout)
    confirm_listening(bot, ws_port)
    return Stack(
        name="MaiMBot saas + MaimConfig + maim_db",
        mode=mode,
        mode_says=says,
        server_url=f"ws://127.0.0.1:{ws_port}/ws",
        config_url=config_url,
        llm_url=llm_url,
        llm_log=processes.logs / "llm.jsonl",
        work=work,
        trees=trees,
        venv=python,
        processes=processes,
        pids=processes.pids(),
    )
