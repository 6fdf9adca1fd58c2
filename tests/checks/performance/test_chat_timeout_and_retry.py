"""The chat-timeout and retry probes: pass only on a cut-off stall and on an injected, survived fault."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from launchready.checks.performance import ChatTimeout, RetryOnTransientFailure
from launchready.findings import Status
from launchready.lab.backend.serve import BackendServer
from launchready.lab.variant import LabVariant


async def test_flawed_chat_stays_open_when_the_model_stalls(backend, probe_context) -> None:
    server = backend(LabVariant.FLAWED)
    async with probe_context(server) as ctx:
        [finding] = await ChatTimeout().run(ctx)
    assert finding.status is Status.FAIL, finding.evidence
    assert finding.details["end"] == "budget"
    assert finding.details["elapsed_s"] >= 2.5  # target 1.5 s + margin 1 s


async def test_hardened_chat_ends_with_an_error_event(backend, probe_context) -> None:
    server = backend(LabVariant.HARDENED)
    async with probe_context(server) as ctx:
        [finding] = await ChatTimeout().run(ctx)
    assert finding.status is Status.PASS, finding.evidence
    assert finding.details["end"] == "error-event"
    assert "timeout" in finding.evidence
    assert finding.details["elapsed_s"] >= 1.0  # the backend's own 1.2 s deadline fired
    assert finding.exercised == {"stalls_injected": 1, "stalls_cut_off": 1}


def _chat_app(respond: object) -> Starlette:
    async def chat(request: Request) -> Response:
        await request.body()
        return respond() if callable(respond) else respond  # type: ignore[return-value]

    return Starlette(routes=[Route("/v1/chat", chat, methods=["POST"])])


def _sse(*events: str, delay_s: float = 0.0) -> StreamingResponse:
    async def body() -> AsyncIterator[str]:
        await asyncio.sleep(delay_s)
        for event in events:
            yield event

    return StreamingResponse(body(), media_type="text/event-stream")


async def test_an_immediate_error_is_not_proof_of_a_timeout(tls_files, probe_context) -> None:
    """Negative test: an instant 503, an instant error event and an instant closed stream all used to pass."""
    immediate = {
        "503": lambda: JSONResponse({"error": "upstream"}, status_code=503),
        "error event": lambda: _sse('event: error\ndata: {"error": "boom"}\n\n'),
        "closed": lambda: _sse(),
    }
    for label, respond in immediate.items():
        with BackendServer(_chat_app(respond), certfile=tls_files[1], keyfile=tls_files[2]) as server:
            async with probe_context(server) as ctx:
                [finding] = await ChatTimeout().run(ctx)
        assert finding.status is Status.UNVERIFIABLE, (label, finding.evidence)
        assert "not proof of a timeout" in (finding.reason or ""), label


async def test_a_stall_cut_off_without_a_message_is_a_warning(tls_files, probe_context) -> None:
    app = _chat_app(lambda: _sse(delay_s=1.0))  # silent for 1 s, then the stream just ends
    with BackendServer(app, certfile=tls_files[1], keyfile=tls_files[2]) as server:
        async with probe_context(server) as ctx:
            [finding] = await ChatTimeout().run(ctx)
    assert finding.status is Status.WARN, finding.evidence


async def test_no_stall_prompt_or_flaky_prompt_is_not_assessed(backend, probe_context) -> None:
    server = backend(LabVariant.HARDENED)
    async with probe_context(server, stall_prompt=None, flaky_prompt=None) as ctx:
        [timeout] = await ChatTimeout().run(ctx)
        [retry] = await RetryOnTransientFailure().run(ctx)
    assert timeout.status is Status.NOT_ASSESSED and "stall_prompt" in (timeout.reason or "")
    assert retry.status is Status.NOT_ASSESSED and "flaky_prompt" in (retry.reason or "")
    assert "no way to inject a transient model failure" in (retry.reason or "")


async def test_retry_on_a_transient_upstream_failure(backend, probe_context) -> None:
    flawed, hardened = backend(LabVariant.FLAWED), backend(LabVariant.HARDENED)
    async with probe_context(flawed) as ctx:
        [bad] = await RetryOnTransientFailure().run(ctx)
    async with probe_context(hardened) as ctx:
        [good] = await RetryOnTransientFailure().run(ctx)
    assert bad.status is Status.FAIL and "HTTP 500" in bad.evidence, bad.evidence
    assert good.status is Status.PASS, good.evidence
    assert good.details["answer_chars"] > 0
    assert good.exercised == {"faults_injected": 1, "chats_answered": 1}
    assert str(good.details["fault_injected"]).startswith("upstream-503")


async def test_an_answer_without_an_injected_fault_proves_no_retry(backend, probe_context) -> None:
    """Negative test: a product with no fault hook answers the "flaky" prompt normally; that used to pass."""
    server = backend(LabVariant.HARDENED)
    async with probe_context(server, flaky_prompt="Say hello, no hook here") as ctx:
        [finding] = await RetryOnTransientFailure().run(ctx)
    assert finding.status is Status.NOT_ASSESSED, finding.evidence
    assert "X-Fault-Injected" in (finding.reason or "")
