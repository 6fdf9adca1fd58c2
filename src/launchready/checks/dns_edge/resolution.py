"""Every configured host resolves (roadmap stage 2: apex, www and each expected subdomain)."""

from __future__ import annotations

import asyncio

from launchready.checks.interface import Check
from launchready.checks.targets import host_addresses
from launchready.engine.context import CheckContext
from launchready.findings import Finding, Fix, Impact, RuleSpec, Severity, Stage
from launchready.net import NetError

UNRESOLVED = RuleSpec(
    rule_id="dns.host.unresolved",
    title="A configured host does not resolve",
    stage=Stage.DNS_EDGE,
    severity=Severity.HIGH,
    description="The apex, www and every expected subdomain have an A or AAAA record.",
    impact=Impact(launch_delay=3, support_load=2, customer_trust=3),
    fix=Fix(
        summary="Publish an A/AAAA record (or a CNAME to your host) for the name, or remove it from the config.",
        steps=(
            "In your DNS provider, add the record for the host (a CNAME to the platform's target for "
            "managed hosting, an A/AAAA record otherwise).",
            "Wait for the TTL, then re-run `launchready audit --only dns`.",
        ),
        snippets={"zone-file": "status  300  IN  CNAME  your-status-provider.example."},
    ),
)


class HostsResolve(Check):
    name = "dns.resolution"
    rules = (UNRESOLVED,)
    timeout_s = 15.0

    async def run(self, ctx: CheckContext) -> list[Finding]:
        hosts = ctx.config.public_hosts
        return list(await asyncio.gather(*(self._one(ctx, host) for host in hosts)))

    async def _one(self, ctx: CheckContext, host: str) -> Finding:
        try:
            addresses = await host_addresses(ctx, host)
        except NetError as exc:
            return UNRESOLVED.unverifiable(host, f"DNS could not answer: {exc}")
        if not addresses:
            return UNRESOLVED.failed(host, f"{host} has no A or AAAA record (NXDOMAIN or empty answer)")
        return UNRESOLVED.passed(
            host, f"{host} resolves to {', '.join(addresses)}", details={"addresses": list(addresses)}
        )
