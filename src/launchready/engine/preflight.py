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
PREFLIGHT_BUDGET_S = 2.5


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
    """``None`` when DNS answers; otherwise the one root-cause finding every network check will name.

    The apex and the root are asked at once, so a dead resolver costs one budget, not two.
    """
    apex = ctx.config.apex

    async def ask(name: str, rdtype: str, refused_is_answer: bool) -> tuple[bool, str]:
        try:
            async with asyncio.timeout(budget_s):
                return await _answers(ctx.resolver, name, rdtype, refused_is_answer=refused_is_answer)
        except TimeoutError:
            return False, f"no DNS answer within {budget_s:g}s"

    apex_task = asyncio.ensure_future(ask(apex, "SOA", False))
    root_task = asyncio.ensure_future(ask(".", "NS", True))
    apex_ok, apex_what = await apex_task
    if apex_ok:
        root_task.cancel()
        return None
    root_ok, root_what = await root_task
    if root_ok:
        return None
    where = f"the nameserver {ctx.resolver.nameserver}" if ctx.resolver.nameserver else "the system resolver"
    return DNS_UNAVAILABLE.unverifiable(
        apex,
        f"no DNS answers at all from {where}: {apex} SOA: {apex_what}; the root zone: {root_what}",
        details={"apex": apex_what, "root": root_what, "resolver": where},
    )
