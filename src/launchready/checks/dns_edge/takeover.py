"""Dangling records and subdomain takeover: a CNAME to a name that no longer exists, or to a hosting
provider whose page says the resource does not exist (anyone can then claim it and serve content on the
product's domain). Provider fingerprints are data (``checks/data/takeover.toml``).
"""

from __future__ import annotations

import asyncio

from launchready.checks.dns_edge.fingerprints import TakeoverProvider, provider_for_cname, takeover_providers
from launchready.checks.dns_edge.inventory import inventory
from launchready.checks.interface import Check
from launchready.checks.targets import dns_query
from launchready.engine.context import CheckContext
from launchready.findings import Finding
from launchready.net import DnsStatus, HttpResponse, NetError
from launchready.rules import rule

DANGLING = rule("dns.cname.dangling")


class DanglingRecords(Check):
    name = "dns.takeover"
    rules = (DANGLING,)

    async def run(self, ctx: CheckContext) -> list[Finding]:
        found = await inventory(ctx)
        names = [*ctx.config.public_hosts, *(f.name for f in found.found)]
        return list(await asyncio.gather(*(self._name(ctx, name) for name in dict.fromkeys(names))))

    async def _name(self, ctx: CheckContext, name: str) -> Finding:
        try:
            answer = await dns_query(ctx, name, "A")
        except NetError as exc:
            return DANGLING.unverifiable(name, str(exc))
        if not answer.cname_chain:
            what = "does not exist" if answer.status is DnsStatus.NXDOMAIN else "has no CNAME"
            return DANGLING.passed(
                name, f"{name} {what}: nothing points elsewhere", exercised={"dns_answers": 1}
            )
        chain = " → ".join((name, *answer.cname_chain))
        target = answer.cname_chain[-1]
        if answer.status is DnsStatus.NXDOMAIN:
            # RFC 6604: NXDOMAIN with the chain in the answer section speaks of its last name, the target.
            return _dangling(name, chain, target)
        try:
            final = await dns_query(ctx, target, "A")
        except NetError as exc:
            return DANGLING.unverifiable(name, f"{chain}: {exc}")
        if final.status is DnsStatus.NXDOMAIN:
            return _dangling(name, chain, final.cname_chain[-1] if final.cname_chain else target)
        provider = next((p for t in answer.cname_chain if (p := provider_for_cname(t))), None)
        page = await _page(ctx, name)
        if isinstance(page, str):
            if provider is not None:
                return DANGLING.unverifiable(
                    name, f"{chain} ({provider.name}); its page could not be read: {page}"
                )
            return DANGLING.passed(
                name,
                f"{chain}: target exists ({', '.join(final.records) or 'no address'})",
                exercised={"dns_answers": 2},
            )
        hit = _unclaimed(page, provider)
        if hit is not None:
            who, marker = hit
            return DANGLING.failed(
                name,
                f"{chain}: {page.url} → {page.status} shows {who}'s unclaimed-resource page ({marker!r})",
                details={"chain": chain, "provider": who},
            )
        return DANGLING.passed(
            name,
            f"{chain}: target exists and serves {page.status}",
            exercised={"dns_answers": 2, "pages_read": 1},
        )


def _dangling(name: str, chain: str, missing: str) -> Finding:
    """A CNAME chain that ends at a name that does not exist: the record must go (or the resource return)."""
    first = chain.split(" → ")[1]
    fix = DANGLING.fix.model_copy(
        update={
            "summary": f"Delete the CNAME {name} → {first} now (or re-create {missing} at its provider) before "
            "someone else claims it.",
            "snippets": {"zone-file": f"; delete this record:\n; {name}.  300  IN  CNAME  {first}."},
        }
    )
    return DANGLING.failed(
        name,
        f"{chain}: {missing} does not exist (NXDOMAIN)",
        details={"chain": chain, "missing": missing},
        fix=fix,
    )


async def _page(ctx: CheckContext, name: str) -> HttpResponse | str:
    errors = []
    for scheme in ("https", "http"):
        url = ctx.config.url(name, "/", scheme)
        try:
            response: HttpResponse = await ctx.fetch_once(url)
            return response
        except NetError as exc:
            errors.append(str(exc))
    return "; ".join(errors)


def _unclaimed(page: HttpResponse, provider: TakeoverProvider | None) -> tuple[str, str] | None:
    body = page.body[:65536].decode("utf-8", errors="replace")
    candidates = (provider,) if provider is not None else takeover_providers()
    for candidate in candidates:
        for marker in candidate.body:
            if marker in body:
                return candidate.name, marker
    return None
