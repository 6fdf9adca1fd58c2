"""Public-surface plants layered on the lab's site profiles (owned by the public-surface work).

The lab calls ``apply_surface_flaws`` after building the spine profiles; ``addresses`` maps host names to
their loopback addresses, and looking up a host that is not in it yet allocates a fresh address.

Each flawed-lab change below is listed in ``planted.SURFACE`` with the rule id that must find it. The spine's
plants stay as they are (www mismatch, docs self-signed, app expiring, help expired, api without HSTS,
status NXDOMAIN), so surface plants go where the spine leaves a host reachable: content plants on the apex
and app, redirect plants on www, docs and help (read past their certificates), CORS on app and api. TLS
plants that would break verification for every other check go on hosts of their own: the weak RSA key on a
forgotten ``dev`` box, the unverifiable certificate on the API's origin (only the edge connects there). The
hardened twin only gains what a well-run product has: an edge in front of every host.
"""

from __future__ import annotations

from dataclasses import replace

from launchready.lab.sites import EDGE_HEADERS, CertKind, Cors, RedirectRule, Route, SiteProfile
from launchready.lab.variant import LabVariant

VENDOR_JS_BYTES = 900_000
"""Above the default 500 kB per-script budget, so ``http.payload.oversized`` fires on it."""
WEAK_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval' http://cdn.chatbot-legacy.test"
)
CHALLENGE_PAGE = (
    b"<!doctype html><html><head><title>Just a moment...</title></head>"
    b"<body><div id=cf-chl-widget>Checking your browser</div>"
    b"<script src=/cdn-cgi/challenge-platform/h/b/orchestrate/chl_page/v1></script></body></html>"
)
GITHUB_PAGES_404 = (
    "<!doctype html><title>Site not found · GitHub Pages</title>"
    "<h1>404</h1><p><strong>There isn't a GitHub Pages site here.</strong></p>"
)
OFFSITE_DOCS = "https://docs.hosting-vendor.test/chatbot"


def apex_of(sites: dict[str, SiteProfile]) -> str:
    """The one host every other host is a subdomain of."""
    return next(h for h in sites if all(o == h or o.endswith("." + h) for o in sites))


def apply_surface_flaws(
    sites: dict[str, SiteProfile], variant: LabVariant, addresses: dict[str, str]
) -> dict[str, SiteProfile]:
    apex = apex_of(sites)
    if not variant.flawed:
        return {host: _behind_edge(site) for host, site in sites.items()}
    out = dict(sites)
    out[apex] = _flawed_apex(sites[apex], apex)
    www = f"www.{apex}"
    if www in out:
        # serves the same page instead of redirecting: users land on two versions of the site
        out[www] = replace(
            out[www], canonical_redirect=None, html=out[apex].html, assets=dict(out[apex].assets)
        )
    app = f"app.{apex}"
    if app in out:
        out[app] = replace(
            out[app].with_headers(content_security_policy=WEAK_CSP),
            http_redirect_keeps_path=False,
            tls_min_version="TLSv1",
            tls_max_version="TLSv1.2",  # an old "ssl_protocols TLSv1 TLSv1.1 TLSv1.2" line: no TLS 1.3
            cors=Cors(allow_origin="*", allow_credentials=True),
        )
    api = f"api.{apex}"
    if api in out:
        challenge = Route(
            403, {"content-type": "text/html; charset=utf-8", "cf-mitigated": "challenge"}, CHALLENGE_PAGE
        )
        out[api] = replace(
            out[api],
            cors=Cors(allow_origin="reflect", allow_credentials=True),
            routes={**out[api].routes, "/": challenge},
            origin_cert=CertKind.SELF_SIGNED,  # the edge in "Full" (not strict) mode accepts anything
        )
    docs = f"docs.{apex}"
    if docs in out:
        out[docs] = replace(out[docs], redirects=(RedirectRule("/", OFFSITE_DOCS, 302, scheme="https"),))
    help_host = f"help.{apex}"
    if help_host in out:
        out[help_host] = replace(out[help_host], redirects=(RedirectRule("/", "/", 302, scheme="https"),))
    old = f"old.{apex}"
    out[old] = SiteProfile(host=old, not_found_body=GITHUB_PAGES_404)
    staging = f"staging.{apex}"
    out[staging] = SiteProfile(host=staging, cert=CertKind.MISSING_INTERMEDIATE, html="<h1>staging</h1>")
    dev = f"dev.{apex}"
    out[dev] = SiteProfile(host=dev, cert=CertKind.WEAK_KEY, html="<h1>dev</h1>")
    return out


def _flawed_apex(site: SiteProfile, apex: str) -> SiteProfile:
    html = site.html.replace(f'href="https://{apex}', f'href="https://www.{apex}')
    html = html.replace(f'content="https://{apex}', f'content="https://www.{apex}')
    html = html.replace("</head>", '<script src="/static/vendor.js"></script>\n</head>')
    vendor = Route(200, {"content-type": "text/javascript; charset=utf-8"}, _vendor_bundle())
    headers = site.with_headers(
        content_security_policy=None,
        x_frame_options=None,
        x_content_type_options=None,
        permissions_policy=None,
        referrer_policy="unsafe-url",
        strict_transport_security="max-age=300",
        x_powered_by="Express",
    ).headers
    return replace(
        site,
        headers=headers,
        html=html,
        html_headers={**site.html_headers, "cache-control": "public, max-age=600"},
        cookies=("session=lab-apex-session; Path=/",),
        assets={**site.assets, "/static/vendor.js": vendor},
        compression=False,
    )


def _vendor_bundle() -> bytes:
    line = b"export const chunk = 'a chat widget framework nobody tree-shook';\n"
    return (line * (VENDOR_JS_BYTES // len(line) + 1))[:VENDOR_JS_BYTES]


def _behind_edge(site: SiteProfile) -> SiteProfile:
    """Hardened: every public host is served through the (simulated) edge."""
    if site.edge_headers:
        return site
    return replace(site, edge_headers=dict(EDGE_HEADERS))
