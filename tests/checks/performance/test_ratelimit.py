from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route

from launchready.checks.performance import ChatRateLimit, LoginRateLimit
from launchready.findings import Status
from launchready.lab.backend.serve import BackendServer
from launchready.lab.variant import LabVariant


async def test_flawed_login_and_chat_take_the_whole_burst(backend, probe_context) -> None:
    server = backend(LabVariant.FLAWED)
    async with probe_context(server) as ctx:
        [login] = await LoginRateLimit().run(ctx)
        [chat] = await ChatRateLimit().run(ctx)
    assert login.status is Status.FAIL, login.evidence
    assert login.details["sent"] == 25 and login.details["statuses"] == {"401": 25}
    assert chat.status is Status.FAIL, chat.evidence
    assert chat.details["limited_at"] is None


async def test_hardened_answers_429_with_retry_after(backend, probe_context) -> None:
    server = backend(LabVariant.HARDENED)
    async with probe_context(server) as ctx:
        [login] = await LoginRateLimit().run(ctx)
        [chat] = await ChatRateLimit().run(ctx)
    assert login.status is Status.PASS, login.evidence
    assert login.details["statuses"]["401"] == 10  # 10 per 10 s, then 429 (with up to 5 requests in flight)
    assert login.details["limited_at"] <= 15
    assert int(login.details["retry_after"]) >= 1
    assert chat.status is Status.PASS, chat.evidence
    assert chat.details["statuses"]["200"] == 20
    assert chat.details["limited_at"] <= 25


async def test_429_without_retry_after_is_a_warning(tls_files, probe_context) -> None:
    answered = 0

    async def login(request: object) -> JSONResponse:
        nonlocal answered
        answered += 1
        if answered <= 3:
            return JSONResponse({"error": "invalid_credentials"}, status_code=401)
        return JSONResponse({"error": "slow down"}, status_code=429)

    app = Starlette(routes=[Route("/auth/login", login, methods=["POST"])])
    with BackendServer(app, certfile=tls_files[1], keyfile=tls_files[2]) as server:
        async with probe_context(server) as ctx:
            [finding] = await LoginRateLimit().run(ctx)
    assert finding.status is Status.WARN
    assert "without a Retry-After" in finding.evidence


async def test_an_unreachable_route_is_unverifiable(tls_files, probe_context) -> None:
    with BackendServer(JSONResponse({}), certfile=tls_files[1], keyfile=tls_files[2]) as server:
        pass  # stopped: nothing listens on its port any more
    async with probe_context(server) as ctx:
        [finding] = await LoginRateLimit().run(ctx)
    assert finding.status is Status.UNVERIFIABLE
    assert finding.reason


async def test_a_route_that_refuses_everyone_is_not_a_rate_limit(tls_files, probe_context) -> None:
    """Negative test: a route answering 429 to its very first request used to pass as "rate limited"."""

    async def login(request: object) -> JSONResponse:
        return JSONResponse({"error": "quota"}, status_code=429, headers={"Retry-After": "1"})

    app = Starlette(routes=[Route("/auth/login", login, methods=["POST"])])
    with BackendServer(app, certfile=tls_files[1], keyfile=tls_files[2]) as server:
        async with probe_context(server) as ctx:
            [finding] = await LoginRateLimit().run(ctx)
    assert finding.status is Status.UNVERIFIABLE, finding.evidence
    assert "first request" in (finding.reason or "")


async def test_a_mistyped_route_is_unverifiable_not_unlimited(tls_files, probe_context) -> None:
    app = Starlette(routes=[])  # every path is a 404
    with BackendServer(app, certfile=tls_files[1], keyfile=tls_files[2]) as server:
        async with probe_context(server) as ctx:
            [login] = await LoginRateLimit().run(ctx)
            [chat] = await ChatRateLimit().run(ctx)
    for finding in (login, chat):
        assert finding.status is Status.UNVERIFIABLE, finding.evidence
        assert "does not exist" in (finding.reason or "")


async def test_passes_record_the_requests_they_sent(backend, probe_context) -> None:
    server = backend(LabVariant.HARDENED)
    async with probe_context(server) as ctx:
        [login] = await LoginRateLimit().run(ctx)
    assert login.status is Status.PASS, login.evidence
    assert login.exercised["requests"] >= 10 and login.exercised["refusals_429"] == 1
