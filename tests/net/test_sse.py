"""The chat stream reader: WHATWG event-stream parsing, answer paths, and its time and size bounds."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiohttp import web
from hypothesis import given
from hypothesis import strategies as st

from launchready.net.sse import SseParser, StreamEnd, answer_at, read_chat

STREAM = (
    ": keep-alive\r\n\r\n"
    'data: {"delta": "Hel"}\n\n'
    'event: message\ndata: {"delta":\r\ndata: "lo"}\n\n'
    "id: 3\rdata: [DONE]\r\r"
)
EXPECTED = [("message", '{"delta": "Hel"}'), ("message", '{"delta":\n"lo"}'), ("message", "[DONE]")]


def test_parser_follows_the_event_stream_rules() -> None:
    parser = SseParser()
    assert parser.feed(STREAM) == EXPECTED[:2]  # the last CR may still be the start of a CRLF
    assert parser.close() == EXPECTED[2:]


@given(st.lists(st.integers(min_value=0, max_value=len(STREAM)), max_size=6))
def test_parser_gives_the_same_events_however_the_bytes_are_split(cuts: list[int]) -> None:
    parser, events, last = SseParser(), [], 0
    for cut in [*sorted(cuts), len(STREAM)]:
        events += parser.feed(STREAM[last:cut])
        last = cut
    assert [*events, *parser.close()] == EXPECTED


def test_answer_path() -> None:
    openai_chunk = {"choices": [{"delta": {"content": "hi"}}]}
    assert answer_at(openai_chunk, "choices.0.delta.content") == "hi"
    assert answer_at(openai_chunk, "choices.1.delta.content") is None
    assert answer_at({"delta": 3}, "delta") is None


async def _chat(request: web.Request) -> web.StreamResponse:
    mode = (await request.json())["message"]
    if mode == "refuse":
        return web.json_response({"error": "too big"}, status=413)
    if mode == "json":
        return web.json_response({"answer": "whole"})
    response = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
    await response.prepare(request)
    if mode == "error":
        await response.write(b'event: error\ndata: {"error": "timeout"}\n\n')
        return response
    await response.write(b": ping\n\n")
    await asyncio.sleep(0.05)
    for token in ("", "a", "b"):
        await response.write(f'data: {{"delta": "{token}"}}\n\n'.encode())
    if mode == "hang":
        await asyncio.sleep(2)
    if mode == "flood":
        for _ in range(1000):
            await response.write(b'data: {"delta": "' + b"x" * 1000 + b'"}\n\n')
    await response.write(b"data: [DONE]\n\n")
    return response


@pytest.fixture
async def chat_url() -> AsyncIterator[str]:
    app = web.Application()
    app.router.add_post("/chat", _chat)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    yield f"http://127.0.0.1:{port}/chat"
    await runner.cleanup()


@pytest.mark.parametrize(
    ("mode", "end", "answer"),
    [
        ("stream", StreamEnd.DONE, "ab"),
        ("json", StreamEnd.DONE, "whole"),
        ("error", StreamEnd.ERROR_EVENT, ""),
        ("refuse", StreamEnd.NOT_STREAMED, ""),
        ("hang", StreamEnd.BUDGET, "ab"),
        ("flood", StreamEnd.TOO_LARGE, "ab"),
    ],
)
async def test_read_chat_ends(chat_url: str, mode: str, end: StreamEnd, answer: str) -> None:
    async with aiohttp.ClientSession() as session:
        stream = await read_chat(session, chat_url, body={"message": mode}, budget_s=0.5, max_bytes=100_000)
    assert stream.end is end
    assert stream.answer.startswith(answer)
    if mode == "stream":
        assert stream.first_token_s is not None and stream.first_byte_s is not None
        assert stream.first_token_s >= stream.first_byte_s  # the keep-alive and the empty delta don't count
    if mode == "refuse":
        assert stream.status == 413 and "too big" in stream.excerpt
