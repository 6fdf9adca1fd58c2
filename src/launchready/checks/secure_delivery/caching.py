"""Caching: static assets are cacheable, and nothing that sets a cookie is cached publicly (RFC 9111).

A shared cache (CDN) may store a response that sets a cookie unless told not to (RFC 9111 section 3 does not
forbid it), and then serves one user's session cookie to everyone: the classic "logged in as someone else"
incident. Static assets without Cache-Control or validators are re-downloaded on every page view. The cache
status headers a CDN adds (cf-cache-status, x-cache, age...) are read on a repeated request and reported.

Nothing fetched is nothing judged: with no landing page reachable the static rule is unverifiable, with
pages that load no asset it is not assessed, and a page that sets no cookie (or only redirects elsewhere)
leaves the cookie rule not assessed.
"""

from __future__ import annotations

import asyncio
import re

from launchready.checks.interface import Check
from launchready.checks.secure_delivery.assets import Asset, json_routes, page_assets, page_probes
from launchready.checks.secure_delivery.page_probe import content_page, judged_elsewhere
from launchready.engine.context import CheckContext
from launchready.findings import Finding
from launchready.net import HttpResponse, NetError
from launchready.rules import rule

_REPEAT_CAP_BYTES = 256 * 1024
"""The repeated request only reads cache-status headers, but a body cut short drops the connection (the rest
is not drained), and the next request to the host would pay a new TLS handshake: a typical asset is read
whole."""
_CACHE_STATUS = ("cf-cache-status", "x-cache", "x-cache-status", "x-vercel-cache", "x-nf-cache-status", "age")
_MAX_AGE = re.compile(r"(?:^|[,\s])(s-maxage|max-age)\s*=\s*(\d+)", re.IGNORECASE)

STATIC_UNCACHED = rule("cache.static.uncached")
COOKIE_PUBLIC = rule("cache.cookie.public")


def shared_cacheable(cache_control: str | None) -> bool:
    """Whether a shared cache may store the response (RFC 9111 sections 3 and 5.2.2)."""
    value = (cache_control or "").lower()
    if any(token in value for token in ("private", "no-store", "no-cache")):
        return False
    if "public" in value:
        return True
    return any(int(m.group(2)) > 0 for m in _MAX_AGE.finditer(value))


def max_age(cache_control: str | None) -> int | None:
    ages = [int(m.group(2)) for m in _MAX_AGE.finditer(cache_control or "")]
    return max(ages) if ages else None


def cache_status(response: HttpResponse) -> dict[str, str]:
    return {name: value for name in _CACHE_STATUS if (value := response.header(name)) is not None}


class Caching(Check):
    name = "cache.policy"
    rules = (STATIC_UNCACHED, COOKIE_PUBLIC)

    async def run(self, ctx: CheckContext) -> list[Finding]:
        hosts = ctx.config.public_hosts
        cookie_findings = await asyncio.gather(*(self._cookie_page(ctx, h) for h in hosts))
        return [*await self._static(ctx), *cookie_findings, *await self._cookie_routes(ctx)]

    async def _cookie_page(self, ctx: CheckContext, host: str) -> Finding:
        page = await content_page(ctx, host)
        if page.redirects_to is not None:
            return COOKIE_PUBLIC.not_assessed(host, judged_elsewhere(host, page))
        if not page.usable or page.response is None:
            return COOKIE_PUBLIC.unverifiable(host, page.reason or "no response", page.evidence)
        return _cookie_verdict(host, page.response)

    async def _cookie_routes(self, ctx: CheckContext) -> list[Finding]:
        found = []
        for url in json_routes(ctx):
            try:
                response = await ctx.fetch_once(url)
            except NetError as exc:
                found.append(COOKIE_PUBLIC.unverifiable(url, str(exc)))
                continue
            if response.header("set-cookie") is not None:
                found.append(_cookie_verdict(url, response))
        return found

    async def _static(self, ctx: CheckContext) -> list[Finding]:
        assets = await page_assets(ctx)
        cacheable_routes = [
            ctx.config.route_url(r) for r in ctx.config.routes if r.cacheable and r.method == "GET"
        ]
        targets = [a.url for a in assets] + cacheable_routes
        if not targets:
            return [await _nothing_to_cache(ctx)]
        return list(await asyncio.gather(*(_static_one(ctx, url, assets) for url in targets)))


async def _nothing_to_cache(ctx: CheckContext) -> Finding:
    """No asset and no cacheable route: not assessed when pages were read and load none, unverifiable when
    no page could be read at all (an unreachable site is not a well-cached one)."""
    host = ctx.config.canonical_host
    probes = await page_probes(ctx)
    read = [p for p in probes if p.usable and p.redirects_to is None and p.response is not None]
    if read:
        pages = ", ".join(p.url for p in read)
        return STATIC_UNCACHED.not_assessed(
            host,
            f"nothing to judge: {pages} load no same-site script or stylesheet, and no GET route is marked "
            "cacheable = true",
        )
    reasons = "; ".join(f"{p.host}: {p.reason or judged_elsewhere(p.host, p)}" for p in probes)
    return STATIC_UNCACHED.unverifiable(
        host,
        f"no landing page could be fetched, so no asset was found to judge ({reasons or 'no page host'})",
    )


async def _static_one(ctx: CheckContext, url: str, assets: list[Asset]) -> Finding:
    try:
        first: HttpResponse = await ctx.fetch_once(url)
        second = await ctx.http.fetch(url, max_body_bytes=_REPEAT_CAP_BYTES)
    except NetError as exc:
        return STATIC_UNCACHED.unverifiable(url, str(exc))
    control = first.header("cache-control")
    validators = [h for h in ("etag", "last-modified") if first.header(h)]
    age = max_age(control)
    details: dict[str, object] = {
        "cache_control": control,
        "validators": validators,
        "cache_status_first": cache_status(first),
        "cache_status_repeat": cache_status(second),
    }
    status_note = f"; on a repeated request: {cache_status(second)}" if cache_status(second) else ""
    evidence = (
        f"GET {url} → Cache-Control: {control or '(absent)'}, validators: {', '.join(validators) or 'none'}"
    )
    if first.status >= 400:
        return STATIC_UNCACHED.warned(url, f"GET {url} → {first.status}: the page references a missing asset")
    if control is not None and "no-store" in control.lower():
        return STATIC_UNCACHED.failed(
            url, evidence + status_note + " (no-store on a static asset)", details=details
        )
    if age and age > 0:
        return STATIC_UNCACHED.passed(
            url, evidence + status_note, details=details, exercised={"responses": 2}
        )
    if validators:
        return STATIC_UNCACHED.warned(
            url, evidence + status_note + " (revalidated on every view)", details=details
        )
    return STATIC_UNCACHED.failed(url, evidence + status_note, details=details)


def _cookie_verdict(target: str, response: HttpResponse) -> Finding:
    cookies = response.header_all("set-cookie")
    control = response.header("cache-control")
    if not cookies:
        return COOKIE_PUBLIC.not_assessed(
            target, f"GET {response.url} sets no cookie, so no cookie can be cached with it"
        )
    names = ", ".join(c.split("=", 1)[0].strip() for c in cookies)
    evidence = f"GET {response.url} sets {names} with Cache-Control: {control or '(absent)'}"
    if shared_cacheable(control):
        return COOKIE_PUBLIC.failed(
            target, evidence + ": a CDN may store it and hand it to other users", exercised={"responses": 1}
        )
    return COOKIE_PUBLIC.passed(target, evidence, exercised={"responses": 1})
