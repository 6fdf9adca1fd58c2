"""Shared, memoised look-ups of the targets every check starts from.

Checks call these instead of the resolver directly so a run resolves each host once, however many checks
look at it, and a host that does not resolve turns into the same ``unverifiable`` reason everywhere.
"""

from __future__ import annotations

from launchready.engine.context import CheckContext
from launchready.net import NetError


class HostUnreachable(NetError):
    """The host has no address, or DNS could not say; the message is the reason for ``unverifiable``."""


async def host_addresses(ctx: CheckContext, host: str) -> tuple[str, ...]:
    """A and AAAA addresses of ``host``, resolved once per run; raises ``NetError`` when DNS can't tell."""
    return await ctx.once("addresses:" + host, lambda: ctx.resolver.addresses(host))


async def require_addresses(ctx: CheckContext, host: str) -> tuple[str, ...]:
    """Like ``host_addresses`` but raises ``HostUnreachable`` when the host has no address."""
    addresses = await host_addresses(ctx, host)
    if not addresses:
        raise HostUnreachable(f"{host} does not resolve, so it cannot be checked")
    return addresses
