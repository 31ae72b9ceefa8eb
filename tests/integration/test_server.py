"""The reference server routes like MaiMBot, answers in its shapes, and starts and stops cleanly."""

import asyncio
import gc
import socket
import struct
import time

import pytest

from maimbot_acceptance.errors import ConnectRefused
from maimbot_acceptance.judging.matchers import anything
from maimbot_acceptance.record.byte_stream import Http, Stream
from maimbot_acceptance.server import ReferenceServer, ServerOptions, ServerStartError
from maimbot_acceptance.server.registry import Registry
from maimbot_acceptance.server.reply_backend import ReplyBackend
from maimbot_acceptance.wire.cast import Cast, CastTenant
from maimbot_acceptance.wire.client import TenantMessageClient
from maimbot_acceptance.wire.dialects import tenant_agent_key
from maimbot_acceptance.wire.messages import Chat, ChatUser

ALICE = ChatUser("u_alice", "Alice")
LOBBY = Chat.group("g_lobby", "Lobby")
QUIET = 0.3


def test_a_reply_reaches_every_connection_of_that_agent_on_that_platform_and_no_other(
    loop, new_agent, connect
):
    helper = new_agent("Helper")
    sales = new_agent("Sales", tenant=helper.tenant)
    stranger = new_agent("Helper")  # same agent name, another tenant
    asker = connect(helper)
    same_key_same_platform = connect(helper)
    same_key_other_platform = connect(helper, platform="qq")
    other_agent = connect(sales)
    other_tenant = connect(stranger)

    loop(asker.send_text("hello", sender=ALICE, chat=LOBBY))
    for receiver in (asker, same_key_same_platform):
        loop(receiver.inbox.wait_for(anything(), 5))
    for bystander in (same_key_other_platform, other_agent, other_tenant):
        loop(bystander.inbox.expect_nothing(anything(), QUIET))


def test_the_answer_comes_from_the_connection_key_not_the_message_claim(loop, new_agent, connect):
    acme = new_agent("Helper")
    evil = new_agent("Helper")
    victim = connect(acme)
    liar = connect(evil)
    loop(liar.send(LOBBY_TEXT("spoof"), sender=ALICE, chat=LOBBY, routing_key=acme.api_key))
    arrival = loop(liar.inbox.wait_for(anything(), 5))
    assert arrival.message.routing_key == evil.api_key
    loop(victim.inbox.expect_nothing(anything(), QUIET))


def LOBBY_TEXT(text):
    from maimbot_acceptance.wire.messages import text_segment

    return text_segment(text)


def test_group_replies_name_only_the_group_and_private_replies_the_user(loop, new_agent, connect):
    client = connect(new_agent("Helper"))
    loop(client.send_text("in the group", sender=ALICE, chat=LOBBY))
    group_reply = loop(client.inbox.wait_for(anything(), 5)).message
    mark = client.inbox.mark()
    loop(client.send_text("just us", sender=ALICE, chat=Chat.private_with(ALICE)))
    private_reply = loop(client.inbox.wait_for(anything(), 5, since=mark)).message
    assert (group_reply.to_group_id, group_reply.to_user_id) == ("g_lobby", None)
    assert (private_reply.to_group_id, private_reply.to_user_id) == (None, "u_alice")


def test_every_third_reply_is_a_quote_of_the_message(loop):
    registry = Registry()
    registry.add_agent("tenant_q", "agent_q", "Helper", "echo")
    backend = ReplyBackend(registry, quote_every=3)
    loop(backend.start())
    client = TenantMessageClient(
        api_key=tenant_agent_key("tenant_q", "agent_q"),
        tenant_id="tenant_q",
        agent_id="agent_q",
        platform="test",
        server_url=backend.url,
    )
    try:
        loop(client.connect(5))
        sent = [loop(client.send_text(f"q{i}", sender=ALICE, chat=LOBBY)) for i in range(6)]
        replies = [a.message for a in loop(client.inbox.wait_for_count(anything(), 6, 5))]
    finally:
        loop(client.disconnect())
        loop(backend.stop())
    quotes = [reply.quoted_message_id for reply in replies]
    assert quotes == [None, None, sent[2].message_id, None, None, sent[5].message_id]
    assert [r.text for r in replies] == [f"Helper heard: q{i}" for i in range(6)]


def test_the_listener_survives_garbage_collection(loop, new_agent, connect, server):
    """maim_message 0.7.5 loses an unreferenced listener task to gc (docs/protocol.md, defect 1)."""
    helper = new_agent("Helper")
    for _ in range(3):
        gc.collect()
        client = connect(helper)
        assert client.is_connected


