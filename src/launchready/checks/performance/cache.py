"""Cacheable routes are served from a cache on repeat reads, at or above ``targets.cache_hit_ratio``.

Roadmap stage 5: static-ish API responses (model lists, config, public pages) should be answered by the
CDN, not the origin, or a launch spike lands on the app. The probe reads each route marked
``cacheable = true`` ``cache_reads`` times and counts hits on the warm reads (all but the first) from the
cache-status headers a CDN sets: ``Cache-Status`` (RFC 9211), ``cf-cache-status`` (Cloudflare), ``x-cache``
(CloudFront, Fastly, Varnish) and ``Age`` (RFC 9111 §5.1). No such header at all is unverifiable, unless
``Cache-Control`` forbids caching outright, which fails. Only successful reads (2xx/304) count: a CDN that
caches the route's 404 is not serving the route. No cacheable route in the config is ``not_assessed``.
"""

from __future__ import annotations

import re

from launchready.checks.performance.probe import PerformanceProbe
from launchready.config.model import RouteConfig
from launchready.engine.context import CheckContext
from launchready.findings import Finding
from launchready.net import HttpResponse, NetError
from launchready.rules import rule

_CF_HITS = frozenset({"hit", "stale", "updating", "revalidated"})
_UNCACHEABLE = re.compile(r"\b(no-store|private|no-cache|max-age\s*=\s*0)\b", re.IGNORECASE)

CACHE_HIT_RATE_LOW = rule("perf.cache.hit-rate-low")


def cache_hit(response: HttpResponse) -> bool | None:
    """True for a cache hit, False for a miss, None when the response carries no cache status at all."""
    status = response.header("cache-status")
    if status is not None:
        return any(re.search(r";\s*hit\b", entry, re.IGNORECASE) for entry in status.split(","))
    cf = response.header("cf-cache-status")
    if cf is not None:
        return cf.strip().lower() in _CF_HITS
    x_cache = response.header("x-cache")
    if x_cache is not None:
        return "hit" in x_cache.lower()
    age = response.header("age")
    if age is not None and age.strip().isdigit():
        return int(age.strip()) > 0
    return None


class CacheHitRate(PerformanceProbe):
    name = "perf.cache"
    rules = (CACHE_HIT_RATE_LOW,)

    async def probe(self, ctx: CheckContext) -> list[Finding]:
        routes = [r for r in ctx.config.routes if r.cacheable and r.method == "GET"][:5]
        if not routes:
            return [
                CACHE_HIT_RATE_LOW.not_assessed(
                    ctx.config.apex,
                    "no GET route marked cacheable: add `cacheable = true` to a [[routes]] entry that every "
                    "user reads the same (a models list, public config) to check it is served from cache",
                )
            ]
        return [await self._route(ctx, route) for route in routes]

    async def _route(self, ctx: CheckContext, route: RouteConfig) -> Finding:
        url = ctx.config.route_url(route)
        reads: list[HttpResponse] = []
        try:
            for _ in range(ctx.config.performance.cache_reads):
                reads.append(await ctx.http.fetch(url, headers=route.headers, max_body_bytes=256 * 1024))
        except NetError as exc:
            return CACHE_HIT_RATE_LOW.unverifiable(url, str(exc))
        failed = [r.status for r in reads if not (200 <= r.status < 300 or r.status == 304)]
        if failed:
            return CACHE_HIT_RATE_LOW.unverifiable(
                url,
                f"the route answered HTTP {failed[0]} on {len(failed)}/{len(reads)} reads, not the content",
            )
        warm = [cache_hit(r) for r in reads[1:]]
        seen = [outcome for outcome in warm if outcome is not None]
        cache_control = reads[-1].header("cache-control") or "(none)"
        target = ctx.config.targets.cache_hit_ratio
        if not seen:
            if _UNCACHEABLE.search(cache_control):
                evidence = (
                    f"Cache-Control: {cache_control} forbids caching; no cache status on {len(reads)} reads"
                )
                return CACHE_HIT_RATE_LOW.failed(url, evidence)
            reason = (
                "no Cache-Status, cf-cache-status, x-cache or Age header: cannot tell if a cache served it"
            )
            return CACHE_HIT_RATE_LOW.unverifiable(url, reason)
        ratio = sum(seen) / len(seen)
        details: dict[str, object] = {"hit_ratio": round(ratio, 3), "warm_reads": len(seen), "target": target}
        evidence = (
            f"{sum(seen)}/{len(seen)} warm reads were cache hits ({ratio:.0%}, target {target:.0%}); "
            f"Cache-Control: {cache_control}"
        )
        if ratio < target:
            return CACHE_HIT_RATE_LOW.failed(url, evidence, details=details)
        return CACHE_HIT_RATE_LOW.passed(
            url, evidence, details=details, exercised={"requests": len(reads), "warm_reads_judged": len(seen)}
        )
