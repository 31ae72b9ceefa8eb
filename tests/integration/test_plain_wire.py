"""The plain-WebSocket wire (maim_message 0.6's API Server, upstream MaiBot 1.x) against
the reference server: refusals as upstream's and with reasons, acknowledgements,
resending, close reasons, the size limit, garbage, and crossing wires."""

import json

import pytest
from aiohttp import web
from websockets.asyncio.client import connect

from maimbot_acceptance.errors import ConnectRefused
from maimbot_acceptance.judging.matchers import anything
from maimbot_acceptance.server import ReferenceServer, ServerOptions
from maimbot_acceptance.server import plain_wire as server_plain_wire
from maimbot_acceptance.server.plain_wire import UPSTREAM_REFUSAL, PlainServerWire
from maimbot_acceptance.server.policy import Serving
from maimbot_acceptance.server.registry import Registry
from maimbot_acceptance.server.reply_backend import ReplyBackend
from maimbot_acceptance.wire.client import TenantMessageClient
from maimbot_acceptance.wire.messages import Chat, ChatUser
from maimbot_acceptance.wire.net import probe_wire
from maimbot_acceptance.wire.plain_wire import connection_headers

ALICE = ChatUser("u_alice", "Alice")
LOBBY = Chat.group("g_lobby", "Lobby")
KEY = "tenant_a:agent_a"


@pytest.fixture
def reference(loop):
    server = ReferenceServer(
        ServerOptions(config_api=False, heartbeat=1, quote_every=0, max_message_size=64 * 1024)
    )
    loop(server.start())
    server.registry.add_agent("tenant_a", "agent_a", "Helper", "echo")
    clients: list[TenantMessageClient] = []

    def client(api_key: str = KEY, wire: str = "plain", **options) -> TenantMessageClient:
        made = TenantMessageClient(
            api_key=api_key, platform="test", server_url=server.server_url, wire=wire, **options
        )
        clients.append(made)
        return made

    server.client = client
    yield server
    for made in clients:
        loop(made.disconnect())
    loop(server.stop())


async def raw_close(url: str, api_key: str) -> tuple[int | None, str, list]:
    """What a bare plain-WebSocket client gets: the close code, its reason, the frames."""
    headers = connection_headers("raw_client", api_key, "test")
    frames = []
    async with connect(url, additional_headers=headers, proxy=None) as ws:
        async for frame in ws:
            frames.append(json.loads(frame))
    received = ws.protocol.close_rcvd
    return (received.code if received else None), (received.reason if received else ""), frames


def test_a_refused_key_gets_the_handshake_then_a_close_1000_with_the_servers_reason(
    loop, reference
):
    code, reason, frames = loop(raw_close(reference.server_url, "tenant_x:nobody"))
    assert (code, reason) == (1000, "unknown tenant 'tenant_x'")
    assert frames[0]["payload"]["accepted"] is False  # the reference server's verdict first
    with pytest.raises(ConnectRefused, match="unknown tenant 'tenant_x'"):
        loop(reference.client("tenant_x:nobody").connect(5))


def test_without_verdicts_a_refusal_is_upstreams_and_the_client_says_so(loop):
    registry = Registry()
    backend = ReplyBackend(registry, verdicts=False)
    loop(backend.start())
    try:
        code, reason, frames = loop(raw_close(backend.url, "key-evil"))
        assert (code, reason, frames) == (1000, UPSTREAM_REFUSAL, [])
        client = TenantMessageClient(
            api_key="key-evil", platform="test", server_url=backend.url, wire="plain"
        )
        with pytest.raises(
            ConnectRefused, match=r"without a verdict: .*Authentication failed: 认证失败"
        ):
            loop(client.connect(5))
    finally:
        loop(backend.stop())


def test_the_key_in_the_query_wins_over_the_header(loop, reference):
    async def verdict() -> dict:
        headers = connection_headers("raw_client", "tenant_x:nobody", "test")
        url = f"{reference.server_url}?api_key={KEY}"
        async with connect(url, additional_headers=headers, proxy=None) as ws:
            return json.loads(await ws.recv())["payload"]

    assert loop(verdict())["accepted"] is True


def test_every_package_is_acknowledged_and_answered_across_wires(loop, reference):
    plain = reference.client()
    socketio = reference.client(wire="socketio")
    loop(plain.connect(5))
    loop(socketio.connect(5))
    assert plain.heartbeat == (1.0, 1.0)
    sent = loop(plain.send_text("hello", sender=ALICE, chat=LOBBY))
    reply = loop(plain.inbox.wait_for(anything(), 5)).message
    assert reply.text == "Helper heard: hello" and sent.package_id in plain.acknowledged
    # The same agent's connection on the other wire gets the reply too.
    assert loop(socketio.inbox.wait_for(anything(), 5)).message.text == "Helper heard: hello"


