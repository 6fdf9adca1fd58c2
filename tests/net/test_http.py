"""The HTTP seam: every request is capped in size and time, and errors come out typed."""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import trustme
from aiohttp import web

from launchready.lab.dns_server import DnsServer, Zone, ZoneRecord
from launchready.net import (
    DnsResolver,
    HttpClient,
    HttpTimeout,
    Limits,
    TlsProber,
    TlsVerifyError,
    TooManyRedirects,
)
from launchready.net.errors import ConnectError, DnsError


async def _huge(request: web.Request) -> web.StreamResponse:
    response = web.StreamResponse()
    await response.prepare(request)
    chunk = b"x" * 65536
    for _ in range(16 * 1024):  # 1 GiB if anyone read it all
        await response.write(chunk)
    return response


async def _trickle(request: web.Request) -> web.StreamResponse:
    response = web.StreamResponse()
    await response.prepare(request)
    for _ in range(600):
        await response.write(b".")
        await asyncio.sleep(0.2)
    return response


async def _ok(request: web.Request) -> web.Response:
    return web.Response(text="ok", headers={"X-Test": "1"})


async def _loop(request: web.Request) -> web.Response:
    target = "/b" if request.path == "/a" else "/a"
    raise web.HTTPFound(target)


@pytest.fixture
async def server(tmp_path: Path) -> AsyncIterator[tuple[str, int, str]]:
    """One aiohttp server on 127.0.0.1 (HTTP) and one with TLS from a throwaway CA; yields (host, port, ca)."""
    ca = trustme.CA()
    cert = ca.issue_cert("site.test")
    ca_path = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_path))
    app = web.Application()
    app.router.add_get("/huge", _huge)
    app.router.add_get("/trickle", _trickle)
    app.router.add_get("/a", _loop)
    app.router.add_get("/b", _loop)
    app.router.add_get("/ok", _ok)
    runner = web.AppRunner(app)
    await runner.setup()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(context)
    site = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=context)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    yield "127.0.0.1", port, str(ca_path)
    await runner.cleanup()


@pytest.fixture
def nameserver() -> AsyncIterator[str]:
    zone = Zone(
        origins=("site.test",),
        records=[
            ZoneRecord("site.test", "A", "127.0.0.1"),
            ZoneRecord("other.test.site.test", "A", "127.0.0.1"),
        ],
    )
    with DnsServer(zone, "127.0.0.1") as dns:
        yield dns.address  # type: ignore[misc]


def _client(nameserver: str, ca: str | None, **limits: float) -> HttpClient:
    lim = Limits(**limits)  # type: ignore[arg-type]
    return HttpClient(DnsResolver(lim, nameserver=nameserver), lim, ca_bundle=ca)


async def test_body_is_capped_without_reading_a_gigabyte(
    server: tuple[str, int, str], nameserver: str
) -> None:
    _, port, ca = server
    async with _client(nameserver, ca, max_body_bytes=100_000) as http:
        response = await http.fetch(f"https://site.test:{port}/huge")
    assert response.status == 200
    assert response.truncated
    assert len(response.body) == 100_000


async def test_trickling_server_hits_the_request_deadline(
    server: tuple[str, int, str], nameserver: str
) -> None:
    _, port, ca = server
    async with _client(nameserver, ca, request_timeout=1.0, read_timeout=5.0) as http:
        with pytest.raises(HttpTimeout, match="within 1s"):
            await http.fetch(f"https://site.test:{port}/trickle")


async def test_redirect_loop_is_capped(server: tuple[str, int, str], nameserver: str) -> None:
    _, port, ca = server
    async with _client(nameserver, ca, max_redirects=4) as http:
        with pytest.raises(TooManyRedirects, match="more than 4 redirects"):
            await http.fetch(f"https://site.test:{port}/a", follow_redirects=True)
        single = await http.fetch(f"https://site.test:{port}/a")
    assert single.status == 302 and single.header("Location") == "/b"


async def test_tls_details_and_unknown_ca(server: tuple[str, int, str], nameserver: str) -> None:
    _, port, ca = server
    async with _client(nameserver, ca) as http:
        response = await http.fetch(f"https://site.test:{port}/ok")
    assert response.header("x-test") == "1"
    assert response.tls_version in ("TLSv1.2", "TLSv1.3")
    assert response.peer_cert_der
    async with _client(nameserver, None) as http:
        with pytest.raises(TlsVerifyError, match="certificate"):
            await http.fetch(f"https://site.test:{port}/ok")


async def test_name_that_does_not_resolve_is_a_dns_error(nameserver: str) -> None:
    async with _client(nameserver, None) as http:
        with pytest.raises(DnsError, match="does not resolve"):
            await http.fetch("http://missing.site.test/")


async def test_connection_refused_is_a_connect_error(nameserver: str) -> None:
    async with _client(nameserver, None) as http:
        with pytest.raises(ConnectError):
            await http.fetch("http://site.test:9/")  # discard port: nothing listens on loopback


async def test_tls_prober_reports_the_presented_chain_even_when_untrusted(
    server: tuple[str, int, str], nameserver: str
) -> None:
    _, port, _ = server
    prober = TlsProber(DnsResolver(nameserver=nameserver))
    observation = await prober.observe("site.test", port)
    assert not observation.verified
    assert observation.verify_error and "issuer" in observation.verify_error
    assert observation.leaf_der and observation.chain_der[0] == observation.leaf_der
    assert await prober.accepts_version("site.test", "TLSv1.2", port)


async def test_tls_prober_returns_the_whole_presented_chain(tmp_path: Path) -> None:
    root = trustme.CA()
    intermediate = root.create_child_ca()
    leaf = intermediate.issue_cert("chain.test")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    leaf.configure_cert(context)  # serves leaf + intermediate
    server = await asyncio.start_server(lambda r, w: w.close(), "127.0.0.1", 0, ssl=context)
    port = server.sockets[0].getsockname()[1]
    ca_path = tmp_path / "root.pem"
    root.cert_pem.write_to_path(str(ca_path))
    zone = Zone(origins=("chain.test",), records=[ZoneRecord("chain.test", "A", "127.0.0.1")])
    try:
        with DnsServer(zone, "127.0.0.1") as dns:
            prober = TlsProber(DnsResolver(nameserver=dns.address), ca_bundle=str(ca_path))
            observation = await prober.observe("chain.test", port)
    finally:
        server.close()
    assert observation.verified
    assert len(observation.chain_der) == 2
