"""What the recording proxy makes of the frames it relays: engine.io and Socket.IO
framing decoded (framing.py), and HTTP then WebSocket read from a copy of a TCP
stream (wire.py)."""

import json

import pytest

from maimbot_acceptance.record.byte_stream import Frame, Http, Stream
from maimbot_acceptance.record.framing import classify_binary, classify_text, split_polling_payload

CHAT = {
    "ver": 1,
    "msg_id": "m1",
    "type": "sys_std",
    "meta": {},
    "payload": {
        "message_info": {"platform": "test", "message_id": "x"},
        "message_segment": {"type": "text", "data": "hi"},
        "message_dim": {"api_key": "tenant_a:agent_b", "platform": "test"},
    },
}


def event(*args):
    return "42" + json.dumps(list(args), separators=(",", ":"))


def test_a_chat_package_is_a_chat_message_with_its_package():
    packet = classify_text(event("message", CHAT))
    assert (packet.kind, packet.what, packet.data) == ("chat", "sys_std", CHAT)


def test_a_namespace_and_an_ack_id_do_not_hide_the_package():
    frame = "42/chat,17" + json.dumps(["message", CHAT])
    assert classify_text(frame).kind == "chat"


@pytest.mark.parametrize(
    ("frame", "kind", "what"),
    [
        ("2", "heartbeat", "engine.io ping"),
        ("3probe", "heartbeat", "engine.io pong"),
        ('0{"sid":"s"}', "control", "engine.io open"),
        ("40{}", "control", "socket.io connect"),
        ("5", "control", "engine.io upgrade"),
        (event("message", {**CHAT, "type": "sys_ack"}), "other", "sys_ack"),
        (event("message", {**CHAT, "type": "custom_x"}), "other", "custom_x"),
        (event("ping", 1), "other", "event 'ping'"),
        ("hello there", "garbage", "not an engine.io packet"),
        ("", "garbage", "an empty frame"),
        ("42{not json", "garbage", "a Socket.IO event that is not JSON"),
        ("42[1,2]", "garbage", "a Socket.IO event without a name"),
        (event("message", [1, 2]), "garbage", "a message event whose data is not a package"),
        (
            event("message", {**CHAT, "payload": {}}),
            "garbage",
            "a sys_std package without a chat message",
        ),
        ("49", "garbage", "Socket.IO packet type '9'"),
    ],
)
def test_every_frame_gets_a_kind(frame, kind, what):
    packet = classify_text(frame)
    assert (packet.kind, packet.what) == (kind, what)


def test_binary_frames_are_garbage_to_maim_message():
    assert classify_binary(b"\x00\xff").kind == "garbage"


def test_a_polling_payload_holds_packets_split_by_the_record_separator():
    assert split_polling_payload('40{}\x1e42["message",{}]') == ["40{}", '42["message",{}]']
    assert split_polling_payload("") == []


def ws_frame(payload: bytes, opcode: int = 1, fin: bool = True, mask: bytes = b"") -> bytes:
    head = bytes([(0x80 if fin else 0) | opcode])
    size = len(payload)
    bit = 0x80 if mask else 0
    if size < 126:
        head += bytes([bit | size])
    elif size < 65536:
        head += bytes([bit | 126]) + size.to_bytes(2, "big")
    else:
        head += bytes([bit | 127]) + size.to_bytes(8, "big")
    body = bytes(b ^ mask[i % 4] for i, b in enumerate(payload)) if mask else payload
    return head + mask + body


def test_a_stream_reads_a_request_with_its_body_then_frames_after_the_upgrade():
    stream = Stream()
    request = (
        b"POST /ws/?sid=s&transport=polling HTTP/1.1\r\n"
        b"Content-Length: 4\r\nX-Apikey: k\r\n\r\n40{}"
    )
    upgrade = b"GET /ws/?sid=s HTTP/1.1\r\nUpgrade: websocket\r\n\r\n"
    big = b"x" * 70000
    data = request + upgrade + ws_frame(b"2probe", mask=b"abcd") + ws_frame(big, mask=b"wxyz")
    items = []
    for at in range(0, len(data), 7):  # however the bytes are cut
        items += stream.feed(data[at : at + 7])
    first, second, probe, large = items
    assert isinstance(first, Http) and first.body == b"40{}" and first.headers["x-apikey"] == "k"
    assert first.query == {"sid": "s", "transport": "polling"}
    assert isinstance(second, Http) and second.upgrades
    assert probe == Frame(1, b"2probe") and isinstance(large, Frame) and large.payload == big


def test_fragments_are_joined_and_controls_between_them_skipped():
    stream = Stream(websocket=True)
    data = ws_frame(b"42[", fin=False) + ws_frame(b"", opcode=9) + ws_frame(b"1]", opcode=0)
    data += ws_frame((1000).to_bytes(2, "big") + b"bye", opcode=8)
    assert stream.feed(data) == [Frame(1, b"42[1]"), Frame(8, b"bye", 1000)]


def test_a_chunked_response_is_read_whole():
    stream = Stream()
    data = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"
    (response,) = stream.feed(data)
    assert isinstance(response, Http) and response.status == 200 and response.body == b"abcde"


def test_what_cannot_be_read_stops_the_reading_not_the_stream():
    stream = Stream()
    assert stream.feed(b"x" * 70000) == []
    assert stream.broken
    assert stream.feed(b"GET / HTTP/1.1\r\n\r\n") == []
