"""Caching: static assets are cacheable, and nothing that sets a cookie is cached publicly (RFC 9111).

A shared cache (CDN) may store a response that sets a cookie unless told not to (RFC 9111 section 3 does not
forbid it), and then serves one user's session cookie to everyone: the classic "logged in as someone else"
incident. Static assets without Cache-Control or validators are re-downloaded on every page view. The cache
status headers a CDN adds (cf-cache-status, x-cache, age...) are read on a repeated request and reported.
"""

from __future__ import annotations

import asyncio
import re

from launchready.checks.interface import Check
from launchready.checks.secure_delivery.assets import Asset, json_routes, page_assets
from launchready.checks.secure_delivery.page_probe import content_page
from launchready.engine.context import CheckContext
from launchready.findings import Finding, Fix, Impact, RuleSpec, Severity, Stage
from launchready.net import HttpResponse, NetError

_REPEAT_CAP_BYTES = 256 * 1024
"""The repeated request only reads cache-status headers, but a body cut short drops the connection (the rest
is not drained), and the next request to the host would pay a new TLS handshake: a typical asset is read
whole."""
_CACHE_STATUS = ("cf-cache-status", "x-cache", "x-cache-status", "x-vercel-cache", "x-nf-cache-status", "age")
_MAX_AGE = re.compile(r"(?:^|[,\s])(s-maxage|max-age)\s*=\s*(\d+)", re.IGNORECASE)

STATIC_UNCACHED = RuleSpec(
    rule_id="cache.static.uncached",
    title="Static assets are not cacheable",
    stage=Stage.DNS_EDGE,
    severity=Severity.MEDIUM,
    description="Scripts and stylesheets (and routes marked cacheable) carry Cache-Control with a max-age, "
    "or at "
    "least an ETag/Last-Modified validator; fails with neither, warns with validators only.",
    impact=Impact(launch_delay=0, support_load=1, customer_trust=1),
    fix=Fix(
        summary="Serve fingerprinted assets with `Cache-Control: public, max-age=31536000, immutable`.",
        snippets={
            "nginx": "location /assets/ {\n"
            '    add_header Cache-Control "public, max-age=31536000, immutable";\n}',
            "caddy": "@assets path /assets/*\n"
            'header @assets Cache-Control "public, max-age=31536000, immutable"',
            "cloudflare": "Caching → Cache Rules: match /assets/*, Eligible for cache, Edge TTL 1 year",
            "fastapi": "app.mount('/assets', StaticFiles(directory='dist/assets'))  # sends "
            "ETag/Last-Modified;\n"
            "# add Cache-Control with a middleware for /assets/",
            "nextjs": "// Next.js sets immutable caching on /_next/static automatically; for /public files "
            "use headers()",
        },
    ),
)
COOKIE_PUBLIC = RuleSpec(
    rule_id="cache.cookie.public",
    title="A response that sets a cookie may be cached publicly",
    stage=Stage.SECURE_DELIVERY,
    severity=Severity.HIGH,
    description="HTML and API responses that set cookies are marked private or no-store, never public, "
    "s-maxage or a bare max-age that lets a CDN store them.",
    impact=Impact(launch_delay=1, support_load=3, customer_trust=3),
    fix=Fix(
        summary="Send `Cache-Control: private, no-store` on any response that sets a cookie.",
        snippets={
            "nginx": 'add_header Cache-Control "private, no-store" always;',
            "caddy": 'header Cache-Control "private, no-store"',
            "cloudflare": "Caching → Cache Rules: Bypass cache when the response has Set-Cookie (or on "
            "/app/*)",
            "fastapi": "response.headers['Cache-Control'] = 'private, no-store'",
            "nextjs": "{ key: 'Cache-Control', value: 'private, no-store' }  // in headers() for dynamic "
            "routes",
        },
    ),
)


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
    name = "http.caching"
    rules = (STATIC_UNCACHED, COOKIE_PUBLIC)

    async def run(self, ctx: CheckContext) -> list[Finding]:
        hosts = ctx.config.public_hosts
        cookie_findings = await asyncio.gather(*(self._cookie_page(ctx, h) for h in hosts))
        return [*await self._static(ctx), *cookie_findings, *await self._cookie_routes(ctx)]

    async def _cookie_page(self, ctx: CheckContext, host: str) -> Finding:
        page = await content_page(ctx, host)
        if page.redirects_to is not None:
            return COOKIE_PUBLIC.passed(host, f"{host} only redirects to {page.redirects_to}")
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
            return [
                STATIC_UNCACHED.passed(
                    ctx.config.canonical_host, "no same-site scripts, styles or cacheable routes"
                )
            ]
        return list(await asyncio.gather(*(_static_one(ctx, url, assets) for url in targets)))


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
        return STATIC_UNCACHED.passed(url, evidence + status_note, details=details)
    if validators:
        return STATIC_UNCACHED.warned(
            url, evidence + status_note + " (revalidated on every view)", details=details
        )
    return STATIC_UNCACHED.failed(url, evidence + status_note, details=details)


def _cookie_verdict(target: str, response: HttpResponse) -> Finding:
    cookies = response.header_all("set-cookie")
    control = response.header("cache-control")
    if not cookies:
        return COOKIE_PUBLIC.passed(
            target, f"GET {response.url} sets no cookie (Cache-Control: {control or '(absent)'})"
        )
    names = ", ".join(c.split("=", 1)[0].strip() for c in cookies)
    evidence = f"GET {response.url} sets {names} with Cache-Control: {control or '(absent)'}"
    if shared_cacheable(control):
        return COOKIE_PUBLIC.failed(target, evidence + ": a CDN may store it and hand it to other users")
    return COOKIE_PUBLIC.passed(target, evidence)
