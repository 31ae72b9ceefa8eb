"""TenantMessageClient: exchanges, and one clear, fast line for each way connecting fails."""

import asyncio
import time

import aiohttp
import pytest

from maimbot_acceptance.errors import (
    ConnectFailed,
    ConnectionLost,
    ConnectRefused,
    ConnectTimedOut,
    NoConnectionEvent,
    NothingListening,
    SendFailed,
    SettingsError,
)
from maimbot_acceptance.judging.matchers import a_reply, anything
from maimbot_acceptance.server.registry import Registry
from maimbot_acceptance.server.reply_backend import ReplyBackend
from maimbot_acceptance.wire.client import TenantMessageClient
from maimbot_acceptance.wire.dialects import DIALECTS
from maimbot_acceptance.wire.messages import Chat, ChatUser
from maimbot_acceptance.wire.net import describe_close_code
from maimbot_acceptance.wire.socketio_wire import SocketIOWire

ALICE = ChatUser("u_alice", "Alice")
LOBBY = Chat.group("g_lobby", "Lobby")


def client_for(url: str, api_key: str, **options) -> TenantMessageClient:
    return TenantMessageClient(
        tenant_id="t",
        agent_id="a",
        api_key=api_key,
        platform="test",
        server_url=url,
        **options,
    )


def time_connect(loop, client: TenantMessageClient, timeout: float = 5):
    started = time.monotonic()
    try:
        loop(client.connect(timeout))
    finally:
        elapsed = time.monotonic() - started
        loop(client.disconnect())
    return elapsed


def test_a_user_asks_and_the_agent_replies(loop, new_agent, connect):
    helper = new_agent("Helper")
    client = connect(helper)
    sent = loop(client.send_text("hello", sender=ALICE, chat=LOBBY))
    expected = a_reply(
        api_key=helper.api_key,
        agent_id=helper.agent_id,
        agent_name="Helper",
        chat=LOBBY,
        platform="test",
        dialect=DIALECTS["reference"],
    )
    arrival = loop(client.inbox.wait_for(expected, 5, since=sent.inbox_mark))
    assert arrival.message.text == "Helper heard: hello"
    assert sent.message_id.startswith("m_")


@pytest.mark.parametrize(
    ("key", "reason"),
    [
        ("not-a-key", "is not of the form 'tenant_id:agent_id'"),
        ("tenant_nobody:agent_x", "unknown tenant 'tenant_nobody'"),
    ],
)
def test_a_refused_key_fails_fast_with_the_reason(loop, server, key, reason):
    client = client_for(server.server.server_url, key)
    started = time.monotonic()
    with pytest.raises(ConnectRefused) as failure:
        time_connect(loop, client)
    assert time.monotonic() - started < 1.0
    assert reason in str(failure.value)
    assert "\n" not in str(failure.value)
    assert not client.is_open


def test_a_key_naming_another_tenants_agent_is_refused(loop, server, new_agent):
    acme_helper = new_agent("Helper")
    other = new_agent("Helper")
    key = f"{other.tenant.tenant_id}:{acme_helper.agent_id}"
    started = time.monotonic()
    with pytest.raises(ConnectRefused, match="has no agent"):
        time_connect(loop, client_for(server.server.server_url, key))
    assert time.monotonic() - started < 1.0


def test_nothing_listening_fails_fast(loop):
    started = time.monotonic()
    with pytest.raises(NothingListening, match=r"nothing is listening at 127\.0\.0\.1:1 "):
        time_connect(loop, client_for("ws://127.0.0.1:1/ws", "t:a"))
    assert time.monotonic() - started < 1.0


def test_a_server_that_never_answers_times_out_at_the_timeout(loop):
    async def mute_server():
        return await asyncio.start_server(lambda reader, writer: None, "127.0.0.1", 0)

    mute = loop(mute_server())
    port = mute.sockets[0].getsockname()[1]
    started = time.monotonic()
    try:
        with pytest.raises(ConnectTimedOut, match=r"did not complete the Socket\.IO handshake"):
            time_connect(loop, client_for(f"ws://127.0.0.1:{port}/ws", "t:a"), timeout=0.5)
    finally:
        mute.close()
    assert time.monotonic() - started < 1.0


def test_a_malformed_url_names_the_knob():
    with pytest.raises(SettingsError, match="server_url='http://x' is not a valid URL"):
        client_for("http://x", "t:a")


@pytest.fixture
def silent_server(loop):
    registry = Registry()
    registry.add_agent("tenant_a", "agent_a", "Helper", "echo")
    # Authenticates like the real MaiMBot: no verdict message, a refused client is dropped.
    backend = ReplyBackend(registry, verdicts=False)
    loop(backend.start())
    yield backend
    loop(backend.stop())


