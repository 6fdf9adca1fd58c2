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
from launchready.findings import Finding, Fix, Impact, RuleSpec, Severity, Stage
from launchready.net import DnsStatus, HttpResponse, NetError

DANGLING = RuleSpec(
    rule_id="dns.cname.dangling",
    title="Dangling CNAME (subdomain takeover risk)",
    stage=Stage.DNS_EDGE,
    severity=Severity.CRITICAL,
    description="No CNAME points at a name that does not exist (NXDOMAIN) or at a provider resource that is "
    "unclaimed (the provider's 'no such site' page).",
    impact=Impact(launch_delay=1, support_load=2, customer_trust=3),
    fix=Fix(
        summary="Delete the CNAME now (or re-create the resource it points to) before someone else claims "
        "it.",
        steps=(
            "Remove the record at your DNS provider.",
            "If the host is still needed, re-create the app/bucket/site at the provider first, then keep "
            "the CNAME.",
        ),
        snippets={"zone-file": "; delete:\n; old  300  IN  CNAME  old-app.herokuapp.com."},
        references=("https://github.com/EdOverflow/can-i-take-over-xyz",),
    ),
)


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
            return DANGLING.passed(name, f"{name} has no CNAME")
        chain = " → ".join((name, *answer.cname_chain))
        target = answer.cname_chain[-1]
        try:
            final = await dns_query(ctx, target, "A")
        except NetError as exc:
            return DANGLING.unverifiable(name, f"{chain}: {exc}")
        if final.status is DnsStatus.NXDOMAIN:
            return DANGLING.failed(
                name, f"{chain}: {target} does not exist (NXDOMAIN)", details={"chain": chain}
            )
        provider = next((p for t in answer.cname_chain if (p := provider_for_cname(t))), None)
        page = await _page(ctx, name)
        if isinstance(page, str):
            if provider is not None:
                return DANGLING.unverifiable(
                    name, f"{chain} ({provider.name}); its page could not be read: {page}"
                )
            return DANGLING.passed(
                name, f"{chain}: target exists ({', '.join(final.records) or 'no address'})"
            )
        hit = _unclaimed(page, provider)
        if hit is not None:
            who, marker = hit
            return DANGLING.failed(
                name,
                f"{chain}: {page.url} → {page.status} shows {who}'s unclaimed-resource page ({marker!r})",
                details={"chain": chain, "provider": who},
            )
        return DANGLING.passed(name, f"{chain}: target exists and serves {page.status}")


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
