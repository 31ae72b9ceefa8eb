"""MaiMBot's ``api_server`` branch on loopback: its reply backend (``bot.py``) and its
config API, the LLM behind the suite's tap. Facts: ``docs/protocol.md``, "api_server".

Three modes, because the branch as shipped answers nothing:

- ``shipped``: as it is. Every chat message dies in MaiMBot's own conversion (it reads
  ``user_info``/``group_info``, which maim_message 0.7.5's message class lacks), and
  the listener is lost to garbage collection some seconds to minutes after start.
- ``kept``: the same, with maim_message's network-driver task (every task) held, so
  it keeps accepting connections.
- ``replying``: MaiMBot's own routing code answers: the two missing fields read as
  None, the driver task held, the tap fakes the planner and the replyer, and five
  chat settings make a reply follow from its message alone.

The config API is the tree's own app with the v1 routers the tree still holds
mounted (the head serves only v2, whose tenant creation always fails).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .checkout import export_tree, venv
from .processes import Processes
from .stack import (
    DETERMINISTIC_CHAT,
    SOCKET_IO_READY,
    V1_CONFIG_API_READY,
    Stack,
    confirm_listening,
    env_file,
    free_ports,
    maimbot_side,
    md5_of_text,
    models_at,
    start_llm_tap,
    write_settings,
)

REF = "api_server"


@dataclass(frozen=True)
class Mode:
    keep: str
    """maimbot_side.py's --keep: none, driver or all."""
    legacy_fields: bool
    deterministic_chat: bool
    says: str


MODES = {
    "shipped": Mode("none", False, False, "as shipped"),
    "kept": Mode("all", False, False, "every asyncio task held, so the listener stays"),
    "replying": Mode(
        "driver",
        True,
        True,
        "legacy fields read as None, driver task held, planner and replyer faked",
    ),
}

REQUIREMENTS_BESIDE = [
    "maim-message==0.7.5",  # requirements.txt leaves it unpinned
    "psutil",  # imported by bot.py, not listed
    "PyJWT",  # `import jwt` in the config API
    "python-multipart",  # FastAPI asks for it while building chat_api_v2's form route
    "email-validator",  # EmailStr of the v1 register
]


def bring_up(
    processes: Processes,
    work: Path,
    maimbot_git: Path,
    mode: str,
    venv_dir: Path | None,
    ready_timeout: float,
) -> Stack:
    chosen = MODES[mode]
    tree = export_tree(maimbot_git, REF, work / "app")
    app = tree.path
    python = venv(
        venv_dir or work / "venv",
        ["-r", str(app / "requirements.txt"), *REQUIREMENTS_BESIDE],
        processes.logs / "pip.log",
    )
    ws_port, api_port, llm_port = free_ports(3)
    llm_url = start_llm_tap(processes, llm_port, processes.logs / "llm.jsonl", ready_timeout)

    (app / "config").mkdir(exist_ok=True)
    # Without a config the first start copies the template and exits; the template
    # lacks the [plugin] table that the config class requires; no telemetry offline.
    bot_settings = ["telemetry.enable=false", "plugin.enable_plugins=false"]
    if chosen.deterministic_chat:
        bot_settings += DETERMINISTIC_CHAT
    template = "template/bot_config_template.toml"
    write_settings(python, app, template, "config/bot_config.toml", bot_settings, [])
    template = "template/model_config_template.toml"
    write_settings(python, app, template, "config/model_config.toml", [], models_at(llm_url))
    # bot.py loads .env over its environment; the reply backend binds HOST:PORT.
    env_file(app / ".env", {"HOST": "127.0.0.1", "PORT": str(ws_port)})
    agreed = {
        "EULA_AGREE": md5_of_text(app / "EULA.md"),
        "PRIVACY_AGREE": md5_of_text(app / "PRIVACY.md"),
    }  # otherwise bot.py asks on stdin
    env = {**os.environ, **agreed, "PYTHONUNBUFFERED": "1"}

    bot_args = ["bot", "--keep", chosen.keep]
    bot_args += ["--legacy-fields"] if chosen.legacy_fields else []
    bot = processes.start(
        "bot",
        maimbot_side(python, *bot_args, "bot.py"),
        cwd=app,
        env=env,
        ready_when=SOCKET_IO_READY,
    )
    config_api = processes.start(
        "config_api",
        maimbot_side(python, "v1-config-api", "--port", str(api_port)),
        cwd=app,
        env=env,
        ready_when=V1_CONFIG_API_READY,
    )
    for child, port in ((bot, ws_port), (config_api, api_port)):
        child.wait_ready(ready_timeout)
        confirm_listening(child, port)
    return Stack(
        name="MaiMBot api_server",
        mode=mode,
        mode_says=chosen.says,
        server_url=f"ws://127.0.0.1:{ws_port}/ws",
        config_url=f"http://127.0.0.1:{api_port}",
        llm_url=llm_url,
        llm_log=processes.logs / "llm.jsonl",
        work=work,
        trees=[tree],
        venv=python,
        processes=processes,
        pids=processes.pids(),
    )
