"""Every configured host resolves and accepts connections (roadmap stage 2: apex, www and each expected
subdomain).

Both rules are root causes: a host that does not resolve, or that resolves but accepts no TCP connection on
its HTTPS or its HTTP port, keeps every later check on it from seeing anything, so the report folds their
unverifiable findings under this one. The connect goes to the resolved addresses themselves (at most two,
IPv4 first), one bounded attempt per (address, port), with the run's connect timeout.
"""

from __future__ import annotations

import asyncio

from launchready.checks.dns_edge.reach import Reach, ReachOutcome, tcp_reach
from launchready.checks.interface import Check
from launchready.checks.targets import host_addresses
from launchready.engine.context import CheckContext
from launchready.findings import Finding
from launchready.net import NetError
from launchready.rules import rule

UNRESOLVED = rule("dns.host.unresolved")
UNREACHABLE = rule("dns.host.unreachable")
MAX_ADDRESSES = 2
"""Addresses tried per host: enough to see a dead one beside a live one, bounded for many-address hosts."""


class HostsResolve(Check):
    name = "dns.resolution"
    rules = (UNRESOLVED, UNREACHABLE)
    timeout_s = 20.0

    async def run(self, ctx: CheckContext) -> list[Finding]:
        hosts = ctx.config.public_hosts
        found = await asyncio.gather(*(self._one(ctx, host) for host in hosts))
        return [f for pair in found for f in pair]

    async def _one(self, ctx: CheckContext, host: str) -> tuple[Finding, Finding]:
        try:
            addresses = await host_addresses(ctx, host)
        except NetError as exc:
            reason = f"DNS could not answer: {exc}"
            return UNRESOLVED.unverifiable(host, reason), UNREACHABLE.unverifiable(host, reason)
        if not addresses:
            unresolved = UNRESOLVED.failed(host, f"{host} has no A or AAAA record (NXDOMAIN or empty answer)")
            return unresolved, UNREACHABLE.unverifiable(
                host, f"{host} does not resolve, so there is no address to connect to"
            )
        resolved = UNRESOLVED.passed(
            host,
            f"{host} resolves to {', '.join(addresses)}",
            details={"addresses": list(addresses)},
            exercised={"dns_answers": 2, "addresses": len(addresses)},
        )
        return resolved, await reachable(ctx, host, addresses)


async def reachable(ctx: CheckContext, host: str, addresses: tuple[str, ...]) -> Finding:
    """Pass when some address accepts a TCP connection on the HTTPS or the HTTP port."""
    network = ctx.config.network
    ports = tuple(dict.fromkeys((network.https_port, network.http_port)))
    tried = sorted(addresses, key=lambda a: ":" in a)[:MAX_ADDRESSES]
    reaches: list[Reach] = list(
        await asyncio.gather(*(tcp_reach(a, p, ctx.limits.connect_timeout) for a in tried for p in ports))
    )
    seen = "; ".join(r.describe() for r in reaches)
    details: dict[str, object] = {"connects": [r.describe() for r in reaches]}
    opened = [r for r in reaches if r.outcome is ReachOutcome.OPEN]
    if opened:
        return UNREACHABLE.passed(
            host, f"{host} accepts connections: {seen}", details=details, exercised={"connects": len(opened)}
        )
    if any(r.outcome is ReachOutcome.UNREACHABLE for r in reaches) and not any(
        r.outcome is ReachOutcome.REFUSED for r in reaches
    ):
        return UNREACHABLE.unverifiable(
            host, f"the audit's own network could not route to {host}: {seen}", details=details
        )
    return UNREACHABLE.failed(
        host,
        f"{host} resolves but accepts no connection on port {' or '.join(map(str, ports))}: {seen}",
        details=details,
    )
