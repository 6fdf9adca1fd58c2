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
