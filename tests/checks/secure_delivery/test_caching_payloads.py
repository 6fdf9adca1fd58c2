"""Caching and payload rules: uncacheable assets, cookies on public caches, compression and sizes."""

from __future__ import annotations

import socket
from collections.abc import Callable
from typing import Any

from minisite import Page, SiteHost

from launchready.checks.secure_delivery.caching import Caching, shared_cacheable
from launchready.checks.secure_delivery.payloads import Payloads
from launchready.findings import Status

PAGE = (
    '<html><head><script src="/assets/app.js"></script><link rel="stylesheet" href="/assets/app.css">'
    '<script src="https://cdn.elsewhere.test/x.js"></script></head><body>' + "hello " * 400 + "</body></html>"
)


async def test_flawed_and_sound_delivery(minisite: Callable[..., Any]) -> None:
    hosts = {
        "fast.test": SiteHost(
            pages={
                "/": Page(
                    body=PAGE,
                    compress=True,
                    headers={
                        "Set-Cookie": "sid=1; Secure; HttpOnly; SameSite=Lax",
                        "Cache-Control": "private, no-store",
                    },
                ),
                "/assets/app.js": Page(
                    body="x" * 5000,
                    content_type="application/javascript",
                    compress=True,
                    headers={"Cache-Control": "public, max-age=31536000, immutable"},
                ),
                "/assets/app.css": Page(
                    body="b{}" * 500, content_type="text/css", compress=True, headers={"ETag": '"v1"'}
                ),
            }
        ),
        "slow.fast.test": SiteHost(
            pages={
                "/": Page(
                    body=PAGE,
                    headers={
                        "Set-Cookie": "session=1; Secure; HttpOnly; SameSite=Lax",
                        "Cache-Control": "public, max-age=600",
                    },
                ),
                "/assets/app.js": Page(body="y" * 9000, content_type="application/javascript"),
                "/assets/app.css": Page(body="b{}", content_type="text/css"),
            }
        ),
    }
    config = {
        "product": {"name": "F", "domain": "fast.test", "subdomains": ["slow"]},
        "surface": {"max_script_bytes": 8000},
    }
    async with minisite("fast.test", hosts, config) as site:
        run = await site.audit(Caching(), Payloads())
    found = {
        (f.rule_id, f.target.split("://")[-1].split(":")[0] + "/" + f.target.rsplit("/", 1)[-1]): f.status
        for f in run.findings
    }
    by_target: dict[str, dict[str, Status]] = {}
    for f in run.findings:
        by_target.setdefault(f.target, {})[f.rule_id] = f.status
    assert found
    https = site.config.network.https_port
    fast_js = f"https://fast.test:{https}/assets/app.js"
    slow_js = f"https://slow.fast.test:{https}/assets/app.js"
    assert by_target[fast_js]["cache.static.uncached"] is Status.PASS
    assert by_target[f"https://fast.test:{https}/assets/app.css"]["cache.static.uncached"] is Status.WARN
    assert by_target[slow_js]["cache.static.uncached"] is Status.FAIL
    assert by_target["slow.fast.test"]["cache.cookie.public"] is Status.FAIL
    assert by_target["fast.test"]["cache.cookie.public"] is Status.PASS
    assert by_target[fast_js]["http.compression.missing"] is Status.PASS
    assert by_target[slow_js]["http.compression.missing"] is Status.FAIL
    assert by_target[slow_js]["http.payload.oversized"] is Status.FAIL
    assert by_target[fast_js]["http.payload.oversized"] is Status.PASS
    oversized = next(f for f in run.findings if f.rule_id == "http.payload.oversized" and f.target == slow_js)
    assert "9,000 bytes" in oversized.evidence
    assert not any(
        "cdn.elsewhere.test" in f.target for f in run.findings
    )  # third-party assets are not fetched


def test_shared_cacheable() -> None:
    assert shared_cacheable("public, max-age=60")
    assert shared_cacheable("s-maxage=60")
    assert shared_cacheable("max-age=60")
    assert not shared_cacheable("private, max-age=60")
    assert not shared_cacheable("no-store")
    assert not shared_cacheable(None)


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_static_caching_is_unverifiable_when_no_page_could_be_fetched(
    minisite: Callable[..., Any],
) -> None:
    """Negative test: with every host unreachable the old check found no asset and passed ("no same-site
    scripts, styles or cacheable routes")."""
    hosts = {"down.test": SiteHost(default=Page(body=PAGE))}
    async with minisite("down.test", hosts) as site:
        network = site.config.network.model_copy(update={"https_port": _closed_port()})
        site.config = site.config.model_copy(update={"network": network})
        run = await site.audit(Caching())
    static = [f for f in run.findings if f.rule_id == "cache.static.uncached"]
    assert [f.status for f in static] == [Status.UNVERIFIABLE], [f.evidence for f in static]
    assert "no landing page could be fetched" in (static[0].reason or "")


async def test_nothing_to_judge_is_not_assessed(minisite: Callable[..., Any]) -> None:
    """A page with no asset, no cookie and a small body: each rule says why it has nothing to judge."""
    hosts = {"bare.test": SiteHost(default=Page(body="<html><body>hi</body></html>"))}
    async with minisite("bare.test", hosts) as site:
        run = await site.audit(Caching(), Payloads())
    statuses = {f.rule_id: f.status for f in run.findings if "www." not in f.target}  # www is not served
    assert statuses["cache.static.uncached"] is Status.NOT_ASSESSED
    assert statuses["cache.cookie.public"] is Status.NOT_ASSESSED
    assert statuses["http.compression.missing"] is Status.NOT_ASSESSED  # under 1 KiB: does not apply
    assert statuses["http.payload.oversized"] is Status.PASS
