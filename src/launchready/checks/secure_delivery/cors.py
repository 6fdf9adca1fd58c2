"""CORS on each host: no reflected arbitrary origin, no ``*`` with credentials (Fetch standard, CORS
protocol).

The probe sends one request with ``Origin: https://attacker.launchready.invalid`` (the ``.invalid`` TLD never
resolves, RFC 2606, and the name is only a header: nothing is sent there). A server that echoes it back in
Access-Control-Allow-Origin lets any site read its responses; with Access-Control-Allow-Credentials it reads
them *as the signed-in user*, which is the worst case for an API that holds chat history.

A host whose certificate is rejected is probed again without verifying it, as the redirect checks do, but
only an *open* answer is reported from that read: an echo of the probe's own Origin (or ``*`` with
credentials) comes from a server that handled this request for this host name, so it is the product's
policy and goes live the day the certificate is fixed. An answer that allows nothing proves nothing on a
channel the audit could not authenticate (a default virtual host or a captive portal sends no CORS headers
either), so that case stays ``unverifiable`` and says so.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from launchready.checks.interface import Check
from launchready.checks.secure_delivery.page_probe import fetch_page, judge
from launchready.checks.targets import require_addresses
from launchready.config import LaunchConfig
from launchready.engine.context import CheckContext
from launchready.findings import Finding, Severity
from launchready.net import HttpResponse, NetError, TlsVerifyError
from launchready.rules import rule

PROBE_ORIGIN = "https://attacker.launchready.invalid"
_PROBE_HEADERS = {"Origin": PROBE_ORIGIN}

REFLECTED = rule("cors.origin.reflected")
WILDCARD_CREDENTIALS = rule("cors.wildcard.credentials")


@dataclass(frozen=True)
class CorsObservation:
    url: str
    allow_origin: str | None
    allow_credentials: bool
    error: str | None = None
    blocked_reason: str | None = None
    evidence: str = ""
    unverified: str | None = None
    """Set when the certificate was rejected and this answer was read without verifying it (the error)."""

    @property
    def reflected(self) -> bool:
        return self.allow_origin is not None and self.allow_origin.strip() in (PROBE_ORIGIN, "null")

    @property
    def wildcard_with_credentials(self) -> bool:
        return (self.allow_origin or "").strip() == "*" and self.allow_credentials

    @property
    def open_to_any(self) -> bool:
        return self.reflected or self.wildcard_with_credentials


def probe_url(config: LaunchConfig, host: str) -> str:
    """A GET route configured on this host (an API's real endpoint), else ``/``."""
    for route in config.routes:
        if route.method == "GET" and not route.needs_auth and config.host_for(route.host) == host:
            return config.url(host, route.path)
    return config.url(host, "/")


async def cors_probe(ctx: CheckContext, host: str) -> CorsObservation:
    """One cross-origin GET per host per run, shared by this check and the header grade."""

    async def observe() -> CorsObservation:
        url = probe_url(ctx.config, host)
        await fetch_page(ctx, host)  # after the shared homepage fetch, so its keep-alive connection is reused
        unverified = None
        try:
            await require_addresses(ctx, host)
            response: HttpResponse = await ctx.http.fetch(url, headers=_PROBE_HEADERS, max_body_bytes=65536)
        except TlsVerifyError as exc:
            unverified = str(exc)
            try:
                async with ctx.http.pinned_to({}, verify=False) as insecure:
                    response = await insecure.fetch(url, headers=_PROBE_HEADERS, max_body_bytes=65536)
            except NetError as again:
                return CorsObservation(url, None, False, error=f"{exc}; without verification: {again}")
        except NetError as exc:
            return CorsObservation(url, None, False, error=str(exc))
        probe = judge(host, url, response)
        credentials = (response.header("access-control-allow-credentials") or "").strip().lower() == "true"
        evidence = (
            f"GET {url} with Origin: {PROBE_ORIGIN} → {response.status}; "
            f"Access-Control-Allow-Origin: {response.header('access-control-allow-origin') or '(absent)'}"
            + ("; Access-Control-Allow-Credentials: true" if credentials else "")
        )
        return CorsObservation(
            url,
            response.header("access-control-allow-origin"),
            credentials,
            blocked_reason=probe.reason,
            evidence=probe.evidence if probe.reason else evidence,
            unverified=unverified,
        )

    return await ctx.once("cors:" + host, observe)


class CorsPolicy(Check):
    name = "cors.policy"
    rules = (REFLECTED, WILDCARD_CREDENTIALS)

    async def run(self, ctx: CheckContext) -> list[Finding]:
        results = await asyncio.gather(*(self._host(ctx, host) for host in ctx.config.public_hosts))
        return [f for found in results for f in found]

    async def _host(self, ctx: CheckContext, host: str) -> list[Finding]:
        seen = await cors_probe(ctx, host)
        reason = seen.error or seen.blocked_reason
        if reason:
            return [rule.unverifiable(host, reason, seen.evidence) for rule in self.rules]
        if seen.unverified and not seen.open_to_any:
            why = (
                f"the certificate is rejected ({seen.unverified}); read without verifying it, the answer "
                "allows no foreign origin, but an unauthenticated answer may not be the real site's, so "
                "the CORS policy is judged once the certificate verifies"
            )
            return [rule.unverifiable(host, why, seen.evidence) for rule in self.rules]
        evidence = seen.evidence
        if seen.unverified:
            evidence += (
                f" (read without verifying the certificate, which is rejected: {seen.unverified}; "
                "this policy applies as soon as the certificate is fixed)"
            )
        details: dict[str, object] = {
            "url": seen.url,
            "allow_origin": seen.allow_origin,
            "allow_credentials": seen.allow_credentials,
            "certificate_verified": seen.unverified is None,
        }
        read = {"responses": 1}
        if seen.reflected:
            severity = Severity.CRITICAL if seen.allow_credentials else None
            reflected = REFLECTED.failed(host, evidence, severity=severity, details=details, exercised=read)
        else:
            reflected = REFLECTED.passed(host, evidence, details=details, exercised=read)
        if seen.wildcard_with_credentials:
            wildcard = WILDCARD_CREDENTIALS.failed(host, evidence, details=details, exercised=read)
        else:
            wildcard = WILDCARD_CREDENTIALS.passed(host, evidence, details=details, exercised=read)
        return [reflected, wildcard]