def test_a_taken_port_is_reported_not_hidden(loop):
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    port = taken.getsockname()[1]
    try:
        server = ReferenceServer(ServerOptions(port=port))
        with pytest.raises(
            ServerStartError, match=f"reply backend cannot listen on 127.0.0.1:{port}"
        ):
            loop(server.start())
    finally:
        taken.close()


def test_a_taken_config_port_is_reported_and_the_backend_let_go(loop):
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    port = taken.getsockname()[1]
    try:
        server = ReferenceServer(ServerOptions(config_port=port))
        with pytest.raises(ServerStartError, match=f"config API cannot listen on 127.0.0.1:{port}"):
            loop(server.start())
        assert not server.backend.socketio.server.running
    finally:
        taken.close()


def test_stop_closes_connections_frees_the_ports_and_leaves_no_task(loop):
    async def tasks_now():
        return set(asyncio.all_tasks())

    before = loop(tasks_now())
    server = ReferenceServer(ServerOptions())
    loop(server.start())
    registry = server.registry
    registry.add_agent("tenant_s", "agent_s", "Helper", "echo")
    client = TenantMessageClient(
        api_key=tenant_agent_key("tenant_s", "agent_s"),
        tenant_id="tenant_s",
        agent_id="agent_s",
        platform="test",
        server_url=server.server_url,
    )
    loop(client.connect(5))
    port = server.backend.port
    loop(server.stop())
    loop(client.disconnect())

    async def leftovers():
        left = [t for t in asyncio.all_tasks() - before if t is not asyncio.current_task()]
        if left:
            await asyncio.wait(left, timeout=2)
        return [t for t in left if not t.done()]

    left = loop(leftovers())
    assert left == [], [t.get_coro() for t in left]
    again = socket.socket()
    again.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as any server binds
    again.bind(("127.0.0.1", port))  # the port is free again: nothing listens there
    again.close()


def test_a_server_seeded_from_a_cast_serves_its_agents_without_a_config_api(loop):
    cast = Cast("inline", {"Acme": CastTenant("Acme", "tenant_c", {"Helper": "agent_c"})})
    server = ReferenceServer(ServerOptions(config_api=False, cast=cast, quote_every=0))
    loop(server.start())
    clients = [
        TenantMessageClient(
            api_key=tenant_agent_key("tenant_c", agent),
            tenant_id="tenant_c",
            agent_id=agent,
            platform="test",
            server_url=server.server_url,
        )
        for agent in ("agent_c", "agent_unknown")
    ]
    try:
        assert server.config_url is None
        cast_agent, stranger = clients
        loop(cast_agent.connect(5))
        loop(cast_agent.send_text("hi", sender=ALICE, chat=LOBBY))
        assert loop(cast_agent.inbox.wait_for(anything(), 5)).message.text == "Helper heard: hi"
        with pytest.raises(ConnectRefused, match="tenant 'tenant_c' has no agent 'agent_unknown'"):
            loop(stranger.connect(5))
    finally:
        for client in clients:
            loop(client.disconnect())
        loop(server.stop())


def test_a_connection_id_in_use_is_refused_and_its_owner_keeps_its_replies(
    loop, new_agent, connect
):
    acme = new_agent("Helper")
    evil = new_agent("Helper")
    owner = connect(acme)
    started = time.monotonic()
    with pytest.raises(ConnectRefused, match="is already in use by another connection"):
        connect(evil, connection_id=owner.connection_id)
    assert time.monotonic() - started < 1.0
    loop(owner.send_text("still mine?", sender=ALICE, chat=LOBBY))
    assert loop(owner.inbox.wait_for(anything(), 5)).message.routing_key == acme.api_key


def test_a_connection_id_is_free_again_once_its_connection_closed(loop, new_agent, connect):
    helper = new_agent("Helper")
    first = connect(helper)
    loop(first.disconnect())
    again = connect(helper, connection_id=first.connection_id)  # a restarted adapter
    assert again.is_connected


