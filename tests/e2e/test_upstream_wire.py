"""The suite's plain-WebSocket client against maim_message 0.6.8's own API Server, set up
as upstream MaiBot 1.x's ``api.py`` sets it up (a list of allowed keys, no user per key).

Opt-in: 0.6.8 cannot be installed beside 0.7.5, so it lives in a venv of its own
(``python -m venv v && v/bin/pip install maim-message==0.6.8``); point
``MAIM_MESSAGE_06_PYTHON`` at that venv's interpreter.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from maimbot_acceptance.errors import ConnectRefused
from maimbot_acceptance.judging.matchers import anything
from maimbot_acceptance.wire.client import TenantMessageClient
from maimbot_acceptance.wire.messages import Chat, ChatUser
from maimbot_acceptance.wire.net import probe_wire

PYTHON = os.environ.get("MAIM_MESSAGE_06_PYTHON", "")

pytestmark = pytest.mark.skipif(
    not PYTHON, reason="set MAIM_MESSAGE_06_PYTHON to a python with maim-message==0.6.8"
)

SERVER = """
import asyncio, sys, time
from maim_message.server import WebSocketServer, create_server_config
from maim_message.message import APIMessageBase, BaseMessageInfo, MessageDim, Seg

async def main():
    server = None

    async def on_auth(metadata):  # upstream: the key must be listed (api.py)
        return metadata.get("api_key") in ("key-acme", "key-beta")

    async def on_message(message, metadata):  # an echo, routed as upstream routes
        info = message.message_info
        reply = APIMessageBase(
            message_info=BaseMessageInfo(platform=info.platform, message_id="r", time=time.time()),
            message_segment=Seg("text", "echo: " + str(message.message_segment.data)),
            message_dim=MessageDim(api_key=metadata.get("api_key", ""), platform=info.platform),
        )
        await server.send_message(reply)

    config = create_server_config(
        host="127.0.0.1", port=0, path="/ws", on_auth=on_auth, on_message=on_message
    )
    server = WebSocketServer(config)
    await server.start()
    print("READY", flush=True)
    # Until the test closes our stdin (read in a thread: the loop serves meanwhile).
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)

asyncio.run(main())
"""


@pytest.fixture
def upstream_url(tmp_path: Path):
    import socket

    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    script = tmp_path / "server.py"
    script.write_text(SERVER.replace("port=0", f"port={port}"), encoding="utf-8")
    server = subprocess.Popen(
        [PYTHON, str(script)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert server.stdout is not None
        assert server.stdout.readline().strip() == "READY", (
            "maim_message 0.6.8's server did not start"
        )
        yield f"ws://127.0.0.1:{port}/ws"
    finally:
        assert server.stdin is not None
        server.stdin.close()
        try:
            server.wait(5)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(5)


def client(url: str, key: str) -> TenantMessageClient:
    return TenantMessageClient(api_key=key, platform="acme", server_url=url, wire="plain")


def test_the_plain_client_speaks_maim_message_06s_api_server(loop, upstream_url):
    acme, beta = client(upstream_url, "key-acme"), client(upstream_url, "key-beta")
    loop(acme.connect(5))
    assert loop(probe_wire(upstream_url, 5)) == ("plain", None)
    loop(beta.connect(5))
    try:
        sent = loop(
            acme.send_text("hello", sender=ChatUser("u-A", "A"), chat=Chat.group("gA", "gA"))
        )
        reply = loop(acme.inbox.wait_for(anything(), 5, since=sent.inbox_mark)).message
        assert reply.text == "echo: hello" and sent.package_id in acme.acknowledged
        # Upstream files every connection under one user: the other key gets it too.
        assert loop(beta.inbox.wait_for(anything(), 5)).message.text == "echo: hello"
        with pytest.raises(ConnectRefused, match="Authentication failed: 认证失败"):
            loop(client(upstream_url, "key-evil").connect(5))
        loop(acme.drop())
        assert loop(acme.wait_until_lost(2)) is not None
        assert loop(acme.reconnect(5, resend=True)).resent == ()
    finally:
        loop(acme.disconnect())
        loop(beta.disconnect())
