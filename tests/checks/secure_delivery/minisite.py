"""A small multi-host site on loopback for the surface checks: real HTTP and HTTPS listeners, a trustme CA,
and the lab's DNS server answering every name with the site's address.

Each test describes the hosts it needs (``Page`` per host and path) and runs real checks against them; the
full lab's planted risks are covered by ``tests/test_roadmap_audit.py``.
"""

from __future__ import annotations

import random
import ssl
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import trustme
from aiohttp import web

from launchready.checks.interface import Check
from launchready.config import LaunchConfig
from launchready.engine import AuditRun, RunOptions, run_audit
from launchready.lab.dns_server import DnsServer, Zone, ZoneRecord


@dataclass
class Page:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: str | bytes = "<html><head><title>ok</title></head><body>ok</body></html>"
    content_type: str = "text/html; charset=utf-8"
    compress: bool = False


@dataclass
class SiteHost:
    pages: dict[str, Page] = field(default_factory=dict)
    http: str = "redirect"
    """``redirect`` (301 to https keeping the path), ``root`` (301 to https://host/), or ``serve``."""
    default: Page = field(default_factory=Page)


@dataclass
class MiniSite:
    config: LaunchConfig
    options: RunOptions
    address: str

    async def audit(self, *checks: Check) -> AuditRun:
        return await run_audit(self.config, list(checks), self.options)


def _handler(hosts: dict[str, SiteHost], scheme: str, ports: dict[str, int]) -> Callable[[web.Request], Any]:
    async def handle(request: web.Request) -> web.StreamResponse:
        name = (request.host or "").split(":")[0].lower()
        host = hosts.get(name)
        if host is None:
            return web.Response(status=404, text="unknown host")
        if scheme == "http" and host.http != "serve":
            port = ports["https"]
            path = request.path_qs if host.http == "redirect" else "/"
            raise web.HTTPMovedPermanently(f"https://{name}:{port}{path}")
        page = host.pages.get(request.path, host.default)
        body = page.body.encode() if isinstance(page.body, str) else page.body
        headers = {k: v.replace("{https_port}", str(ports["https"])) for k, v in page.headers.items()}
        response = web.Response(status=page.status, body=body, headers=headers)
        response.content_type = page.content_type.split(";")[0]
        if page.compress:
            response.enable_compression()
        return response

    return handle


@asynccontextmanager
async def serve_site(
    tmp_path: Path,
    domain: str,
    hosts: dict[str, SiteHost],
    config: dict[str, Any],
    extra: Sequence[ZoneRecord] = (),
) -> AsyncIterator[MiniSite]:
    address = f"127.{random.randint(1, 254)}.{random.randint(1, 254)}.{random.randint(2, 254)}"
    ca = trustme.CA()
    cert = ca.issue_cert(*hosts)
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(server_context)
    runners = []
    ports: dict[str, int] = {}
    for scheme in ("http", "https"):
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", _handler(hosts, scheme, ports))
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, address, 0, ssl_context=server_context if scheme == "https" else None)
        await site.start()
        ports[scheme] = runner.addresses[0][1]
        runners.append(runner)
    zone = Zone(
        origins=(domain,),
        records=[
            ZoneRecord(domain, "SOA", f"ns1.{domain}. hostmaster.{domain}. 1 3600 600 86400 300"),
            ZoneRecord(domain, "NS", f"ns1.{domain}."),
            *(ZoneRecord(name, "A", address) for name in hosts),
            *extra,
        ],
    )
    dns = DnsServer(zone, host=address)
    dns.start()
    full = {
        "product": {"name": "Mini", "domain": domain, "subdomains": []},
        **config,
        "network": {"http_port": ports["http"], "https_port": ports["https"]},
    }
    try:
        yield MiniSite(
            LaunchConfig.model_validate(full),
            RunOptions(deadline_s=30, nameserver=dns.address, ca_bundle=str(ca_file)),
            address,
        )
    finally:
        dns.stop()
        for runner in runners:
            await runner.cleanup()
