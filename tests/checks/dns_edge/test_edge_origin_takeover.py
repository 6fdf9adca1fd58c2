"""Edge detection, origin strictness and provider-page takeover against real loopback servers."""

from __future__ import annotations

import random
import ssl
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import trustme
from aiohttp import web
from zone_fixture import DOMAIN, base_records

from launchready.checks.dns_edge.edge import EdgeDetection
from launchready.checks.dns_edge.origin import OriginStrict
from launchready.checks.dns_edge.takeover import DanglingRecords
from launchready.config import LaunchConfig
from launchready.engine import AuditRun, RunOptions, run_audit
from launchready.findings import Status
from launchready.lab.dns_server import DnsServer, Zone, ZoneRecord

GITHUB_404 = "<h1>404</h1><p>There isn't a GitHub Pages site here.</p>"


def _address() -> str:
    return f"127.{random.randint(1, 254)}.{random.randint(1, 254)}.{random.randint(2, 254)}"


@asynccontextmanager
async def https_server(
    address: str, port: int, context: ssl.SSLContext, pages: dict[str, tuple[int, dict[str, str], str]]
) -> AsyncIterator[int]:
    """Answer each Host with (status, headers, body); port 0 picks one."""

    async def handle(request: web.Request) -> web.Response:
        status, headers, body = pages.get(request.host.split(":")[0], (404, {}, "no such host"))
        return web.Response(status=status, headers=headers, text=body)

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, address, port, ssl_context=context)
    await site.start()
    try:
        yield runner.addresses[0][1]
    finally:
        await runner.cleanup()


def _context(ca: trustme.CA, *names: str) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert(*names).configure_cert(context)
    return context


async def _audit(
    tmp_path: Path,
    ca: trustme.CA,
    records: list[ZoneRecord],
    port: int,
    config: dict[str, object],
    *checks: object,
) -> AuditRun:
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    zone = Zone(origins=(DOMAIN,), records=[*(r for r in base_records() if r.rdtype != "A"), *records])
    with DnsServer(zone, host=_address()) as dns:
        launch = LaunchConfig.model_validate(
            {
                "product": {"name": "E", "domain": DOMAIN, "subdomains": ["cdn", "bare"]},
                "network": {"https_port": port},
                **config,
            }
        )
        return await run_audit(
            launch, list(checks), RunOptions(deadline_s=20, nameserver=dns.address, ca_bundle=str(ca_file))
        )  # type: ignore[arg-type]


async def test_edge_is_detected_from_headers_and_missing_edge_warns(tmp_path: Path) -> None:
    ca = trustme.CA()
    address = _address()
    pages = {
        DOMAIN: (200, {"Server": "cloudflare", "CF-Ray": "8a-AMS"}, "hi"),
        f"www.{DOMAIN}": (301, {"Location": f"https://{DOMAIN}/", "Server": "cloudflare"}, ""),
        f"cdn.{DOMAIN}": (200, {"X-Amz-Cf-Id": "abc"}, "hi"),
        f"bare.{DOMAIN}": (200, {"Server": "nginx"}, "hi"),
    }
    records = [ZoneRecord(name, "A", address) for name in (DOMAIN, f"cdn.{DOMAIN}", f"bare.{DOMAIN}")]
    async with https_server(address, 0, _context(ca, *pages), pages) as port:
        run = await _audit(tmp_path, ca, records, port, {}, EdgeDetection())
    found = {f.target: f for f in run.findings}
    assert found[DOMAIN].status is Status.PASS and found[DOMAIN].details["edge"] == "Cloudflare"
    assert found[f"cdn.{DOMAIN}"].details["edge"] == "Amazon CloudFront"
    assert found[f"bare.{DOMAIN}"].status is Status.WARN
    assert run.artifacts["edges"][f"bare.{DOMAIN}"] is None


async def test_origin_not_strict_and_bypassable_then_locked_down(tmp_path: Path) -> None:
    ca, other_ca = trustme.CA(), trustme.CA()
    edge, origin = _address(), _address()
    page = {DOMAIN: (200, {}, "the site")}
    async with https_server(edge, 0, _context(ca, DOMAIN, f"www.{DOMAIN}"), page) as port:
        # the origin listens on the same port at its own address, with a certificate no client trusts
        async with https_server(origin, port, _context(other_ca, DOMAIN), page):
            records = [ZoneRecord(DOMAIN, "A", edge)]
            config = {"hosts": {DOMAIN: {"origin": origin}}}
            run = await _audit(tmp_path, ca, records, port, config, OriginStrict())
        statuses = {f.rule_id: f.status for f in run.findings}
        assert statuses == {"edge.origin.not-strict": Status.FAIL, "edge.origin.bypassable": Status.FAIL}
        assert all(origin in f.target for f in run.findings)

        async with https_server(origin, port, _context(ca, DOMAIN), {DOMAIN: (403, {}, "edge only")}):
            run = await _audit(tmp_path, ca, records, port, config, OriginStrict())
        statuses = {f.rule_id: f.status for f in run.findings}
        assert statuses == {"edge.origin.not-strict": Status.PASS, "edge.origin.bypassable": Status.PASS}


async def test_cname_to_an_unclaimed_provider_page_is_a_takeover(tmp_path: Path) -> None:
    ca = trustme.CA()
    address = _address()
    pages = {f"promo.{DOMAIN}": (404, {}, GITHUB_404), DOMAIN: (200, {}, "hi")}
    records = [
        ZoneRecord(f"promo.{DOMAIN}", "CNAME", f"pages-target.{DOMAIN}."),
        ZoneRecord(f"pages-target.{DOMAIN}", "A", address),
        ZoneRecord(DOMAIN, "A", address),
    ]
    async with https_server(address, 0, _context(ca, *pages), pages) as port:
        run = await _audit(
            tmp_path,
            ca,
            records,
            port,
            {"product": {"name": "E", "domain": DOMAIN, "subdomains": ["promo"]}},
            DanglingRecords(),
        )
    promo = next(f for f in run.findings if f.target == f"promo.{DOMAIN}")
    assert promo.status is Status.FAIL
    assert "GitHub Pages" in promo.evidence
