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
from launchready.findings import Finding
from launchready.net import HttpResponse, NetError
from launchready.rules import rule

_TEXT_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml", "application/xml")
_MIN_COMPRESSIBLE = 1024

COMPRESSION = rule("http.compression.missing")
OVERSIZED = rule("http.payload.oversized")
_ONE_RESPONSE = {"responses": 1}


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
        return COMPRESSION.passed(
            url, f"GET {url} → Content-Encoding: {encoding} ({content_type})", exercised=_ONE_RESPONSE
        )
    if not is_text(content_type) or size < _MIN_COMPRESSIBLE:
        return COMPRESSION.not_assessed(
            url,
            f"does not apply: {content_type or 'unknown type'}, {size} bytes (only text responses over "
            f"{_MIN_COMPRESSIBLE} bytes are worth compressing)",
        )
    return COMPRESSION.failed(
        url,
        f"GET {url} → {content_type}, {size:,} bytes sent uncompressed",
        details={"bytes": size},
        exercised=_ONE_RESPONSE,
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
        return OVERSIZED.failed(
            url, f"{kind} {url} is {shown} bytes (limit {limit:,})", details=details, exercised=_ONE_RESPONSE
        )
    return OVERSIZED.passed(
        url, f"{kind} {url} is {shown} bytes (limit {limit:,})", details=details, exercised=_ONE_RESPONSE
    )
