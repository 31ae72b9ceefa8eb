"""The recording proxy relays a client's traffic unchanged, journals it, and survives
bad input and an unreachable server."""

import asyncio
import json
import logging
import socket

import aiohttp
import pytest

from maimbot_acceptance.judging.matchers import with_text
from maimbot_acceptance.record.journal import read_journal
from maimbot_acceptance.record.proxy import RecordingProxy
from maimbot_acceptance.wire.client import TenantMessageClient
from maimbot_acceptance.wire.messages import Chat, ChatUser

ALICE = ChatUser("user_alice", "Alice")
ROOM = Chat.group("group_alice", "Alice's group")
ANSWER = "Helper heard: What are your opening hours?"


@pytest.fixture
def proxy_to(loop, tmp_path):
    """Start a proxy to a server URL; every proxy is closed after the test."""
    started = []

    def start(server_url: str, **options) -> RecordingProxy:
        proxy = loop(RecordingProxy(server_url, str(tmp_path), **options).start())
        started.append(proxy)
        return proxy

    yield start
    for proxy in started:
        loop(proxy.close())


def client_via(proxy: RecordingProxy, agent, platform: str, label: str) -> TenantMessageClient:
    return TenantMessageClient(
        api_key=agent.api_key,
        tenant_id=agent.tenant.tenant_id,
        agent_id=agent.agent_id,
        platform=platform,
        server_url=proxy.url,
        label=label,
    )


def journal(proxy: RecordingProxy) -> list[dict]:
    assert proxy.journal is not None
    proxy.journal.flush()
    return list(read_journal(proxy.journal.path))


def test_a_conversation_through_the_proxy_is_journalled(loop, server, new_agent, proxy_to):
    agent = new_agent()
    proxy = proxy_to(server.server.server_url)
    client = client_via(proxy, agent, "qq", "Alice via proxy")

    async def converse():
        await client.connect(5)
        sent = await client.send_text("What are your opening hours?", sender=ALICE, chat=ROOM)
        await client.inbox.wait_for(with_text(ANSWER), 5, since=sent.inbox_mark)
        held = server.server.backend.holds(client.connection_id)
        await client.disconnect()
        await asyncio.sleep(0.2)
        return sent, held

    sent, held = loop(converse())
    assert held, "the server knows the connection by the id the client chose (x-uuid passed on)"
    assert [a.message.text for a in client.inbox.arrivals] == [ANSWER]
    events = journal(proxy)
    kinds = [e["event"] for e in events]
    assert kinds[0] == "run" and "close" in kinds
    (opened,) = [e for e in events if e["event"] == "open"]
    assert (opened["api_key"], opened["platform"], opened["uuid"]) == (
        agent.api_key,
        "qq",
        client.connection_id,
    )
    chats = [e for e in events if e["event"] == "chat"]
    assert [c["from"] for c in chats] == ["client", "server"]
    asked, answered = (c["package"]["payload"] for c in chats)
    assert asked["message_info"]["message_id"] == sent.message_id
    assert answered["message_segment"]["data"] == ANSWER
    assert chats[0]["t"] <= chats[1]["t"]
    (closed,) = [e for e in events if e["event"] == "close"]
    assert closed["by"] == "client" and closed["frames"]["server"] >= 2


def test_garbage_from_a_client_is_relayed_and_journalled_as_garbage(
    loop, server, new_agent, proxy_to
):
    agent = new_agent()
    proxy = proxy_to(server.server.server_url)
    client = client_via(proxy, agent, "test", "garbage via proxy")

    async def misbehave():
        await client.connect(5)
        mark = len(client.events)
        await client.send_raw("this is not a package")
        told = await client.log.wait_for("error", 5, since=mark)  # the server got it
        await client.disconnect()
        return told

    told = loop(misbehave())
    assert told.detail, "the server answered the garbage: the proxy passed it on"
    garbage = [e for e in journal(proxy) if e["event"] == "garbage"]
    assert [(g["from"], g["what"]) for g in garbage] == [
        ("client", "a message event whose data is not a package")
    ]
    assert "this is not a package" in garbage[0]["frame"]


