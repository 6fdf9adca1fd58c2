"""The static assets and JSON routes the caching and payload rules look at, gathered once per run.

Scripts and stylesheets come from the landing pages of the product's page (non-API) hosts, as the browser
would load them; only assets on the product's own domain are fetched (a third-party CDN is not ours to
judge, and the audit never leaves the product's hosts). JSON routes are the configured GET routes.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from launchready.checks.secure_delivery.canonical_link import head_links
from launchready.checks.secure_delivery.header_policy import is_html
from launchready.checks.secure_delivery.page_probe import PageProbe, content_page
from launchready.engine.context import CheckContext

_MAX_ASSETS = 8


@dataclass(frozen=True)
class Asset:
    url: str
    kind: str
    """``script`` or ``style``."""
    page: str
    """The page that loads it."""


def _on_product(ctx: CheckContext, url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return host == ctx.config.apex or host.endswith("." + ctx.config.apex)


async def page_probes(ctx: CheckContext) -> list[PageProbe]:
    """The landing-page probe of every host that should serve pages (not API hosts), usable or not: a rule
    with nothing to judge tells "no page could be fetched" from "the pages load no asset" with these."""
    hosts = [h for h in ctx.config.public_hosts if not ctx.config.is_api_host(h)]
    return list(await asyncio.gather(*(content_page(ctx, h) for h in hosts)))


async def page_hosts(ctx: CheckContext) -> list[PageProbe]:
    """Landing pages of the hosts that serve pages (not API hosts, not redirect-only hosts)."""
    probes = await page_probes(ctx)
    return [p for p in probes if p.usable and p.redirects_to is None and p.response is not None]


async def page_assets(ctx: CheckContext) -> list[Asset]:
    async def gather() -> list[Asset]:
        assets: dict[str, Asset] = {}
        for probe in await page_hosts(ctx):
            assert probe.response is not None
            if not is_html(probe.response.header("content-type")):
                continue
            links = head_links(probe.response.text)
            for kind, refs in (("script", links.scripts), ("style", links.styles)):
                for ref in refs:
                    url = urljoin(probe.response.url, ref)
                    if _on_product(ctx, url) and url not in assets:
                        assets[url] = Asset(url, kind, probe.response.url)
        return list(assets.values())[:_MAX_ASSETS]

    return await ctx.once("surface:assets", gather)


def json_routes(ctx: CheckContext) -> list[str]:
    """URLs of configured GET routes that need no sign-in (the API responses a visitor's browser loads)."""
    config = ctx.config
    return [
        config.route_url(route)
        for route in config.routes
        if route.method == "GET" and not route.needs_auth and config.is_api_host(config.host_for(route.host))
    ]
