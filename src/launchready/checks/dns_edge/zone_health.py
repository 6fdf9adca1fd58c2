"""Zone-level DNS health: at least two nameservers, CAA present, DNSSEC reported (roadmap stage 2).

Also publishes the DNS map artifact, since it asks the same questions. Two nameservers is RFC 1034
section 4.1's "at least two" (one lame server must not take the product down); CAA (RFC 8659) limits which
CAs may issue for the domain; DNSSEC is reported for information only, because for most launches turning it
on carries more outage risk than it removes.
"""

from __future__ import annotations

import asyncio

from launchready.checks.dns_edge.dns_map import DnsMap, build_dns_map
from launchready.checks.interface import Check
from launchready.checks.targets import dns_query
from launchready.engine.context import CheckContext
from launchready.findings import Finding, Fix, Impact, RuleSpec, Severity, Stage
from launchready.net import DnsAnswer, NetError

NS_TOO_FEW = RuleSpec(
    rule_id="dns.ns.too-few",
    title="Fewer than two nameservers",
    stage=Stage.DNS_EDGE,
    severity=Severity.HIGH,
    description="The apex delegates to at least two nameservers (RFC 1034 4.1), ideally on different "
    "networks.",
    impact=Impact(launch_delay=1, support_load=2, customer_trust=2),
    fix=Fix(
        summary="Add a second nameserver (your DNS provider gives several; list them all at the registrar).",
        snippets={
            "zone-file": "@  86400  IN  NS  ns1.dns-provider.example.\n@  86400  IN  NS  "
            "ns2.dns-provider.example."
        },
    ),
)
CAA_MISSING = RuleSpec(
    rule_id="dns.caa.missing",
    title="No CAA record",
    stage=Stage.DNS_EDGE,
    severity=Severity.LOW,
    description="The apex publishes CAA records naming the CAs allowed to issue its certificates (RFC 8659).",
    impact=Impact(launch_delay=0, support_load=0, customer_trust=1),
    fix=Fix(
        summary="Publish CAA for the CA you use (and your edge's CA if it issues for you).",
        snippets={
            "zone-file": '@  3600  IN  CAA  0 issue "letsencrypt.org"\n'
            '@  3600  IN  CAA  0 iodef "mailto:security@example.com"',
            "cloudflare": "DNS → Add record → CAA: tag 'Only allow specific hostnames', value "
            "letsencrypt.org "
            "(Cloudflare adds its own CAs automatically when proxied)",
        },
    ),
)
DNSSEC = RuleSpec(
    rule_id="dns.dnssec.unsigned",
    title="DNSSEC not enabled",
    stage=Stage.DNS_EDGE,
    severity=Severity.INFO,
    description="Reported for information: whether the apex publishes DNSKEY (signed zone) and a DS at the "
    "parent.",
    impact=Impact(launch_delay=0, support_load=0, customer_trust=0),
    fix=Fix(
        summary="Optional: enable DNSSEC at your DNS provider, then add the DS record at your registrar.",
        steps=(
            "Only after launch, with a provider that signs automatically; a wrong DS takes the domain "
            "offline.",
        ),
    ),
)


async def dns_map(ctx: CheckContext) -> DnsMap:
    """The run's DNS map, built once and stored in ``ctx.artifacts["dns_map"]``."""

    async def build() -> DnsMap:
        result = await build_dns_map(
            ctx.resolver, ctx.config, lambda name, rdtype: dns_query(ctx, name, rdtype)
        )
        ctx.artifacts["dns_map"] = result.as_dict()
        return result

    return await ctx.once("dns_map", build)


class ZoneHealth(Check):
    name = "dns.zone"
    rules = (NS_TOO_FEW, CAA_MISSING, DNSSEC)

    async def run(self, ctx: CheckContext) -> list[Finding]:
        apex = ctx.config.apex

        async def ask(rdtype: str) -> DnsAnswer | str:
            try:
                return await dns_query(ctx, apex, rdtype)
            except NetError as exc:
                return str(exc)

        _, ns, caa, dnskey, ds = await asyncio.gather(
            dns_map(ctx), ask("NS"), ask("CAA"), ask("DNSKEY"), ask("DS")
        )
        return [_ns(apex, ns), _caa(apex, caa), _dnssec(apex, dnskey, ds)]


def _ns(apex: str, answer: DnsAnswer | str) -> Finding:
    if isinstance(answer, str):
        return NS_TOO_FEW.unverifiable(apex, answer)
    servers = sorted(r.rstrip(".") for r in answer.records)
    evidence = f"NS {apex}: {', '.join(servers) or '(none)'}"
    if len(servers) < 2:
        return NS_TOO_FEW.failed(apex, evidence, details={"nameservers": servers})
    return NS_TOO_FEW.passed(apex, evidence, details={"nameservers": servers})


def _caa(apex: str, answer: DnsAnswer | str) -> Finding:
    if isinstance(answer, str):
        return CAA_MISSING.unverifiable(apex, answer)
    if not answer.records:
        return CAA_MISSING.warned(apex, f"no CAA record at {apex}: any CA may issue certificates for it")
    return CAA_MISSING.passed(apex, "CAA " + "; ".join(answer.records))


def _dnssec(apex: str, dnskey: DnsAnswer | str, ds: DnsAnswer | str) -> Finding:
    if isinstance(dnskey, str):
        return DNSSEC.unverifiable(apex, dnskey)
    has_ds = not isinstance(ds, str) and bool(ds.records)
    if dnskey.records:
        parent = "yes" if has_ds else "not seen"
        text = f"{len(dnskey.records)} DNSKEY record(s) at {apex}; DS at the parent: {parent}"
        return DNSSEC.passed(apex, text)
    return DNSSEC.warned(apex, f"no DNSKEY at {apex}: the zone is not signed (information only)")
