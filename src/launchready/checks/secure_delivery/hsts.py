"""HTTPS responses carry Strict-Transport-Security (RFC 6797), so browsers never try plain HTTP again."""

from __future__ import annotations

import asyncio
import re

from launchready.checks.interface import Check
from launchready.checks.targets import require_addresses
from launchready.engine.context import CheckContext
from launchready.findings import Finding
from launchready.net import NetError
from launchready.rules import rule

HSTS_MISSING = rule("headers.hsts.missing")

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
        return HSTS_MISSING.passed(
            host, f"GET {url} → Strict-Transport-Security: {value}", exercised={"responses": 1}
        )
