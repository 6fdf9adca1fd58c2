"""The lab's OpenAI-compatible ``POST /v1/chat/completions``, streamed and not, on both twins.

Many products sit behind an OpenAI-style gateway, so ``ChatClient`` has a built-in ``openai`` kind; this
route lets it be tested on loopback. Same model, same conduct as ``/v1/chat``: the flawed gateway passes
the provider's error body on, answers an empty 200 when the model times out, and returns whatever tool
calls the model makes; the hardened one answers each failure with a friendly assistant message, refuses
prompts over ``MAX_MESSAGE_CHARS`` with 422 and bad JSON with 400, and ends every answer within its policy.

Wire format (OpenAI API reference, "Create chat completion" and "The chat completion chunk object"): a
streamed answer is ``chat.completion.chunk`` events with ``choices[0].delta`` (``content`` or
``tool_calls``), a last chunk with ``finish_reason``, a usage chunk when ``stream_options.include_usage``,
then ``data: [DONE]``.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse

from launchready.lab.backend.chat import DONE_EVENT, ChatPolicy, open_with_retries, sse
from launchready.lab.backend.fake_llm import FakeLlm, ProviderError, ProviderTimeout, UpstreamError
from launchready.lab.backend.persona import FRIENDLY_EMPTY, FRIENDLY_FAILURE, FRIENDLY_TIMEOUT

MAX_MESSAGE_CHARS = 8_000
MODEL = "lab-chat-1"


def _chunk(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
    return {
        "id": "chatcmpl-lab",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": MODEL,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }


def _tool_calls(calls: tuple[tuple[str, str], ...]) -> list[dict[str, Any]]:
    return [
        {"index": i, "id": f"call_{i}", "type": "function", "function": {"name": name, "arguments": args}}
        for i, (name, args) in enumerate(calls)
    ]


def _usage(prompt: str, words: int) -> dict[str, int]:
    prompt_tokens = max(1, len(prompt) // 4)
    return {"prompt_tokens": prompt_tokens, "completion_tokens": words, "total_tokens": prompt_tokens + words}


def _completion(text: str, calls: tuple[tuple[str, str], ...], prompt: str) -> dict[str, Any]:
    message: dict[str, Any] = {"role": "assistant", "content": text}
    if calls:
        message["tool_calls"] = _tool_calls(calls)
    return {
        "id": "chatcmpl-lab",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": MODEL,
        "choices": [{"index": 0, "message": message, "finish_reason": "tool_calls" if calls else "stop"}],
        "usage": _usage(prompt, len(text.split())),
    }


def _last_user_message(body: Any) -> str | None:
    messages = body.get("messages") if isinstance(body, dict) else None
    if not isinstance(messages, list):
        return None
    for message in reversed(messages):
        if isinstance(message, dict) and message.get("role") == "user":
            content = message.get("content")
            return content if isinstance(content, str) else None
    return None


def add_openai_routes(app: FastAPI, model: FakeLlm, policy: ChatPolicy, *, guarded: bool) -> None:
    @app.post("/v1/chat/completions", response_model=None)
    async def completions(request: Request) -> Response:
        if guarded:
            try:
                body = json.loads(await request.body())
            except ValueError:
                return JSONResponse(
                    {"error": {"message": "The request body is not valid JSON."}}, status_code=400
                )
        else:
            try:
                body = await request.json()
            except ValueError:  # unhandled in the flawed gateway: the user gets a bare 500
                return Response("Internal Server Error", status_code=500, media_type="text/plain")
        prompt = _last_user_message(body)
        if prompt is None:
            return JSONResponse(
                {"error": {"message": "messages must end with a user message"}}, status_code=400
            )
        if guarded and len(prompt) > MAX_MESSAGE_CHARS:
            return JSONResponse(
                {"error": {"message": f"Messages are limited to {MAX_MESSAGE_CHARS} characters."}},
                status_code=422,
            )
        stream = bool(body.get("stream"))
        usage = bool((body.get("stream_options") or {}).get("include_usage"))
        try:
            async with asyncio.timeout(policy.timeout_s):
                tokens = await open_with_retries(model, prompt, policy)
                words = [word async for word in tokens]
        except ProviderError as exc:
            if not guarded:
                return JSONResponse(exc.body, status_code=500)
            words = [FRIENDLY_FAILURE]
        except (ProviderTimeout, TimeoutError):
            if not guarded:
                return Response(status_code=200)
            words = [FRIENDLY_TIMEOUT]
        except UpstreamError:
            if not guarded:
                return JSONResponse({"error": "internal_error"}, status_code=500)
            words = [FRIENDLY_FAILURE]
        if guarded and not "".join(words).strip():
            words = [FRIENDLY_EMPTY]
        calls = model.tool_calls(prompt)
        if not stream:
            return JSONResponse(_completion("".join(words), calls, prompt))
        return StreamingResponse(
            _events(words, calls, prompt, usage),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache"},
        )


async def _events(
    words: list[str], calls: tuple[tuple[str, str], ...], prompt: str, usage: bool
) -> AsyncIterator[str]:
    yield sse(_chunk({"role": "assistant", "content": ""}))
    for word in words:
        yield sse(_chunk({"content": word}))
        await asyncio.sleep(0)
    if calls:
        yield sse(_chunk({"tool_calls": _tool_calls(calls)}))
    yield sse(_chunk({}, "tool_calls" if calls else "stop"))
    if usage:
        yield sse({**_chunk({}), "choices": [], "usage": _usage(prompt, len(words))})
    yield DONE_EVENT
