"""Shared, memoised look-ups of the targets every check starts from.

Checks call these instead of the resolver directly so a run asks each DNS question once, however many checks
look at it, and a host that does not resolve turns into the same ``unverifiable`` reason everywhere. The
resolver's own cache only helps questions asked after an answer came back: at the start of a run every check
asks about the same hosts at once, and each of those concurrent misses went to the wire (about 0.8 ms of
CPU each in dnspython, the largest per-host cost of a loopback audit after the TLS handshakes).
"""

from __future__ import annotations

import asyncio

from launchready.engine.context import CheckContext
from launchready.net import DnsAnswer, NetError


class HostUnreachable(NetError):
    """The host has no address, or DNS could not say; the message is the reason for ``unverifiable``."""


async def dns_query(ctx: CheckContext, name: str, rdtype: str = "A") -> DnsAnswer:
    """``ctx.resolver.query(name, rdtype)``, asked once per run (its answer or its error is shared)."""
    qname = name.rstrip(".").lower()
    return await ctx.once(f"dns:{qname}:{rdtype}", lambda: ctx.resolver.query(qname, rdtype))


async def host_addresses(ctx: CheckContext, host: str) -> tuple[str, ...]:
    """A and AAAA addresses of ``host``, resolved once per run; raises ``NetError`` when DNS can't tell."""

    async def both() -> tuple[str, ...]:
        a, aaaa = await asyncio.gather(dns_query(ctx, host, "A"), dns_query(ctx, host, "AAAA"))
        return (*a.records, *aaaa.records)

    return await ctx.once("addresses:" + host, both)


async def require_addresses(ctx: CheckContext, host: str) -> tuple[str, ...]:
    """Like ``host_addresses`` but raises ``HostUnreachable`` when the host has no address."""
    addresses = await host_addresses(ctx, host)
    if not addresses:
        raise HostUnreachable(f"{host} does not resolve, so it cannot be checked")
    return addresses
