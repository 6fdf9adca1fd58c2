"""The chat endpoint's two behaviours: the flawed demo and the hardened launch version.

Both stream Server-Sent Events (``data: {"delta": "<token>"}`` then ``data: [DONE]``, the shape of the
OpenAI-style APIs the probes are written for) or answer ``{"answer": ...}`` to ``Accept: application/json``.

The hardened chat bounds every request by one deadline (roadmap stage 5: "a chat request must end"), retries
transient upstream failures with exponential backoff and jitter, and turns every failure into an ``error``
event. The retry loop is hand-written because it is four lines around one call; products should use
``tenacity`` or their SDK's own retries (the fix snippets say so).

Token reads run as one pending task at a time, awaited with a short wait so the stream can send an SSE
comment as a keep-alive while the model is silent; the ``finally`` block cancels and awaits that task, so a
client that disconnects (Starlette cancels the response) leaves nothing running.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
from collections.abc import AsyncIterator
from dataclasses import dataclass

from launchready.lab.backend.fake_llm import (
    FakeLlm,
    ProviderError,
    ProviderTimeout,
    TokenStream,
    UpstreamError,
    UpstreamUnavailable,
)
from launchready.lab.backend.persona import FRIENDLY_EMPTY, FRIENDLY_FAILURE

KEEPALIVE_S = 1.0
"""Seconds of model silence before the stream sends an SSE comment (``: keep-alive``)."""


@dataclass(frozen=True)
class ChatPolicy:
    timeout_s: float | None
    """The whole request's deadline; None streams for as long as the model does (the flawed lab)."""
    attempts: int = 1
    backoff_s: float = 0.1


FLAWED_POLICY = ChatPolicy(timeout_s=None, attempts=1)


DONE_EVENT = "data: [DONE]\n\n"


def sse(data: object) -> str:
    return f"data: {json.dumps(data)}\n\n"


def sse_error(code: str, detail: str) -> str:
    return f"event: error\ndata: {json.dumps({'error': code, 'detail': detail})}\n\n"


async def open_with_retries(llm: FakeLlm, prompt: str, policy: ChatPolicy) -> TokenStream:
    """Open a completion, retrying transient failures with exponential backoff and full jitter."""
    for attempt in range(policy.attempts):
        try:
            return await llm.open(prompt, attempt)
        except UpstreamUnavailable:
            if attempt + 1 >= policy.attempts:
                raise
            await asyncio.sleep(random.uniform(0, policy.backoff_s * 2**attempt))
    raise AssertionError("unreachable: attempts >= 1")


async def stream_events(
    tokens: TokenStream,
    deadline: float | None,
    tool_calls: tuple[tuple[str, str], ...] = (),
    on_empty: str | None = None,
) -> AsyncIterator[str]:
    """SSE events for ``tokens``; ends with ``[DONE]``, or an error event when ``deadline`` passes.

    ``tool_calls`` are sent as ``{"tool_call": ...}`` events after the text (the flawed lab's agency);
    ``on_empty`` is said instead of nothing when the model streamed no token (the hardened lab)."""
    said = False
    loop = asyncio.get_running_loop()
    iterator = aiter(tokens)
    pending: asyncio.Future[str] | None = None
    try:
        while True:
            if pending is None:
                pending = asyncio.ensure_future(anext(iterator))
            wait = KEEPALIVE_S if deadline is None else min(KEEPALIVE_S, deadline - loop.time())
            if wait <= 0:
                yield sse_error("timeout", "the model did not answer in time; please retry")
                return
            done, _ = await asyncio.wait({pending}, timeout=wait)
            if not done:
                yield ": keep-alive\n\n"
                continue
            finished, pending = pending, None
            try:
                token = finished.result()
            except StopAsyncIteration:
                if not said and on_empty is not None:
                    yield sse({"delta": on_empty})
                for name, arguments in tool_calls:
                    yield sse({"tool_call": {"name": name, "arguments": arguments}})
                yield DONE_EVENT
                return
            said = said or bool(token)
            yield sse({"delta": token})
    finally:
        if pending is not None:
            pending.cancel()
            with contextlib.suppress(asyncio.CancelledError, StopAsyncIteration):
                await pending
        await _close(iterator)


async def hardened_events(llm: FakeLlm, prompt: str, policy: ChatPolicy) -> AsyncIterator[str]:
    loop = asyncio.get_running_loop()
    deadline = None if policy.timeout_s is None else loop.time() + policy.timeout_s
    try:
        async with asyncio.timeout_at(deadline):
            tokens = await open_with_retries(llm, prompt, policy)
    except (TimeoutError, ProviderTimeout):
        yield sse_error("timeout", "the model did not answer in time; please retry")
        return
    except ProviderError:
        yield sse_error("upstream", FRIENDLY_FAILURE)
        return
    except UpstreamError as exc:
        yield sse_error("upstream", str(exc))
        return
    async for event in stream_events(tokens, deadline, on_empty=FRIENDLY_EMPTY):
        yield event


async def complete(tokens: TokenStream, timeout_s: float | None) -> str:
    """The whole answer at once (``Accept: application/json``)."""
    async with asyncio.timeout(timeout_s):
        return "".join([token async for token in tokens])


async def _close(iterator: AsyncIterator[str]) -> None:
    close = getattr(iterator, "aclose", None)
    if close is not None:
        with contextlib.suppress(RuntimeError):
            await close()
