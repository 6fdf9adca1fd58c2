"""Is there any DNS at all? Asked once, before the network checks, so no network means one root cause.

Without this, a machine with no network (or a dead resolver) makes every host "fail to resolve" and every
check on it unverifiable: dozens of risks, certificate advice for hosts nobody reached, and a run that
waits out each check's timeout. Real stub resolvers answer SERVFAIL for everything when they are offline,
so a SERVFAIL for the apex alone is not enough: the DNS root is asked too. A REFUSED from the root means a
server that talks (an authoritative-only server, like the lab's) and the network checks run as usual.
"""

from __future__ import annotations

import asyncio

from launchready.engine.context import CheckContext
from launchready.findings import Finding
from launchready.net import DnsError, DnsResolver
from launchready.net.errors import DnsServerFailure
from launchready.rules import rule

DNS_UNAVAILABLE = rule("engine.dns.unavailable")
PREFLIGHT_BUDGET_S = 4.0


async def _answers(
    resolver: DnsResolver, name: str, rdtype: str, *, refused_is_answer: bool
) -> tuple[bool, str]:
    """(the server spoke, what happened). NXDOMAIN and NODATA are answers."""
    try:
        await resolver.query(name, rdtype)
    except DnsServerFailure as exc:
        return refused_is_answer and exc.rcode == "REFUSED", str(exc)
    except DnsError as exc:
        return False, str(exc)
    return True, "answered"


async def dns_preflight(ctx: CheckContext, budget_s: float = PREFLIGHT_BUDGET_S) -> Finding | None:
    """``None`` when DNS answers; otherwise the one root-cause finding every network check will name."""
    apex = ctx.config.apex
    try:
        async with asyncio.timeout(budget_s):
            apex_ok, apex_what = await _answers(ctx.resolver, apex, "SOA", refused_is_answer=False)
            if apex_ok:
                return None
            root_ok, root_what = await _answers(ctx.resolver, ".", "NS", refused_is_answer=True)
    except TimeoutError:
        apex_what = root_what = f"no DNS answer within {budget_s:g}s"
        root_ok = False
    if root_ok:
        return None
    where = f"the nameserver {ctx.resolver.nameserver}" if ctx.resolver.nameserver else "the system resolver"
    return DNS_UNAVAILABLE.unverifiable(
        apex,
        f"no DNS answers at all from {where}: {apex} SOA: {apex_what}; the root zone: {root_what}",
        details={"apex": apex_what, "root": root_what, "resolver": where},
    )
