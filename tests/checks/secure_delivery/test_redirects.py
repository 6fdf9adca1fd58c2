"""Redirect policy against real listeners: path kept, canonical host enforced, chains, loops, off-site "
"hops."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from minisite import Page, SiteHost

from launchready.checks.secure_delivery.canonical_link import CanonicalLink
from launchready.checks.secure_delivery.redirects import RedirectPolicy, same_url
from launchready.engine import AuditRun
from launchready.findings import Status

HOME = '<html><head><link rel="canonical" href="https://{canon}:{port}/"></head><body>hi</body></html>'


def statuses(run: AuditRun, rule: str) -> dict[str, Status]:
    return {f.target: f.status for f in run.findings if f.rule_id == rule}


def redirect(to: str, status: int = 301) -> Page:
    return Page(status=status, headers={"Location": to})


async def test_well_configured_product_passes(minisite: Callable[..., Any]) -> None:
    hosts = {
        "ok.test": SiteHost(
            default=Page(body=HOME.replace("{canon}", "ok.test").replace("{port}", "{https_port}"))
        ),
        "www.ok.test": SiteHost(default=redirect("https://ok.test:{https_port}/")),
    }
    async with minisite("ok.test", hosts) as site:
        # the canonical link carries the real port, so rebuild the page with it
        hosts["ok.test"].default.body = HOME.format(canon="ok.test", port=site.config.network.https_port)
        run = await site.audit(RedirectPolicy(), CanonicalLink())
    problems = [f"{f.rule_id} {f.target}: {f.evidence}" for f in run.findings if f.status is not Status.PASS]
    assert problems == []


async def test_each_redirect_mistake_is_found(minisite: Callable[..., Any]) -> None:
    hosts = {
        # apex and www both serve pages: mixed versions; canonical link names www
        "mix.test": SiteHost(default=Page(body='<link rel="canonical" href="https://www.mix.test/">')),
        "www.mix.test": SiteHost(),
        # http → https://host/ drops the path
        "app.mix.test": SiteHost(http="root"),
        # three hops on the same host
        "long.mix.test": SiteHost(
            pages={
                "/": redirect("/a"),
                "/a": redirect("/b"),
                "/b": redirect("/c"),
            }
        ),
        # a loop
        "loop.mix.test": SiteHost(pages={"/": redirect("/x"), "/x": redirect("/")}),
        # off to another site
        "help.mix.test": SiteHost(pages={"/": redirect("https://helpdesk.vendor.test/mix", 302)}),
    }
    config = {"product": {"name": "M", "domain": "mix.test", "subdomains": ["app", "long", "loop", "help"]}}
    async with minisite("mix.test", hosts, config) as site:
        run = await site.audit(RedirectPolicy(), CanonicalLink())
    assert statuses(run, "http.canonical.not-enforced") == {"www.mix.test": Status.FAIL}
    assert statuses(run, "html.canonical.link") == {"mix.test": Status.FAIL}
    assert statuses(run, "http.redirect.path-dropped")["app.mix.test"] is Status.FAIL
    assert statuses(run, "http.redirect.path-dropped")["mix.test"] is Status.PASS
    chain = statuses(run, "http.redirect.chain")
    assert chain["long.mix.test"] is Status.FAIL and chain["loop.mix.test"] is Status.FAIL
    assert chain["mix.test"] is Status.PASS
    offsite = statuses(run, "http.redirect.offsite")
    assert offsite["help.mix.test"] is Status.FAIL and offsite["mix.test"] is Status.PASS
    mixed = next(f for f in run.findings if f.rule_id == "http.canonical.not-enforced")
    assert "mixed versions" in mixed.evidence


async def test_allowed_off_site_target_is_not_flagged(minisite: Callable[..., Any]) -> None:
    hosts = {"fine.test": SiteHost(pages={"/": redirect("https://status.vendor.test/", 302)})}
    config = {"surface": {"allowed_redirect_hosts": ["status.vendor.test"]}}
    async with minisite("fine.test", hosts, config) as site:
        run = await site.audit(RedirectPolicy())
    assert statuses(run, "http.redirect.offsite")["fine.test"] is Status.PASS


def test_same_url_makes_default_ports_explicit() -> None:
    assert same_url("https://a.test/", "https://a.test:443/")
    assert not same_url("https://a.test/?x=1", "https://a.test/")
