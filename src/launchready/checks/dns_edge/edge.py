"""Which edge (CDN/WAF) fronts each host, from response headers, published address ranges and CNAMEs.

A public host served straight from one origin has no DDoS absorption, no WAF and no cache in front of it: the
first traffic spike or attack reaches the server (roadmap stage 2, "edge in front of every public host").
Fingerprints are data (``checks/data/edges.toml``). A bot-protection challenge counts as evidence of an edge.
"""

from __future__ import annotations

import asyncio

from launchready.checks.dns_edge.fingerprints import edge_for_address, edge_for_cname, edge_for_headers
from launchready.checks.interface import Check
from launchready.checks.secure_delivery.page_probe import bot_block, fetch_page, homepage
from launchready.checks.targets import dns_query, require_addresses
from launchready.engine.context import CheckContext
from launchready.findings import Finding
from launchready.net import NetError
from launchready.rules import rule

NO_EDGE = rule("edge.cdn.missing")


class EdgeDetection(Check):
    name = "edge.detection"
    rules = (NO_EDGE,)

    async def run(self, ctx: CheckContext) -> list[Finding]:
        findings = list(await asyncio.gather(*(self._host(ctx, h) for h in ctx.config.public_hosts)))
        ctx.artifacts["edges"] = {f.target: f.details.get("edge") for f in findings}
        return findings

    async def _host(self, ctx: CheckContext, host: str) -> Finding:
        try:
            addresses = await require_addresses(ctx, host)
            answer = await dns_query(ctx, host, "A")
        except NetError as exc:
            return NO_EDGE.unverifiable(host, str(exc))
        signs: list[tuple[str, str]] = []
        for address in addresses:
            edge = edge_for_address(address)
            if edge:
                signs.append((edge.name, f"{address} is in {edge.name}'s published ranges"))
        for target in answer.cname_chain:
            edge = edge_for_cname(target)
            if edge:
                signs.append((edge.name, f"CNAME {target}"))
        probe = await homepage(ctx, host)
        if probe.response is None:
            # the HTTPS page failed (a bad certificate...): the http:// answer still shows the edge
            probe = await fetch_page(ctx, host, "/", scheme="http")
        if probe.response is not None:
            seen = edge_for_headers(probe.response.headers)
            if seen:
                signs.append((seen[0].name, seen[1]))
            block = bot_block(probe.response)
            if block:
                signs.append((block.vendor, f"bot protection: {block.evidence}"))
        if signs:
            name = signs[0][0]
            return NO_EDGE.passed(
                host,
                f"{name}: " + "; ".join(s for _, s in signs),
                details={"edge": name, "signs": [s for _, s in signs]},
                exercised={"hosts_resolved": 1, "responses_read": int(probe.response is not None)},
            )
        if probe.response is None:
            return NO_EDGE.unverifiable(
                host, f"no edge address or CNAME, and no response to read: {probe.reason}"
            )
        return NO_EDGE.warned(
            host,
            f"{host} ({', '.join(addresses)}) shows no edge: no CDN headers (Server: "
            f"{probe.response.header('server') or '(absent)'}), no edge address range, no edge CNAME",
            details={"edge": None},
        )
