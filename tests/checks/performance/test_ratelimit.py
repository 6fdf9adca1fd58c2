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
    async def login(request: object) -> JSONResponse:
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
