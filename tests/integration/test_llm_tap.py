"""The LLM tap as a model provider sees it (OpenAI's API) and as the suite reads it."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator

import aiohttp
import pytest

from maimbot_acceptance.llm_tap import LlmTap, TapOptions, TapReader


@pytest.fixture
def tap(loop) -> Iterator[LlmTap]:
    started = LlmTap()
    loop(started.start())
    yield started
    loop(started.stop())


async def post(url: str, body: dict) -> tuple[int, str, bytes]:
    async with aiohttp.ClientSession() as session, session.post(url, json=body) as response:
        return response.status, response.content_type, await response.read()


CHAT = {
    "model": "fake-model",
    "messages": [
        {"role": "system", "content": "You are Helper."},
        {"role": "user", "content": [{"type": "text", "text": "The code word is PLUM"}]},
    ],
}


def test_a_chat_completion_is_answered_and_recorded(loop, tap):
    status, _, body = loop(post(f"{tap.url}/chat/completions", CHAT))
    assert status == 200
    assert json.loads(body)["choices"][0]["message"]["content"] == "The code word is PLUM"
    [record] = tap.log.records
    assert (record.index, record.kind, record.model) == (1, "chat", "fake-model")
    assert record.prompt == "system: You are Helper.\nuser: The code word is PLUM"


def test_a_streamed_chat_completion_comes_as_server_sent_events(loop, tap):
    status, content_type, body = loop(post(f"{tap.url}/chat/completions", {**CHAT, "stream": True}))
    assert (status, content_type) == (200, "text/event-stream")
    events = [line.removeprefix("data: ") for line in body.decode().split("\n\n") if line]
    assert events[-1] == "[DONE]"
    text = "".join(json.loads(e)["choices"][0]["delta"].get("content", "") for e in events[:-1])
    assert text == "The code word is PLUM"
    assert json.loads(events[-2])["choices"][0]["finish_reason"] == "stop"


def test_embeddings_are_deterministic_and_recorded(loop, tap):
    body = {"model": "embed", "input": ["alpha", "beta", "alpha"], "dimensions": 16}
    _, _, first = loop(post(f"{tap.url}/embeddings", body))
    vectors = [item["embedding"] for item in json.loads(first)["data"]]
    assert len(vectors[0]) == 16
    assert vectors[0] == vectors[2] != vectors[1]
    assert tap.log.records[-1].prompt == "alpha\nbeta\nalpha"


def test_a_reader_waits_for_the_next_record_and_wakes_when_it_comes(loop, tap):
    async def scenario():
        async with aiohttp.ClientSession() as session:
            reader = TapReader(tap.url, session)
            mark = await reader.mark()
            waiting = asyncio.ensure_future(reader.read(mark, wait=5))
            await asyncio.sleep(0.05)
            assert not waiting.done()
            started = asyncio.get_running_loop().time()
            await post(f"{tap.url}/chat/completions", CHAT)
            records, last = await waiting
            return records, last, asyncio.get_running_loop().time() - started

    records, last, took = loop(scenario())
    assert [r.index for r in records] == [last] == [1]
    assert took < 1.0


def test_a_tap_forwards_to_its_upstream_and_still_records(loop, tap):
    front = LlmTap(TapOptions(upstream=tap.url, upstream_key="secret"))
    loop(front.start())
    try:
        _, _, plain = loop(post(f"{front.url}/chat/completions", CHAT))
        _, content_type, streamed = loop(
            post(f"{front.url}/chat/completions", {**CHAT, "stream": True})
        )
    finally:
        loop(front.stop())
    assert json.loads(plain)["choices"][0]["message"]["content"] == "The code word is PLUM"
    assert content_type == "text/event-stream" and streamed.endswith(b"data: [DONE]\n\n")
    assert len(front.log.records) == len(tap.log.records) == 2


def test_the_command_says_ready_and_stops_cleanly_on_sigterm(tmp_path):
    log = tmp_path / "tap.jsonl"
    process = subprocess.Popen(
        [sys.executable, "-m", "maimbot_acceptance.llm_tap", "--log", str(log)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert process.stdout is not None
        ready = process.stdout.readline().strip()
        assert ready.startswith("READY http://127.0.0.1:") and ready.endswith("/v1")
        url = ready.removeprefix("READY ")
        status, _, _ = asyncio.run(post(f"{url}/chat/completions", CHAT))
        assert status == 200
    finally:
        process.send_signal(signal.SIGTERM)
        code = process.wait(10)
    assert code == 0
    assert json.loads(log.read_text().splitlines()[0])["kind"] == "chat"


def test_the_benchmark_prints_both_paths_and_the_difference(loop):
    from maimbot_acceptance.llm_tap.bench import bench

    figures = loop(bench(requests=50), timeout=30)
    assert [line.split()[0] for line in figures.splitlines()[1:]] == ["direct", "via", "added"]


def test_a_body_that_is_not_json_is_refused_with_the_reason(loop, tap):
    async def send_garbage() -> tuple[int, str]:
        async with (
            aiohttp.ClientSession() as session,
            session.post(f"{tap.url}/chat/completions", data=b"{not json") as response,
        ):
            return response.status, await response.text()

    assert loop(send_garbage()) == (400, "the body is not JSON")
    assert tap.log.records == []


def test_an_unreachable_upstream_answers_bad_gateway_and_still_records(loop):
    front = LlmTap(TapOptions(upstream="http://127.0.0.1:1/v1"))
    loop(front.start())
    try:
        status, _, body = loop(post(f"{front.url}/chat/completions", CHAT))
    finally:
        loop(front.stop())
    assert status == 502 and b"127.0.0.1:1" in body
    assert len(front.log.records) == 1


PLANNER = {
    "model": "deepseek-v4-flash",
    "tools": [{"type": "function", "function": {"name": n}} for n in ("wait", "reply", "stop")],
    "messages": [
        {"role": "system", "content": "你的名字是麦麦。发言必须通过reply工具"},
        {"role": "user", "content": '<message msg_id="mi4d3c6" time="00:46:05" user="Alice">\nHi'},
    ],
}


@pytest.fixture
def maimbot_tap(loop) -> Iterator[LlmTap]:
    started = LlmTap(TapOptions(answer="maimbot"))
    loop(started.start())
    yield started
    loop(started.stop())


def test_upstream_s_planner_gets_reply_calls_once_and_then_none(loop, maimbot_tap):
    url = f"{maimbot_tap.url}/chat/completions"
    _, _, body = loop(post(url, PLANNER))
    choice = json.loads(body)["choices"][0]
    assert choice["finish_reason"] == "tool_calls"
    [call] = choice["message"]["tool_calls"]
    assert call["function"]["name"] == "reply"
    assert json.loads(call["function"]["arguments"])["msg_id"] == "mi4d3c6"
    _, _, again = loop(post(url, PLANNER))
    choice = json.loads(again)["choices"][0]
    assert (choice["finish_reason"], choice["message"].get("tool_calls")) == ("stop", None)
    assert len(maimbot_tap.log.records) == 2  # both prompts recorded


def test_streamed_tool_calls_come_in_the_first_delta(loop, maimbot_tap):
    _, _, body = loop(post(f"{maimbot_tap.url}/chat/completions", {**PLANNER, "stream": True}))
    events = [json.loads(e.removeprefix("data: ")) for e in body.decode().split("\n\n")[:-2]]
    [call] = events[0]["choices"][0]["delta"]["tool_calls"]
    assert (call["index"], call["function"]["name"]) == (0, "reply")
    assert events[-1]["choices"][0]["finish_reason"] == "tool_calls"


def test_a_prompt_over_a_mebibyte_is_taken(loop, tap):
    big = {**CHAT, "messages": [{"role": "user", "content": "x" * (2 * 1024**2)}]}
    status, _, _ = loop(post(f"{tap.url}/chat/completions", big))
    assert status == 200