def test_an_unacknowledged_message_is_resent_and_answered_once(loop, reference, monkeypatch):
    client = reference.client()
    loop(client.connect(5))
    real_ack = server_plain_wire.ack_package
    monkeypatch.setattr(server_plain_wire, "ack_package", lambda *_: {"type": "custom_lost"})
    sent = loop(client.send_text("are you there?", sender=ALICE, chat=LOBBY))
    loop(client.inbox.wait_for(anything(), 5))
    assert client.unacknowledged() == [sent]
    monkeypatch.setattr(server_plain_wire, "ack_package", real_ack)
    loop(client.drop())
    reconnection = loop(client.reconnect(5, resend=True))
    assert reconnection.resent == (sent,)

    async def acknowledged() -> bool:
        return (
            await client.log.changes.wait_for(
                lambda: True if sent.package_id in client.acknowledged else None, 2
            )
            is True
        )

    assert loop(acknowledged())
    # The server had seen the package: it acknowledges the resend and does not answer twice.
    loop(client.inbox.expect_nothing(anything(), 0.3, since=sent.inbox_mark + 1))


def test_a_package_over_the_limit_closes_the_connection_with_1009(loop, reference):
    client = reference.client()
    loop(client.connect(5))
    loop(client.send_raw("x" * (64 * 1024)))
    lost = loop(client.wait_until_lost(5))
    assert lost is not None and "1009 (message too big)" in lost.detail


@pytest.mark.parametrize(
    ("garbage", "reason"),
    [
        ("not json", "text that is not JSON"),
        (b"\x00\x01", "2 bytes of binary data"),
        ([1, 2], "a JSON array"),
        ({"type": "sys_std", "payload": {}}, "lacks message_info"),
    ],
    ids=["text", "binary", "array", "empty-chat"],
)
def test_garbage_is_answered_with_the_reason_and_the_connection_stays(
    loop, reference, garbage, reason
):
    client = reference.client()
    loop(client.connect(5))
    loop(client.send_raw(garbage))
    told = loop(client.log.wait_for("error", 2))
    assert reason in told.detail and client.is_connected


def test_the_server_dropping_a_connection_says_goodbye(loop, reference):
    client = reference.client()
    loop(client.connect(5))
    loop(reference.backend.drop(client.connection_id))
    lost = loop(client.wait_until_lost(2))
    assert lost is not None and "with a goodbye (close code 1001 (going away))" in lost.detail


def test_a_connection_id_in_use_is_refused_on_either_wire(loop, reference):
    first = reference.client(connection_id="acc_taken")
    loop(first.connect(5))
    for wire in ("plain", "socketio"):
        with pytest.raises(ConnectRefused, match="already in use"):
            loop(reference.client(connection_id="acc_taken", wire=wire).connect(5))


# -- first contact: which wire a server speaks ---------------------------------------------


@pytest.fixture
def plain_only(loop):
    """A server of the plain wire alone, as upstream's API Server is (Socket.IO: 404)."""
    registry = Registry()
    backend = ReplyBackend(registry)
    app = web.Application()
    PlainServerWire(Serving(backend.policy, backend._hear, lambda: None, (1, 1), 1024)).attach(app)

    async def up():
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        return runner, runner.addresses[0][1]

    runner, port = loop(up())
    yield f"ws://127.0.0.1:{port}/ws"
    loop(runner.cleanup())


def test_first_contact_tells_the_wires_apart(loop, reference, plain_only):
    assert loop(probe_wire(reference.server_url, 5)) == ("socketio", None)
    assert loop(probe_wire(plain_only, 5)) == ("plain", None)
    wire, problem = loop(probe_wire(plain_only.replace("/ws", "/elsewhere"), 5))
    assert wire == "" and "404" in (problem or "")


def test_a_killed_server_is_noticed_without_a_goodbye(loop, reference):
    client = reference.client()
    loop(client.connect(5))
    loop(reference.stop_backend(hard=True))
    lost = loop(client.wait_until_lost(2))
    assert lost is not None and "without a goodbye" in lost.detail


def test_a_withdrawn_acceptance_closes_the_plain_connection_with_the_reason(loop, reference):
    client = reference.client()
    loop(client.connect(5))
    loop(reference.backend.close_saying(client.connection_id, "api key was revoked: deleted"))
    lost = loop(client.wait_until_lost(2))
    assert lost is not None and "code 1000 (normal closure)): api key was revoked" in lost.detail
    verdicts = [e for e in client.events if e.kind == "verdict" and not e.accepted]
    assert [v.detail for v in verdicts] == ["api key was revoked: deleted"]