def test_without_a_verdict_a_drop_after_the_handshake_is_a_refusal(loop, silent_server):
    started = time.monotonic()
    with pytest.raises(
        ConnectRefused, match=r"after the handshake, without a verdict: .*closed the connection"
    ):
        time_connect(loop, client_for(silent_server.url, "tenant_a:agent_nobody"))
    assert time.monotonic() - started < 1.0


def test_without_a_verdict_a_connection_that_stays_up_is_accepted(loop, silent_server):
    client = client_for(silent_server.url, "tenant_a:agent_a", auth_settle=0.2)
    elapsed = time_connect(loop, client)
    assert 0.2 <= elapsed < 1.0


def test_sending_without_a_connection_says_so(loop):
    client = client_for("ws://127.0.0.1:1/ws", "t:a", label="Alice -> Helper")
    with pytest.raises(SendFailed, match="Alice -> Helper cannot send: it is not connected"):
        loop(client.send_text("hi", sender=ALICE, chat=LOBBY))


def test_disconnect_is_quick_and_leaves_no_task(loop, server, new_agent):
    helper = new_agent("Helper")
    before = set(loop.thread.pending_tasks())
    client = client_for(server.server.server_url, helper.api_key)
    loop(client.connect(5))
    started = time.monotonic()
    loop(client.disconnect())
    assert time.monotonic() - started < 0.2  # maim_message's own disconnect sleeps 0.5 s

    async def settled():
        left = [
            t for t in asyncio.all_tasks() if t not in before and t is not asyncio.current_task()
        ]
        if left:
            await asyncio.wait(left, timeout=1)
        return [t for t in left if not t.done()]

    assert loop(settled()) == []


def test_waiting_for_an_event_that_does_not_come_lists_what_did_happen(loop, new_agent, connect):
    client = connect(new_agent("Helper"))
    started = time.monotonic()
    with pytest.raises(NoConnectionEvent) as failure:
        loop(client.log.wait_for("close", 0.2))
    assert 0.2 <= time.monotonic() - started < 1.0
    text = str(failure.value)
    assert "no 'close' event within 0.20 s" in text
    assert "open" in text and "verdict accepted" in text


def test_raw_sends_need_an_open_connection(loop):
    client = client_for("ws://127.0.0.1:1/ws", "t:a", label="Alice -> Helper")
    with pytest.raises(SendFailed, match="Alice -> Helper cannot send: it is not connected"):
        loop(client.send_raw("garbage"))


@pytest.mark.parametrize(
    ("code", "said"),
    [(1009, "1009 (message too big)"), (1000, "1000 (normal closure)"), (4321, "4321")],
)
def test_close_codes_are_named(code, said):
    assert describe_close_code(code) == said


def test_the_code_of_the_close_frame_received_is_kept_when_aiohttp_overwrites_it(loop):
    """Over ~4 MiB the rest of a refused frame is still in the send buffer when the
    server resets the link after its 1009 close frame; aiohttp's failed answer to the
    close then overwrites close_code with 1006. The client reports what the server sent
    (when the frame arrives at all: a reset may also discard it, so a portable scenario
    must not insist on the code)."""

    class Websocket:
        close_code: int | None = None

        async def receive(self):
            self.close_code = 1006  # what aiohttp leaves after its failed close answer
            return aiohttp.WSMessage(aiohttp.WSMsgType.CLOSE, 1009, "")

    client = client_for("ws://127.0.0.1:1/ws", "t:a")
    wire = SocketIOWire(client)
    wire._sio = type("Sio", (), {"eio": type("Eio", (), {"ws": Websocket()})()})()
    wire._keep_close_frame_code()
    loop(wire._sio.eio.ws.receive())
    assert wire.describe_close() == (
        "closed by the server with websocket close code 1009 (message too big)"
    )


# -- connection life: acknowledgements, losing the link, reconnecting ------------------


@pytest.fixture(params=["socketio", "plain"])
def own_server(loop, request):
    """A reference server of the test's own (to stop and restart), with one agent; its
    clients speak each wire in turn."""
    from maimbot_acceptance.server import ReferenceServer, ServerOptions

    server = ReferenceServer(ServerOptions(config_api=False, heartbeat=1, quote_every=0))
    loop(server.start())
    server.registry.add_agent("tenant_a", "agent_a", "Helper", "echo")
    clients = []

    def connect() -> TenantMessageClient:
        client = client_for(server.server_url, "tenant_a:agent_a", wire=request.param)
        loop(client.connect(5))
        clients.append(client)
        return client

    server.connect = connect
    yield server
    for client in clients:
        loop(client.disconnect())
    loop(server.stop())


async def together(*coros):
    return await asyncio.gather(*coros)


