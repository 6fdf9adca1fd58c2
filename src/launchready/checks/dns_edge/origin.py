"""Strict end to end: the origin behind the edge has a valid certificate and does not serve the site
to anyone.

Where ``[hosts."<host>"] origin`` gives the origin's address, the audit connects to it directly with the
host's name (SNI and Host), as the edge does. An origin certificate that does not verify is Cloudflare's
"Full" (not "Full (strict)") mistake: the edge-to-origin hop can be intercepted. An origin that answers the
site to the audit means anyone who finds its address (certificate transparency logs, old DNS history) skips
the edge, its WAF and its DDoS protection (roadmap stage 3).
"""

from __future__ import annotations

import asyncio

from launchready.checks.interface import Check
from launchready.checks.secure_delivery.cors import probe_url
from launchready.engine.context import CheckContext
from launchready.findings import Finding, Fix, Impact, RuleSpec, Severity, Stage
from launchready.net import HttpClient, NetError

NOT_STRICT = RuleSpec(
    rule_id="tls.origin.not-strict",
    title="Origin certificate is not valid (Full, not strict)",
    stage=Stage.SECURE_DELIVERY,
    severity=Severity.HIGH,
    description="The origin presents a certificate that verifies for the host name, so the edge can use "
    "strict "
    "verification end to end.",
    impact=Impact(launch_delay=1, support_load=1, customer_trust=3),
    fix=Fix(
        summary="Install a valid certificate on the origin (e.g. a Cloudflare Origin CA cert) and set SSL "
        "to Full (strict).",
        snippets={
            "cloudflare": "SSL/TLS → Overview → Full (strict); SSL/TLS → Origin Server → Create Certificate",
            "nginx": "ssl_certificate /etc/ssl/origin/cert.pem;\nssl_certificate_key "
            "/etc/ssl/origin/key.pem;",
            "caddy": "example.com {\n    tls /etc/ssl/origin/cert.pem /etc/ssl/origin/key.pem\n}",
        },
    ),
)
BYPASSABLE = RuleSpec(
    rule_id="edge.origin.bypassable",
    title="Origin serves the site directly (edge can be bypassed)",
    stage=Stage.DNS_EDGE,
    severity=Severity.HIGH,
    description="The origin refuses requests that do not come through the edge (firewall to edge ranges, "
    "authenticated origin pulls, or a tunnel).",
    impact=Impact(launch_delay=1, support_load=2, customer_trust=2),
    fix=Fix(
        summary="Let only the edge reach the origin: firewall to its ranges, mTLS origin pulls, or a tunnel.",
        snippets={
            "cloudflare": "SSL/TLS → Origin Server → Authenticated Origin Pulls: On; or run `cloudflared "
            "tunnel` "
            "and close ports 80/443",
            "nginx": "ssl_client_certificate /etc/ssl/cloudflare-origin-pull-ca.pem;\nssl_verify_client on;",
            "caddy": "@not_edge not remote_ip 173.245.48.0/20 103.21.244.0/22\nabort @not_edge",
        },
    ),
)


class OriginStrict(Check):
    name = "edge.origin"
    rules = (NOT_STRICT, BYPASSABLE)

    async def run(self, ctx: CheckContext) -> list[Finding]:
        origins = {h: c.origin for h, c in ctx.config.hosts.items() if c.origin}
        if not origins:
            return []  # nothing to connect to: no origin addresses are configured
        async with ctx.http.pinned_to(origins, verify=False) as direct:
            results = await asyncio.gather(*(self._host(ctx, direct, h, o) for h, o in origins.items()))
        return [f for found in results for f in found]

    async def _host(self, ctx: CheckContext, direct: HttpClient, host: str, origin: str) -> list[Finding]:
        port = ctx.config.network.https_port
        target = f"{host} (origin {origin})"
        try:
            observation = await ctx.once(
                f"tls:{host}:{origin}:{port}", lambda: ctx.tls.observe(host, port, origin)
            )
        except NetError as exc:
            strict = NOT_STRICT.unverifiable(target, f"no TLS handshake with the origin: {exc}")
        else:
            if observation.verified:
                strict = NOT_STRICT.passed(
                    target, f"origin certificate verifies for {host} ({observation.version})"
                )
            else:
                strict = NOT_STRICT.failed(target, f"origin certificate rejected: {observation.verify_error}")
        url = probe_url(ctx.config, host)
        try:
            response = await direct.fetch(url, max_body_bytes=65536)
        except NetError as exc:
            return [strict, BYPASSABLE.passed(target, f"direct request to the origin refused: {exc}")]
        if response.status < 400:
            return [
                strict,
                BYPASSABLE.failed(
                    target,
                    f"GET {url} sent straight to {origin} → {response.status} {response.reason}: "
                    "the site is served without the edge",
                ),
            ]
        return [strict, BYPASSABLE.passed(target, f"origin answers {response.status} to direct requests")]
