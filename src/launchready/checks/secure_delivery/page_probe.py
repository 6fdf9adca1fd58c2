"""The shared homepage probe of each host, and the bot-protection filter in front of every header rule.

Every header, cookie, caching and grade rule reads the same ``GET https://host/``: it is fetched once per
run through ``ctx.fetch_once`` (the HSTS spine check uses the same key), so ten hosts cost ten requests, not
ten per rule. A 403/429/503 from a bot-protection layer (a challenge page, ``cf-mitigated``...) carries the
challenge's headers, not the site's: grading it would be a false verdict either way, so such a probe is
*unverifiable*, with the vendor and the response line as evidence (issue 3, "Bot protection and odd servers").
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin

from launchready.checks.dns_edge.fingerprints import bot_vendors
from launchready.checks.targets import require_addresses
from launchready.engine.context import CheckContext
from launchready.net import HttpResponse, NetError
from launchready.net.http import host_of

_BLOCK_STATUSES = frozenset({403, 429, 503})


@dataclass(frozen=True)
class BotBlock:
    vendor: str
    evidence: str


def bot_block(response: HttpResponse) -> BotBlock | None:
    """The bot-protection vendor that answered instead of the site, when the response is a block/challenge."""
    if response.status not in _BLOCK_STATUSES:
        return None
    body = response.body[:65536].decode("utf-8", errors="replace")
    for vendor in bot_vendors():
        for sign in vendor.headers:
            line = sign.seen_in(response.headers)
            if line is not None:
                return BotBlock(vendor.name, f"{response.status} {response.reason} with `{line}`")
        for marker in vendor.body:
            if marker in body:
                return BotBlock(vendor.name, f"{response.status} {response.reason}; page contains {marker!r}")
    return None


@dataclass(frozen=True)
class PageProbe:
    """What ``GET url`` gave, or why it cannot be judged (``reason``)."""

    host: str
    url: str
    response: HttpResponse | None
    reason: str | None = None
    evidence: str = ""
    redirects_to: str | None = None
    """Set when the host only redirects to another host: content rules are judged there, not here."""

    @property
    def usable(self) -> bool:
        return self.response is not None and self.reason is None


def judge(host: str, url: str, response: HttpResponse) -> PageProbe:
    """Turn a response into a probe, marking bot-protection blocks and server errors as unusable."""
    block = bot_block(response)
    if block is not None:
        return PageProbe(
            host,
            url,
            response,
            reason=f"bot protection ({block.vendor}) answered instead of the site; its headers are not the "
            f"site's",
            evidence=f"GET {url} → {block.evidence}",
        )
    if response.status >= 500:
        return PageProbe(
            host,
            url,
            response,
            reason=f"the server answered {response.status}; an error page's headers may not be the site's",
            evidence=f"GET {url} → {response.status} {response.reason}",
        )
    return PageProbe(host, url, response)


async def fetch_page(ctx: CheckContext, host: str, path: str = "/", scheme: str = "https") -> PageProbe:
    """The shared GET of ``scheme://host/path`` (no redirects followed), judged."""
    url = ctx.config.url(host, path, scheme=scheme)
    try:
        await require_addresses(ctx, host)
        response: HttpResponse = await ctx.fetch_once(url)
    except NetError as exc:
        return PageProbe(host, url, None, reason=str(exc), evidence=str(exc))
    return judge(host, url, response)


async def homepage(ctx: CheckContext, host: str) -> PageProbe:
    """The host's ``/`` as served (a redirect stays a redirect): for HSTS, banners, edge headers."""
    return await fetch_page(ctx, host, "/")


async def content_page(ctx: CheckContext, host: str) -> PageProbe:
    """The page a visitor of ``https://host/`` lands on: redirects on the same host are followed.

    A host that redirects elsewhere (www → apex) gets ``redirects_to`` set, so the content rules (CSP,
    framing, cookies...) are ``not_assessed`` there ("judged elsewhere", ``judged_elsewhere``) instead of
    grading a bodiless 301, and earn no readiness credit for a page they never read.
    """
    probe = await homepage(ctx, host)
    if not probe.usable or probe.response is None or not probe.response.is_redirect:
        return probe
    target = urljoin(probe.url, probe.response.header("location") or "")
    if host_of(target) != host.lower():  # judged where it lands; never fetched from here (may be off-site)
        hop = f"{probe.url} → {probe.response.status} {target}"
        return PageProbe(host, probe.url, probe.response, redirects_to=target, evidence=hop)
    try:
        final: HttpResponse = await ctx.fetch_once(probe.url, follow_redirects=True)
    except NetError as exc:
        return PageProbe(host, probe.url, None, reason=str(exc), evidence=str(exc))
    if host_of(final.url) != host.lower():
        return PageProbe(host, probe.url, final, redirects_to=final.url, evidence=_chain(final))
    judged = judge(host, final.url, final)
    return judged


def judged_elsewhere(host: str, probe: PageProbe) -> str:
    """The not-assessed reason of a content rule on a host that only redirects to another host."""
    return (
        f"judged elsewhere: {host} only redirects to {probe.redirects_to} ({probe.evidence}); the page rules "
        "apply where it lands"
    )


def _chain(response: HttpResponse) -> str:
    hops = [f"{hop.url} → {hop.status}" for hop in response.history]
    return " → ".join([*hops, f"{response.url} {response.status}"])