@pytest.mark.parametrize(
    ("garbage", "reason"),
    [
        ("hello {", 'text that is not JSON is not a maim_message package: "hello {"'),
        ("[1, 2]", "a JSON array is not a maim_message package: [1, 2]"),
        (b"\x00\x01", "2 bytes of binary data are not a maim_message package"),
        ({"hello": 1}, "a JSON object without a 'type' is not a maim_message package"),
        ({"type": "nonsense"}, "unknown package type 'nonsense'"),
        ({"type": "sys_std", "payload": 7}, "a chat package must carry a chat message, not 7"),
        ({"type": "sys_std", "payload": {"message_info": {}}}, "the chat message lacks"),
    ],
)
def test_garbage_gets_a_protocol_error_and_the_connection_goes_on(
    loop, new_agent, connect, garbage, reason
):
    client = connect(new_agent("Helper"))
    loop(client.send_raw(garbage))
    told = loop(client.log.wait_for("error", 5))
    assert reason in told.detail
    loop(client.send_text("and now?", sender=ALICE, chat=LOBBY))
    assert loop(client.inbox.wait_for(anything(), 5)).message.text == "Helper heard: and now?"


def test_a_package_over_the_size_limit_closes_the_connection_with_code_1009(loop):
    registry = Registry()
    registry.add_agent("tenant_m", "agent_m", "Helper", "echo")
    backend = ReplyBackend(registry, max_message_size=10_000)
    loop(backend.start())
    client = TenantMessageClient(
        api_key=tenant_agent_key("tenant_m", "agent_m"),
        tenant_id="tenant_m",
        agent_id="agent_m",
        platform="test",
        server_url=backend.url,
    )
    try:
        loop(client.connect(5))
        loop(client.send_text("x" * 9_000, sender=ALICE, chat=LOBBY))
        loop(client.inbox.wait_for(anything(), 5))  # under the limit: answered
        loop(client.send_text("x" * 10_001, sender=ALICE, chat=LOBBY))
        closed = loop(client.log.wait_for("close", 5))
    finally:
        loop(client.disconnect())
        loop(backend.stop())
    assert "websocket close code 1009 (message too big)" in closed.detail


def test_a_package_over_the_limit_is_read_whole_so_its_close_frame_is_not_reset_away(loop):
    """Refused at its header, a package far larger than one read leaves bytes unread, and
    closing a socket with unread bytes sends a reset that can cost the sender the 1009
    (size_limit.py). Read whole, it ends in a clean close: the 1009, then end of stream."""
    limit = 1024 * 1024
    backend = ReplyBackend(Registry(), max_message_size=limit)
    loop(backend.start())
    try:
        code, ending = loop(
            asyncio.to_thread(_send_one_websocket_frame, backend.port, b"x" * (3 * limit))
        )
    finally:
        loop(backend.stop())
    assert (code, ending) == (1009, "end of stream")


def _send_one_websocket_frame(port: int, payload: bytes) -> tuple[int | None, str]:
    """Over a bare engine.io websocket: send ``payload`` as one text frame, answer the
    server's close; the close code it sent and how the stream ended."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(
            b"GET /ws/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
            b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n"
        )
        stream = Stream()  # the recording proxy's reader of HTTP, then frames
        code = None
        try:
            while True:
                data = sock.recv(65536)
                if not data:
                    return code, "end of stream" if code else "ended before a close"
                for item in stream.feed(data):
                    if isinstance(item, Http):
                        assert item.status == 101, item.start
                        stream.switch_to_websocket()
                        # A masked text frame; the all-zero mask leaves the payload as it is.
                        header = b"\x81\xff" + struct.pack("!Q", len(payload)) + bytes(4)
                        sock.sendall(header + payload)
                    elif item.close_code is not None and code is None:
                        code = item.close_code
                        sock.sendall(b"\x88\x82" + bytes(4) + struct.pack("!H", code))
        except ConnectionResetError:
            return code, "reset"


def test_a_message_claiming_another_platform_is_answered_on_the_connections_own(
    loop, new_agent, connect
):
    helper = new_agent("Helper")
    on_test = connect(helper)
    on_qq = connect(helper, platform="qq")
    loop(on_test.send(LOBBY_TEXT("where am I?"), sender=ALICE, chat=LOBBY, platform="qq"))
    answered = loop(on_test.inbox.wait_for(anything(), 5)).message
    assert answered.routing_platform == "test"
    loop(on_qq.inbox.expect_nothing(anything(), QUIET))


@pytest.mark.parametrize("text", ["", "   \n\t "])
def test_an_empty_message_gets_an_error_reply_naming_the_agent(loop, new_agent, connect, text):
    client = connect(new_agent("Helper"))
    loop(client.send_text(text, sender=ALICE, chat=LOBBY))
    reply = loop(client.inbox.wait_for(anything(), 5)).message
    assert reply.text == "Helper got an empty message: there is nothing to answer"
