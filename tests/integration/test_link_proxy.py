"""The link proxy relays bytes, and delays, cuts or silences them on command."""

import asyncio
import time

import pytest

from maimbot_acceptance.wire.link_proxy import LinkProxy


async def echo(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    while data := await reader.read(1024):
        writer.write(data)
        await writer.drain()
    writer.close()


@pytest.fixture
def link(loop):
    """A proxy in front of an echo server; yields (proxy, open_connection)."""

    async def start():
        server = await asyncio.start_server(echo, "127.0.0.1", 0)
        proxy = await LinkProxy("127.0.0.1", server.sockets[0].getsockname()[1]).start()
        return server, proxy

    server, proxy = loop(start())
    writers = []

    async def open_connection():
        reader, writer = await asyncio.open_connection("127.0.0.1", proxy.port)
        writers.append(writer)
        return reader, writer

    yield proxy, open_connection

    async def stop():
        for writer in writers:
            writer.transport.abort()
        await proxy.close()
        server.close()
        await server.wait_closed()

    loop(stop())


async def round_trip(reader, writer, data: bytes, timeout: float = 2) -> bytes:
    writer.write(data)
    return await asyncio.wait_for(reader.readexactly(len(data)), timeout)


def test_bytes_flow_both_ways(loop, link):
    proxy, open_connection = link

    async def scenario():
        reader, writer = await open_connection()
        assert await round_trip(reader, writer, b"hello") == b"hello"
        assert proxy.connections == 1

    loop(scenario())


def test_a_delay_holds_each_direction_and_keeps_the_order(loop, link):
    proxy, open_connection = link
    proxy.set_delay(0.1)

    async def scenario():
        reader, writer = await open_connection()
        started = time.monotonic()
        for part in (b"a", b"b", b"c"):
            writer.write(part)
        echoed = await asyncio.wait_for(reader.readexactly(3), 2)
        return echoed, time.monotonic() - started

    echoed, took = loop(scenario())
    assert echoed == b"abc"
    assert 0.2 <= took < 0.5


def test_a_cut_closes_both_sides_at_once(loop, link):
    proxy, open_connection = link

    async def scenario():
        reader, writer = await open_connection()
        await round_trip(reader, writer, b"up")
        started = time.monotonic()
        assert proxy.cut() == 1
        try:
            ended = await asyncio.wait_for(reader.read(10), 1)
        except ConnectionResetError:
            ended = b""
        return ended, time.monotonic() - started

    ended, took = loop(scenario())
    assert ended == b"" and took < 0.2


def test_a_black_hole_swallows_bytes_and_closes_nothing(loop, link):
    proxy, open_connection = link

    async def scenario():
        reader, writer = await open_connection()
        await round_trip(reader, writer, b"up")
        proxy.black_hole()
        writer.write(b"anyone?")
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(reader.read(10), 0.3)  # neither an echo nor an EOF
        assert proxy.connections == 1

    loop(scenario())


def test_heal_cuts_the_silenced_links_and_lets_new_ones_through(loop, link):
    proxy, open_connection = link

    async def scenario():
        old_reader, old_writer = await open_connection()
        await round_trip(old_reader, old_writer, b"up")
        proxy.black_hole()
        proxy.heal()
        assert await asyncio.wait_for(old_reader.read(10), 1) == b""
        reader, writer = await open_connection()
        assert await round_trip(reader, writer, b"again") == b"again"

    loop(scenario())


def test_the_url_points_at_the_proxy(loop, link):
    proxy, _ = link
    assert proxy.url_for("ws://127.0.0.1:8095/ws") == f"ws://127.0.0.1:{proxy.port}/ws"


def test_close_leaves_no_task_behind(loop):
    async def scenario():
        before = asyncio.all_tasks()
        server = await asyncio.start_server(echo, "127.0.0.1", 0)
        proxy = await LinkProxy("127.0.0.1", server.sockets[0].getsockname()[1]).start()
        reader, writer = await asyncio.open_connection("127.0.0.1", proxy.port)
        await round_trip(reader, writer, b"x")
        proxy.black_hole()
        await proxy.close()
        writer.transport.abort()
        server.close()
        await server.wait_closed()
        await asyncio.sleep(0)  # let the echo handler see its EOF
        left = asyncio.all_tasks() - before - {asyncio.current_task()}
        if left:
            await asyncio.wait(left, timeout=1)
        return [task for task in left if not task.done()]

    assert loop(scenario()) == []
