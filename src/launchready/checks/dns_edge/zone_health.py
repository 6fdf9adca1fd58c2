"""Zone-level DNS health: at least two nameservers, CAA present, DNSSEC reported (roadmap stage 2).

Also publishes the DNS map artifact, since it asks the same questions. Two nameservers is RFC 1034
section 4.1's "at least two" (one lame server must not take the product down); CAA (RFC 8659) limits which
CAs may issue for the domain; DNSSEC is reported for information only, because for most launches turning it
on carries more outage risk than it removes.
"""

from __future__ import annotations

import asyncio

from launchready.checks.dns_edge.dns_map import DnsMap, build_dns_map
from launchready.checks.dns_edge.inventory import inventory
from launchready.checks.interface import Check
from launchready.checks.targets import dns_query
from launchready.engine.context import CheckContext
from launchready.findings import Finding
from launchready.net import DnsAnswer, NetError
from launchready.rules import rule

NS_TOO_FEW = rule("dns.ns.too-few")
CAA_MISSING = rule("dns.caa.missing")
DNSSEC = rule("dns.dnssec.unsigned")


async def dns_map(ctx: CheckContext) -> DnsMap:
    """The run's DNS map, built once and stored in ``ctx.artifacts["dns_map"]``."""

    async def build() -> DnsMap:
        found = await inventory(ctx) if ctx.config.surface.probe_subdomains else None
        result = await build_dns_map(
            ctx.resolver,
            ctx.config,
            lambda name, rdtype: dns_query(ctx, name, rdtype),
            discovered=[f.name for f in found.found] if found else (),
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
    return NS_TOO_FEW.passed(apex, evidence, details={"nameservers": servers}, exercised={"dns_answers": 1})


def _caa(apex: str, answer: DnsAnswer | str) -> Finding:
    if isinstance(answer, str):
        return CAA_MISSING.unverifiable(apex, answer)
    if not answer.records:
        return CAA_MISSING.warned(apex, f"no CAA record at {apex}: any CA may issue certificates for it")
    return CAA_MISSING.passed(apex, "CAA " + "; ".join(answer.records), exercised={"dns_answers": 1})


def _dnssec(apex: str, dnskey: DnsAnswer | str, ds: DnsAnswer | str) -> Finding:
    if isinstance(dnskey, str):
        return DNSSEC.unverifiable(apex, dnskey)
    has_ds = not isinstance(ds, str) and bool(ds.records)
    if dnskey.records:
        parent = "yes" if has_ds else "not seen"
        text = f"{len(dnskey.records)} DNSKEY record(s) at {apex}; DS at the parent: {parent}"
        return DNSSEC.passed(apex, text, exercised={"dns_answers": 1 + int(not isinstance(ds, str))})
    return DNSSEC.warned(apex, f"no DNSKEY at {apex}: the zone is not signed (information only)")
