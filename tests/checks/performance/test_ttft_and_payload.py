from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from launchready.checks.performance import OversizedInput, TimeToFirstToken
from launchready.findings import Status
from launchready.lab.backend import FakeLlmSettings
from launchready.lab.backend.serve import BackendServer
from launchready.lab.variant import LabVariant


async def test_ttft_is_measured_to_the_first_token(backend, probe_context) -> None:
    server = backend(LabVariant.HARDENED)
    async with probe_context(server) as ctx:
        [finding] = await TimeToFirstToken().run(ctx)
    assert finding.rule_id == "perf.chat.ttft"
    assert finding.status is Status.PASS, finding.evidence
    assert finding.details["ttft_ms"] >= 100  # the fake model waits 100 ms before its first token
    assert finding.target.endswith("/v1/chat")
    assert finding.exercised == {"chats_streamed": 3}


async def test_a_slow_first_token_fails_the_target(backend, probe_context) -> None:
    """Negative test: the rule could never fail; a first token far past the target used to be a pass."""
    server = backend(LabVariant.HARDENED, FakeLlmSettings(first_token_s=0.6, tokens=2))
    async with probe_context(server, targets={"ttft_p95_ms": 300}) as ctx:
        [finding] = await TimeToFirstToken().run(ctx)
    assert finding.status is Status.FAIL, finding.evidence
    assert finding.details["ttft_ms"] >= 600 and finding.details["target_ms"] == 300


async def test_no_token_at_all_is_never_a_pass(tls_files, probe_context) -> None:
    async def chat(request: Request) -> JSONResponse:
        return JSONResponse({"error": "upstream"}, status_code=502)

    app = Starlette(routes=[Route("/v1/chat", chat, methods=["POST"])])
    with BackendServer(app, certfile=tls_files[1], keyfile=tls_files[2]) as server:
        async with probe_context(server) as ctx:
            [finding] = await TimeToFirstToken().run(ctx)
    assert finding.status is Status.UNVERIFIABLE, finding.evidence
    assert "none of 3 chats streamed a token" in (finding.reason or "")


async def test_oversized_input(backend, probe_context) -> None:
    flawed, hardened = backend(LabVariant.FLAWED), backend(LabVariant.HARDENED)
    async with probe_context(flawed) as ctx:
        [bad] = await OversizedInput().run(ctx)
    async with probe_context(hardened) as ctx:
        [good] = await OversizedInput().run(ctx)
    assert bad.status is Status.FAIL and "HTTP 500" in bad.evidence, bad.evidence
    assert good.status is Status.PASS and "HTTP 413" in good.evidence, good.evidence
    assert good.exercised == {"oversized_requests": 1, "control_requests": 1}


async def test_a_chat_that_refuses_every_message_proves_no_size_limit(tls_files, probe_context) -> None:
    """Negative test: a wrong template (every message 422) used to pass as "oversized input refused"."""

    async def chat(request: Request) -> JSONResponse:
        await request.body()
        return JSONResponse({"detail": "field required: prompt"}, status_code=422)

    app = Starlette(routes=[Route("/v1/chat", chat, methods=["POST"])])
    with BackendServer(app, certfile=tls_files[1], keyfile=tls_files[2]) as server:
        async with probe_context(server) as ctx:
            [finding] = await OversizedInput().run(ctx)
    assert finding.status is Status.UNVERIFIABLE, finding.evidence
    assert "normal-size message was refused too" in (finding.reason or "")