def test_a_websocket_speaking_no_engine_io_is_relayed_and_journalled(loop, server, proxy_to):
    proxy = proxy_to(server.server.server_url)
    url = proxy.url.replace("ws://", "http://") + "/?EIO=4&transport=websocket"

    async def speak_garbage():
        headers = {"x-apikey": "tenant_x:agent_y"}
        async with (
            aiohttp.ClientSession() as session,
            session.ws_connect(url, headers=headers) as ws,
        ):
            await ws.send_str("hello, anyone?")
            await ws.send_bytes(b"\x00\x01\x02")
            await asyncio.sleep(0.3)

    loop(speak_garbage())
    events = journal(proxy)
    (opened,) = [e for e in events if e["event"] == "open"]
    assert (opened["api_key"], opened["transport"]) == ("tenant_x:agent_y", "websocket")
    garbage = [
        (e["what"], e.get("frame") or e.get("base64")) for e in events if e["event"] == "garbage"
    ]
    assert garbage == [
        ("not an engine.io packet", "hello, anyone?"),
        ("a binary frame of 3 bytes", "AAEC"),
    ]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_an_unreachable_server_refuses_each_client_in_one_line_and_the_proxy_goes_on(
    loop, proxy_to, caplog
):
    proxy = proxy_to(f"ws://127.0.0.1:{free_port()}/ws")
    url = proxy.url.replace("ws://", "http://") + "/?EIO=4&transport=polling"
    caplog.set_level(logging.WARNING, logger="maimbot_acceptance.record.proxy")

    async def knock():
        async with aiohttp.ClientSession() as session:
            answers = []
            for _ in range(2):
                async with session.get(url, headers={"x-apikey": "tenant_a:agent_b"}) as answer:
                    answers.append((answer.status, await answer.text()))
            return answers

    answers = loop(knock())
    assert [status for status, _ in answers] == [502, 502]
    assert "unreachable" in answers[0][1]
    lines = [r.getMessage() for r in caplog.records if r.name == "maimbot_acceptance.record.proxy"]
    assert len(lines) == 2 and all("\n" not in line for line in lines), lines
    assert "refused client (api key 'tenant_a:agent_b'" in lines[0]
    refused = [e for e in journal(proxy) if e["event"] == "refused"]
    assert len(refused) == 2 and refused[0]["api_key"] == "tenant_a:agent_b"


def test_bytes_pass_unchanged_both_ways_headers_and_all(loop, proxy_to):
    """The server gets the client's bytes as sent (less a compression offer), the
    client the server's, whatever they are."""
    got = bytearray()
    answer = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-Odd: \xff\r\n\r\nhello"

    async def upstream(reader, writer):
        got.extend(await reader.readexactly(len(request) - len(offer)))
        writer.write(answer)
        await writer.drain()
        writer.close()

    offer = b"Sec-WebSocket-Extensions: permessage-deflate\r\n"
    request = (
        b"GET /ws/?EIO=4&transport=polling HTTP/1.1\r\nx-apikey: tenant_a:agent_b\r\n"
        b"x-platform: qq\r\nx-uuid: u-1\r\n" + offer + b"\r\n"
    )

    async def listen():
        listener = await asyncio.start_server(upstream, "127.0.0.1", 0)
        return listener, listener.sockets[0].getsockname()[1]

    listener, port = loop(listen())
    proxy = proxy_to(f"ws://127.0.0.1:{port}/ws")

    async def send():
        reader, writer = await asyncio.open_connection("127.0.0.1", proxy.port)
        writer.write(request)
        received = await asyncio.wait_for(reader.read(), 5)
        writer.close()
        listener.close()
        return received

    assert loop(send()) == answer
    assert bytes(got) == request.replace(offer, b"")
    assert json.dumps(journal(proxy)[0])  # the journal is still readable


def test_a_client_that_never_finishes_its_request_is_refused_in_time(loop, proxy_to):
    proxy = proxy_to(f"ws://127.0.0.1:{free_port()}/ws", connect_timeout=0.3)

    async def mumble():
        reader, writer = await asyncio.open_connection("127.0.0.1", proxy.port)
        writer.write(b"GET /ws/?EIO=4&transport=polling HTTP/1.1\r\nx-apikey: k")
        answer = await asyncio.wait_for(reader.read(), 3)
        writer.close()
        return answer

    assert loop(mumble()).startswith(b"HTTP/1.1 502 Bad Gateway")
