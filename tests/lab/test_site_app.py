"""The generic site server honours each ``SiteProfile`` knob: redirects, routes, CORS, gzip, backend."""

from __future__ import annotations

import gzip

import httpx
from fastapi import FastAPI

from launchready.lab.site_app import SiteApp
from launchready.lab.sites import BackendMount, Cors, RedirectRule, Route, SiteProfile


def _backend() -> FastAPI:
    api = FastAPI()

    @api.get("/v1/ping")
    async def ping() -> dict[str, str]:
        return {"pong": "yes"}

    return api


async def _get(app: SiteApp, url: str, **kw: object) -> httpx.Response:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=url.split("/", 3)[0] + "//x") as client:
        return await client.request(str(kw.pop("method", "GET")), url, **kw)  # type: ignore[arg-type]


async def test_http_redirect_keeps_path_or_drops_it() -> None:
    profile = SiteProfile(host="a.test")
    response = await _get(SiteApp(profile, "http", https_port=8443), "http://a.test/x?y=1")
    assert response.status_code == 301 and response.headers["location"] == "https://a.test:8443/x?y=1"
    dropped = SiteApp(SiteProfile(host="a.test", http_redirect_keeps_path=False), "http")
    assert (await _get(dropped, "http://a.test/x?y=1")).headers["location"] == "https://a.test/"
    plain = SiteApp(SiteProfile(host="a.test", http_redirect_status=None, html="<p>hi"), "http")
    assert (await _get(plain, "http://a.test/")).text == "<p>hi"


async def test_hsts_is_not_sent_over_plain_http() -> None:
    profile = SiteProfile(
        host="a.test", http_redirect_status=None, html="x", headers={"strict-transport-security": "max-age=1"}
    )
    assert "strict-transport-security" not in (await _get(SiteApp(profile, "http"), "http://a.test/")).headers
    assert (await _get(SiteApp(profile, "https"), "https://a.test/")).headers[
        "strict-transport-security"
    ] == "max-age=1"


async def test_redirect_rules_routes_and_methods() -> None:
    profile = SiteProfile(
        host="a.test",
        redirects=(RedirectRule("/old", "https://{host}/new{path}", 308, "https"),),
        routes={"/robots.txt": Route(200, {"content-type": "text/plain"}, b"User-agent: *")},
    )
    app = SiteApp(profile, "https")
    moved = await _get(app, "https://a.test/old/page")
    assert moved.status_code == 308 and moved.headers["location"] == "https://a.test/new/old/page"
    assert (await _get(app, "https://a.test/robots.txt")).text == "User-agent: *"
    assert (await _get(app, "https://a.test/robots.txt", method="POST")).status_code == 405
    assert (await _get(app, "https://a.test/nowhere")).status_code == 404


async def test_gzip_only_when_accepted_and_large_enough() -> None:
    body = b"console.log(1);" * 100
    profile = SiteProfile(
        host="a.test", assets={"/app.js": Route(200, {"content-type": "text/javascript"}, body)}
    )
    app = SiteApp(profile, "https")
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport) as client:
        raw = await client.get("https://a.test/app.js", headers={"accept-encoding": "gzip"})
    assert raw.headers["content-encoding"] == "gzip" and raw.content == body  # httpx decodes it
    assert int(raw.headers["content-length"]) == len(gzip.compress(body, mtime=0, compresslevel=6))
    off = SiteApp(SiteProfile(host="a.test", compression=False, assets=profile.assets), "https")
    assert "content-encoding" not in (await _get(off, "https://a.test/app.js")).headers


async def test_cors_reflect_and_preflight() -> None:
    profile = SiteProfile(host="a.test", html="x", cors=Cors("reflect", allow_credentials=True))
    app = SiteApp(profile, "https")
    response = await _get(app, "https://a.test/", headers={"origin": "https://evil.test"})
    assert response.headers["access-control-allow-origin"] == "https://evil.test"
    assert response.headers["access-control-allow-credentials"] == "true"
    preflight = await _get(
        app,
        "https://a.test/",
        method="OPTIONS",
        headers={"origin": "https://evil.test", "access-control-request-method": "POST"},
    )
    assert preflight.status_code == 204 and "POST" in preflight.headers["access-control-allow-methods"]


async def test_backend_prefixes_edge_headers_and_origin_refusal() -> None:
    profile = SiteProfile(
        host="app.test",
        html="page",
        backend=BackendMount.PREFIXES,
        edge_headers={"server": "cloudflare"},
        origin_status=403,
    )
    app = SiteApp(profile, "https", backend=_backend())
    ping = await _get(app, "https://app.test/v1/ping")
    assert ping.json() == {"pong": "yes"} and ping.headers["server"] == "cloudflare"
    assert (await _get(app, "https://app.test/")).text == "page"
    at_origin = SiteApp(profile, "https", backend=_backend(), at_origin=True)
    refused = await _get(at_origin, "https://app.test/v1/ping")
    assert refused.status_code == 403 and "server" not in refused.headers
