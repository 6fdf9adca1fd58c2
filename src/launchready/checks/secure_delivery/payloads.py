"""Compression of text responses and oversized payloads: homepage HTML, each JS bundle, API JSON.

Sizes are the decoded bytes (what the browser must parse); limits come from ``[surface]`` (max_html_bytes,
max_script_bytes, max_json_bytes) so a product can set its own budget. aiohttp advertises gzip/deflate in
Accept-Encoding on every request, so a text response without Content-Encoding means the server did not
compress it. Responses under 1 KiB are exempt: compressing them saves nothing.
"""

from __future__ import annotations

import asyncio

from launchready.checks.interface import Check
from launchready.checks.secure_delivery.assets import json_routes, page_assets, page_hosts
from launchready.engine.context import CheckContext
from launchready.findings import Finding, Fix, Impact, RuleSpec, Severity, Stage
from launchready.net import HttpResponse, NetError

_TEXT_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml", "application/xml")
_MIN_COMPRESSIBLE = 1024

COMPRESSION = RuleSpec(
    rule_id="http.compression.missing",
    title="Text responses are not compressed",
    stage=Stage.DNS_EDGE,
    severity=Severity.MEDIUM,
    description="HTML, JS, CSS and JSON responses over 1 KiB are sent with gzip, br or zstd "
    "Content-Encoding.",
    impact=Impact(launch_delay=0, support_load=1, customer_trust=1),
    fix=Fix(
        summary="Turn on gzip/brotli for text types at the edge or the server.",
        snippets={
            "nginx": "gzip on;\ngzip_types text/css application/javascript application/json image/svg+xml;\n"
            "gzip_min_length 1024;",
            "caddy": "encode zstd gzip",
            "cloudflare": "Speed → Optimization → Content Optimization: Brotli On (on by default when "
            "proxied)",
            "fastapi": "from starlette.middleware.gzip import GZipMiddleware\n"
            "app.add_middleware(GZipMiddleware, minimum_size=1024)",
            "nextjs": "// next.config.js\nmodule.exports = { compress: true }",
        },
    ),
)
OVERSIZED = RuleSpec(
    rule_id="http.payload.oversized",
    title="Oversized page, bundle or API response",
    stage=Stage.DNS_EDGE,
    severity=Severity.MEDIUM,
    description="Homepage HTML, each JS bundle it loads and API JSON stay under the [surface] size limits "
    "(defaults: 150 kB HTML, 500 kB per script, 1 MB JSON).",
    impact=Impact(launch_delay=0, support_load=1, customer_trust=2),
    fix=Fix(
        summary="Split the bundle (code-splitting, lazy routes), drop unused dependencies, paginate API "
        "responses.",
        steps=(
            "Find what is big: `npx source-map-explorer dist/assets/*.js` or `next build` output.",
            "Lazy-load routes and heavy widgets; paginate or trim API JSON.",
        ),
        snippets={"launchready.toml": "[surface]\nmax_script_bytes = 500000"},
    ),
)


def is_text(content_type: str | None) -> bool:
    value = (content_type or "").split(";")[0].strip().lower()
    return any(value.startswith(t) for t in _TEXT_TYPES) or value.endswith("+json")


class Payloads(Check):
    name = "http.payloads"
    rules = (COMPRESSION, OVERSIZED)

    async def run(self, ctx: CheckContext) -> list[Finding]:
        limits = ctx.config.surface
        pages = await page_hosts(ctx)
        targets: list[tuple[str, str, int]] = [
            (p.response.url, "HTML page", limits.max_html_bytes) for p in pages if p.response is not None
        ]
        targets += [
            (a.url, "script" if a.kind == "script" else "stylesheet", limits.max_script_bytes)
            for a in await page_assets(ctx)
        ]
        targets += [(url, "API JSON", limits.max_json_bytes) for url in json_routes(ctx)]
        if not targets:
            reason = "no page, asset or API route could be fetched"
            return [
                COMPRESSION.unverifiable(ctx.config.apex, reason),
                OVERSIZED.unverifiable(ctx.config.apex, reason),
            ]
        results = await asyncio.gather(*(_one(ctx, url, kind, limit) for url, kind, limit in targets))
        return [f for found in results for f in found]


async def _one(ctx: CheckContext, url: str, kind: str, limit: int) -> list[Finding]:
    try:
        response: HttpResponse = await ctx.fetch_once(url)
    except NetError as exc:
        return [COMPRESSION.unverifiable(url, str(exc)), OVERSIZED.unverifiable(url, str(exc))]
    return [_compression(url, response), _size(url, kind, limit, response)]


def _compression(url: str, response: HttpResponse) -> Finding:
    content_type = response.header("content-type")
    encoding = response.header("content-encoding")
    size = len(response.body)
    if encoding:
        return COMPRESSION.passed(url, f"Content-Encoding: {encoding} ({content_type})")
    if not is_text(content_type) or size < _MIN_COMPRESSIBLE:
        return COMPRESSION.passed(
            url, f"{content_type or 'unknown type'}, {size} bytes: compression not needed"
        )
    return COMPRESSION.failed(
        url, f"GET {url} → {content_type}, {size:,} bytes sent uncompressed", details={"bytes": size}
    )


def _size(url: str, kind: str, limit: int, response: HttpResponse) -> Finding:
    size = len(response.body)
    shown = f"{size:,}+" if response.truncated else f"{size:,}"
    details: dict[str, object] = {
        "bytes": size,
        "limit": limit,
        "kind": kind,
        "truncated": response.truncated,
    }
    if size > limit or response.truncated:
        return OVERSIZED.failed(url, f"{kind} {url} is {shown} bytes (limit {limit:,})", details=details)
    return OVERSIZED.passed(url, f"{kind} {url} is {shown} bytes (limit {limit:,})", details=details)
