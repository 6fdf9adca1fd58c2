"""Plain HTTP sends visitors to HTTPS (roadmap stage 3: "TLS valid and strict end to end")."""

from __future__ import annotations

import asyncio
from urllib.parse import urljoin, urlsplit

from launchready.checks.interface import Check
from launchready.checks.targets import require_addresses
from launchready.engine.context import CheckContext
from launchready.findings import Finding, Fix, Impact, RuleSpec, Severity, Stage
from launchready.net import NetError

HTTPS_REDIRECT = RuleSpec(
    rule_id="http.https-redirect.missing",
    title="HTTP does not redirect to HTTPS",
    stage=Stage.SECURE_DELIVERY,
    severity=Severity.HIGH,
    description="A request to http:// gets a permanent redirect (301/308) to the https:// URL.",
    impact=Impact(launch_delay=1, support_load=1, customer_trust=3),
    fix=Fix(
        summary="Redirect every http:// request to https:// with a 301, keeping path and query.",
        snippets={
            "nginx": (
                "server {\n    listen 80;\n    server_name example.com www.example.com;\n"
                "    return 301 https://$host$request_uri;\n}"
            ),
            "caddy": "# Caddy redirects HTTP to HTTPS automatically for every site address.\nexample.com {\n    reverse_proxy localhost:8000\n}",
            "cloudflare": "SSL/TLS → Edge Certificates → Always Use HTTPS: On",
            "fastapi": (
                "from starlette.middleware.httpsredirect import HTTPSRedirectMiddleware\n"
                "app.add_middleware(HTTPSRedirectMiddleware)"
            ),
        },
    ),
)


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
        return HTTPS_REDIRECT.passed(host, f"GET {url} → {response.status} {target}")
