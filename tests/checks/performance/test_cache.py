import pytest

from launchready.checks.performance import CacheHitRate
from launchready.checks.performance.cache import cache_hit
from launchready.findings import Status
from launchready.lab.variant import LabVariant
from launchready.net import HttpResponse


def _response(*headers: tuple[str, str]) -> HttpResponse:
    return HttpResponse("https://x.test/", 200, "OK", headers, b"", False, 0.0, 0.0, "1.1")


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ((("cf-cache-status", "HIT"),), True),
        ((("cf-cache-status", "DYNAMIC"),), False),
        ((("x-cache", "Hit from cloudfront"),), True),
        ((("x-cache", "MISS, MISS"),), False),
        ((("cache-status", "ExampleCDN; hit; ttl=30"),), True),
        ((("cache-status", "ExampleCDN; fwd=miss; stored"),), False),
        ((("age", "12"),), True),
        ((("age", "0"),), False),
        ((("content-type", "application/json"),), None),
    ],
)
def test_cache_hit_reads_every_cdn_header(
    headers: tuple[tuple[str, str], ...], expected: bool | None
) -> None:
    assert cache_hit(_response(*headers)) is expected


async def test_cache_hit_rate(backend, probe_context) -> None:
    flawed, hardened = backend(LabVariant.FLAWED), backend(LabVariant.HARDENED)
    async with probe_context(flawed) as ctx:
        [bad] = await CacheHitRate().run(ctx)
    async with probe_context(hardened) as ctx:
        [good] = await CacheHitRate().run(ctx)
    assert bad.status is Status.FAIL and "no-store" in bad.evidence, bad.evidence
    assert bad.details["hit_ratio"] == 0
    assert good.status is Status.PASS, good.evidence
    assert good.details["hit_ratio"] == 1.0


async def test_cache_hits_on_an_error_page_are_not_the_route(tls_files, probe_context) -> None:
    """Negative test: a CDN caching the route's 404 used to count as the route served from cache."""
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    from launchready.lab.backend.serve import BackendServer

    async def gone(request: Request) -> JSONResponse:
        return JSONResponse({"error": "not found"}, status_code=404, headers={"x-cache": "HIT"})

    app = Starlette(routes=[Route("/v1/models", gone)])

    with BackendServer(app, certfile=tls_files[1], keyfile=tls_files[2]) as server:
        async with probe_context(server) as ctx:
            [finding] = await CacheHitRate().run(ctx)
    assert finding.status is Status.UNVERIFIABLE, finding.evidence
    assert "HTTP 404" in (finding.reason or "")
