"""What runs inside the real MaiMBot's own interpreter (its venv), run as a script by path.

It imports nothing of the suite (the venv does not have it) and changes no file of
MaiMBot or maim_message: its workarounds live in the process's memory only.

``settings TEMPLATE OUT --set TABLE.KEY=JSON ... --every TABLE.KEY=JSON ...``
    writes OUT from a TOML template with the named settings changed (``--every``: in
    each entry of an array of tables), keeping the template's comments (tomlkit, which
    MaiMBot itself requires).
``bot [--keep none|driver|all] [--legacy-fields] SCRIPT ARGS...``
    runs SCRIPT (``bot.py``) as ``__main__`` after two opt-in workarounds:
    --keep     maim_message 0.7.5 starts its network driver with ``asyncio.create_task``
               and keeps no reference to the task; a garbage collection can then destroy
               it, and its ``finally`` closes the listener while the process lives on.
               ``driver`` holds the ``*NetworkDriver.start`` task, ``all`` every task.
    --legacy-fields  MaiMBot's api_server branch reads ``message_info.user_info`` and
               ``.group_info``, which maim_message 0.7.5's API-server ``BaseMessageInfo``
               lacks, and drops every chat message on the AttributeError. The class gets
               both as class attributes set to None (MaiMBot's "absent"); the wire format
               is unchanged, ``to_dict`` writes only declared fields.
``v1-config-api --port Q``
    serves api_server's config API on 127.0.0.1:Q with the v1 routers its tree still
    holds mounted under ``/api`` (its head mounts only v2, and its own ``__main__``
    binds 0.0.0.0 with a reloader).
"""

from __future__ import annotations

import argparse
import asyncio.base_events
import importlib
import json
import os
import runpy
import sys
from collections.abc import Coroutine
from typing import Any

_HELD: set[asyncio.Task[Any]] = set()


def say(line: str) -> None:
    print(f"[maimbot_side] {line}", file=sys.stderr, flush=True)


def keep_tasks(which: str) -> None:
    original = asyncio.base_events.BaseEventLoop.create_task

    def create_task(
        loop: asyncio.base_events.BaseEventLoop, coro: Coroutine[Any, Any, Any], **kw: Any
    ) -> asyncio.Task[Any]:
        task = original(loop, coro, **kw)
        name = getattr(coro, "__qualname__", "")
        if which == "all" or name.endswith("NetworkDriver.start"):
            _HELD.add(task)
            task.add_done_callback(_HELD.discard)
            if which == "driver":
                say(f"holding the task {name}")
        return task

    asyncio.base_events.BaseEventLoop.create_task = create_task  # type: ignore[method-assign,assignment]
    say(f"keeping {'every task' if which == 'all' else 'the network driver task'} referenced")


def add_legacy_fields() -> None:
    message_info = importlib.import_module("maim_message.api_message_base").BaseMessageInfo
    added = [name for name in ("user_info", "group_info") if not hasattr(message_info, name)]
    for name in added:
        setattr(message_info, name, None)
    say(f"BaseMessageInfo class attributes added: {', '.join(added) or 'none'}")


def run_bot(args: argparse.Namespace) -> None:
    if args.keep != "none":
        keep_tasks(args.keep)
    if args.legacy_fields:
        add_legacy_fields()
    sys.argv = [args.script, *args.script_args]
    runpy.run_path(args.script, run_name="__main__")


def parse_setting(text: str) -> tuple[str, str, Any]:
    where, _, value = text.partition("=")
    table, _, key = where.rpartition(".")
    return table, key, json.loads(value)


def write_settings(args: argparse.Namespace) -> None:
    tomlkit = importlib.import_module("tomlkit")
    with open(args.template, encoding="utf-8") as template:
        document = tomlkit.load(template)
    for table, key, value in map(parse_setting, args.set):
        here = document
        for name in table.split("."):  # a nested table: plugin_runtime.render
            if name not in here:
                here[name] = tomlkit.table()
            here = here[name]
        here[key] = value
    for table, key, value in map(parse_setting, args.every):
        for entry in document.get(table, []):
            entry[key] = value
    with open(args.out, "w", encoding="utf-8") as out:
        out.write(tomlkit.dumps(document))


def serve_v1_config_api(args: argparse.Namespace) -> None:
    fastapi = importlib.import_module("fastapi")
    app = importlib.import_module("src.api.main").app
    v1 = fastapi.APIRouter()
    for module in ("auth_api", "tenant_api", "agent_api", "api_key_api", "chat_api"):
        v1.include_router(importlib.import_module(f"src.api.routes.{module}").router)
    app.include_router(v1, prefix="/api")
    uvicorn = importlib.import_module("uvicorn")
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=args.port))
    bind = server.startup

    async def startup(sockets: Any = None) -> None:
        # MaiMBot's logging swallows uvicorn's "running on" line: say it ourselves.
        await bind(sockets=sockets)
        if server.started:
            say(f"config API listening on 127.0.0.1:{args.port}")

    server.startup = startup
    server.run()


def main() -> None:
    sys.path[0] = os.getcwd()  # MaiMBot's tree, as `python bot.py` from there would have it
    parser = argparse.ArgumentParser(prog="maimbot_side.py")
    commands = parser.add_subparsers(required=True)
    settings = commands.add_parser("settings")
    settings.add_argument("template")
    settings.add_argument("out")
    settings.add_argument("--set", action="append", default=[])
    settings.add_argument("--every", action="append", default=[])
    settings.set_defaults(run=write_settings)
    bot = commands.add_parser("bot")
    bot.add_argument("--keep", choices=("none", "driver", "all"), default="none")
    bot.add_argument("--legacy-fields", action="store_true")
    bot.add_argument("script")
    bot.add_argument("script_args", nargs=argparse.REMAINDER)
    bot.set_defaults(run=run_bot)
    config_api = commands.add_parser("v1-config-api")
    config_api.add_argument("--port", type=int, required=True)
    config_api.set_defaults(run=serve_v1_config_api)
    args = parser.parse_args()
    args.run(args)


if __name__ == "__main__":
    main()
