"""HTTPS responses carry Strict-Transport-Security (RFC 6797), so browsers never try plain HTTP again."""

from __future__ import annotations

import asyncio
import re

from launchready.checks.interface import Check
from launchready.checks.targets import require_addresses
from launchready.engine.context import CheckContext
from launchready.findings import Finding, Fix, Impact, RuleSpec, Severity, Stage
from launchready.net import NetError

HSTS_MISSING = RuleSpec(
    rule_id="headers.hsts.missing",
    title="No HSTS header",
    stage=Stage.SECURE_DELIVERY,
    severity=Severity.MEDIUM,
    description="HTTPS responses send Strict-Transport-Security with a positive max-age.",
    impact=Impact(launch_delay=0, support_load=1, customer_trust=2),
    fix=Fix(
        summary="Send `Strict-Transport-Security: max-age=63072000; includeSubDomains; preload` on HTTPS.",
        snippets={
            "nginx": 'add_header Strict-Transport-Security "max-age=63072000; includeSubDomains; preload" always;',
            "caddy": 'header Strict-Transport-Security "max-age=63072000; includeSubDomains; preload"',
            "cloudflare": "SSL/TLS → Edge Certificates → HTTP Strict Transport Security (HSTS): Enable",
            "fastapi": (
                "@app.middleware('http')\nasync def hsts(request, call_next):\n"
                "    response = await call_next(request)\n"
                "    response.headers['Strict-Transport-Security'] = "
                "'max-age=63072000; includeSubDomains; preload'\n    return response"
            ),
            "nextjs": (
                "// next.config.js\nmodule.exports = { async headers() { return [{ source: '/:path*', headers: [\n"
                "  { key: 'Strict-Transport-Security', value: 'max-age=63072000; includeSubDomains; preload' },\n"
                "] }] } }"
            ),
        },
    ),
)

_MAX_AGE = re.compile(r"max-age\s*=\s*\"?(\d+)\"?", re.IGNORECASE)


class HstsPresent(Check):
    name = "headers.hsts"
    rules = (HSTS_MISSING,)

    async def run(self, ctx: CheckContext) -> list[Finding]:
        return list(await asyncio.gather(*(self._one(ctx, host) for host in ctx.config.public_hosts)))

    async def _one(self, ctx: CheckContext, host: str) -> Finding:
        url = ctx.config.url(host, "/")
        try:
            await require_addresses(ctx, host)
            response = await ctx.fetch_once(url)
        except NetError as exc:
            return HSTS_MISSING.unverifiable(host, str(exc))
        value = response.header("strict-transport-security")
        if value is None:
            return HSTS_MISSING.failed(
                host, f"GET {url} → {response.status} with no Strict-Transport-Security header"
            )
        match = _MAX_AGE.search(value)
        if match is None or int(match.group(1)) == 0:
            return HSTS_MISSING.failed(host, f"Strict-Transport-Security: {value} (no positive max-age)")
        return HSTS_MISSING.passed(host, f"Strict-Transport-Security: {value}")
