"""Plain HTTP sends visitors to HTTPS (roadmap stage 3: "TLS valid and strict end to end")."""

from __future__ import annotations

import asyncio
from urllib.parse import urljoin, urlsplit

from launchready.checks.interface import Check
from launchready.checks.targets import require_addresses
from launchready.engine.context import CheckContext
from launchready.findings import Finding
from launchready.net import NetError
from launchready.rules import rule

HTTPS_REDIRECT = rule("http.https-redirect.missing")


class HttpsRedirect(Check):
    name = "http.https-redirect"
    rules = (HTTPS_REDIRECT,)

    async def run(self, ctx: CheckContext) -> list[Finding]:
        return list(await asyncio.gather(*(self._one(ctx, host) for host in ctx.config.public_hosts)))

    async def _one(self, ctx: CheckContext, host: str) -> Finding:
        url = ctx.config.url(host, "/", scheme="http")
        try:
            await require_addresses(ctx, host)
            response = await ctx.fetch_once(url)
        except NetError as exc:
            return HTTPS_REDIRECT.unverifiable(host, str(exc))
        location = response.header("location")
        if not response.is_redirect or location is None:
            return HTTPS_REDIRECT.failed(
                host, f"GET {url} answered {response.status} {response.reason} without redirecting to HTTPS"
            )
        target = urljoin(url, location)
        if urlsplit(target).scheme != "https":
            return HTTPS_REDIRECT.failed(host, f"GET {url} redirects to {target}, which is not HTTPS")
        if response.status in (302, 303, 307):
            return HTTPS_REDIRECT.warned(
                host,
                f"GET {url} redirects to {target} with a temporary {response.status}; use 301 or 308 so "
                "browsers and search engines remember it",
            )
        return HTTPS_REDIRECT.passed(
            host, f"GET {url} → {response.status} {target}", exercised={"responses": 1}
        )