def ask(loop, client, text: str) -> str:
    sent = loop(client.send_text(text, sender=ALICE, chat=LOBBY))
    return loop(client.inbox.wait_for(anything(), 5, since=sent.inbox_mark)).message.text


def test_the_server_acknowledges_every_message(loop, own_server):
    client = own_server.connect()
    sent = loop(client.send_text("hello", sender=ALICE, chat=LOBBY))
    loop(client.inbox.wait_for(anything(), 5))
    assert sent.package_id in client.acknowledged
    assert client.unacknowledged() == []


def test_the_announced_heartbeat_is_known(loop, own_server):
    assert own_server.connect().heartbeat == (1.0, 1.0)


@pytest.mark.parametrize(
    ("hard", "reason"),
    [(False, "the server closed the connection, with a goodbye"), (True, "without a goodbye")],
)
def test_staying_connected_fails_the_moment_the_server_goes(loop, own_server, hard, reason):
    client = own_server.connect()

    async def stop_soon():
        await asyncio.sleep(0.2)
        # The server lives on this same loop in this test.
        await own_server.stop_backend(hard=hard)

    started = time.monotonic()
    with pytest.raises(ConnectionLost, match=reason):
        loop(together(client.stay_connected(5), stop_soon()))
    assert time.monotonic() - started < 1.0


@pytest.mark.parametrize("hard", [False, True], ids=["graceful", "hard"])
def test_a_client_reconnects_to_a_server_restarted_on_the_same_port(loop, own_server, hard):
    client = own_server.connect()
    old_id = client.connection_id
    port = loop(own_server.stop_backend(hard=hard))
    assert loop(client.wait_until_lost(1)) is not None
    loop(own_server.start_backend(port))
    reconnection = loop(client.reconnect(5, resend=True))
    assert reconnection.attempts == 1 and reconnection.resent == ()
    assert client.connection_id != old_id
    assert ask(loop, client, "back?") == "Helper heard: back?"


def test_reconnecting_waits_for_a_server_that_is_still_starting(loop, own_server):
    client = own_server.connect()
    port = loop(own_server.stop_backend())

    async def come_back_later():
        await asyncio.sleep(0.4)
        await own_server.start_backend(port)

    reconnection, _ = loop(together(client.reconnect(5, resend=True), come_back_later()))
    assert reconnection.attempts > 1 and 0.4 <= reconnection.took < 1.5


def test_reconnecting_to_nothing_gives_up_at_the_timeout(loop, own_server):
    client = own_server.connect()
    loop(own_server.stop_backend())
    started = time.monotonic()
    with pytest.raises(ConnectFailed, match=r"cannot reconnect .* within 0\.5 s"):
        loop(client.reconnect(0.5, resend=True))
    assert time.monotonic() - started < 1.0


def test_a_dropped_client_is_forgotten_by_the_server_and_can_come_back(loop, own_server):
    client = own_server.connect()
    old_id = client.connection_id
    loop(client.drop())
    lost = loop(client.wait_until_lost(1))
    assert lost is not None and lost.detail == "dropped by this client, without a goodbye"
    backend = own_server.backend
    assert loop(backend.wait_until(lambda: not backend.holds(old_id), 2))
    loop(client.reconnect(5, resend=True))
    assert ask(loop, client, "again") == "Helper heard: again"


def test_a_killed_server_process_is_noticed_and_its_successor_reached(loop):
    """A real SIGKILL: the kernel closes the sockets, no goodbye. The client notices at
    once, keeps trying while nothing listens, and reaches the server started in its place."""
    import asyncio as aio
    import signal

    from maimbot_acceptance.server.process import server_process
    from maimbot_acceptance.targets.provisioning import ConfigApiProvisioner

    with server_process("--heartbeat", "1", lifetime=60) as first:
        provisioner = ConfigApiProvisioner(first.config_url)
        tenant = loop(provisioner.create_tenant("Acme"))
        helper = loop(provisioner.create_agent(tenant, "Helper", "echo"))
        loop(provisioner.close())
        client = client_for(first.server_url, helper.api_key)
        loop(client.connect(5))
        assert ask(loop, client, "hello") == "Helper heard: hello"
        first.process.send_signal(signal.SIGKILL)
        first.process.wait(5)
        lost = loop(client.wait_until_lost(1))
        assert lost is not None and "without a goodbye" in lost.detail
    port = int(first.server_url.split(":")[2].split("/")[0])
    reconnecting = aio.run_coroutine_threadsafe(client.reconnect(15, resend=True), loop.thread.loop)
    try:
        # Its successor knows no tenants of its own: it takes any key, to be reachable.
        with server_process("--fault", "accept-any-key", port=port, lifetime=60):
            reconnection = reconnecting.result(20)
            assert client.is_connected and reconnection.attempts > 1
    finally:
        loop(client.disconnect())
