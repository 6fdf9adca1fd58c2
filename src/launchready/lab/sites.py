"""What each lab host serves, as data: one frozen ``SiteProfile`` per host name.

The web servers (``web.py``) are generic and only interpret these profiles, so a planted risk is a change
of data, not of server code. The spine plants (roadmap "the spine": unresolved host, bad certificates, no
HTTPS redirect, no HSTS) are set here; the public-surface plants are layered on top by
``sites_surface.apply_surface_flaws`` through the generic knobs (extra headers, routes, redirect rules,
cookies, CORS, assets...), so neither side needs the other's if/else.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace

from launchready.lab.variant import LabVariant


class CertKind(enum.StrEnum):
    """The leaf certificate a host presents (see ``pki.py`` for how each is made)."""

    VALID = "valid"
    EXPIRED = "expired"
    EXPIRING = "expiring"
    """Valid, but only 3 days left."""
    HOSTNAME_MISMATCH = "hostname-mismatch"
    SELF_SIGNED = "self-signed"
    MISSING_INTERMEDIATE = "missing-intermediate"
    """Issued by the lab intermediate, but the server sends the leaf alone."""
    WEAK_KEY = "weak-key"
    """Issued by the lab intermediate for the host, with an RSA-1024 key (below CA/B Forum's 2048 bits)."""


class BackendMount(enum.StrEnum):
    NONE = "none"
    ROOT = "root"
    """The whole host is the API (``api.<domain>``)."""
    PREFIXES = "prefixes"
    """Only ``SiteProfile.backend_prefixes`` go to the API (``app.<domain>``: ``/auth``, ``/v1``)."""


@dataclass(frozen=True)
class Route:
    """A fixed response: ``routes["/robots.txt"] = Route(200, {"content-type": "text/plain"}, b"...")``."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    methods: tuple[str, ...] = ("GET", "HEAD")
    cookies: tuple[str, ...] = ()
    """Raw ``Set-Cookie`` values."""


@dataclass(frozen=True)
class RedirectRule:
    """Redirect requests whose path starts with ``prefix`` to ``location``.

    ``location`` may contain ``{path}`` (the full request path, query included) and ``{host}``.
    ``scheme`` limits the rule to ``"http"``, ``"https"`` or ``"both"``. Rules apply
    before routes, assets and the backend.
    """

    prefix: str
    location: str
    status: int = 301
    scheme: str = "both"


@dataclass(frozen=True)
class Cors:
    """CORS answer of the host: ``allow_origin`` is an origin, ``"*"``, or ``"reflect"`` (echo any Origin)."""

    allow_origin: str
    allow_credentials: bool = False
    allow_methods: str = "GET, POST, OPTIONS"
    allow_headers: str = "content-type, authorization"
    max_age_s: int = 600


@dataclass(frozen=True)
class SiteProfile:
    """Everything one host serves. Defaults describe a plain, correct HTTPS site."""

    host: str
    cert: CertKind = CertKind.VALID
    resolves: bool = True
    """False: the zone has no record for it (NXDOMAIN) and no server runs."""
    tls_min_version: str = "TLSv1.2"
    """``ssl.TLSVersion`` member name the server accepts at least (``TLSv1``, ``TLSv1_1``, ``TLSv1_2``...)."""
    tls_max_version: str | None = None
    """The highest version the server accepts, same names; None leaves OpenSSL's (TLS 1.3)."""
    http_redirect_status: int | None = 301
    """Status of the http:// → https:// redirect; None serves the site over plain HTTP with 200."""
    http_redirect_keeps_path: bool = True
    """False: every http:// URL redirects to ``https://host/`` (drops path and query)."""
    canonical_redirect: str | None = None
    """Host every request is redirected to (``www`` → apex), keeping path and query."""
    canonical_redirect_status: int = 301
    headers: dict[str, str] = field(default_factory=dict)
    """Response headers on every HTTPS response (and HTTP responses when served plainly)."""
    http_headers: dict[str, str] = field(default_factory=dict)
    """Extra headers on plain-HTTP responses only (e.g. a banner, or HSTS sent over HTTP)."""
    cookies: tuple[str, ...] = ()
    """Raw ``Set-Cookie`` values sent with the HTML pages."""
    html: str = ""
    """Body of ``/`` (text/html)."""
    html_headers: dict[str, str] = field(default_factory=dict)
    """Headers on HTML page responses only (CSP, cache policy of pages...)."""
    assets: dict[str, Route] = field(default_factory=dict)
    """Static files: path → response (``/static/app.js``...)."""
    routes: dict[str, Route] = field(default_factory=dict)
    """Any other fixed responses by exact path (``/robots.txt``, ``/.well-known/...``, ``/admin``)."""
    redirects: tuple[RedirectRule, ...] = ()
    compression: bool = True
    """gzip text responses when the client accepts it."""
    cors: Cors | None = None
    edge_headers: dict[str, str] = field(default_factory=dict)
    """Headers a CDN adds (``server: cloudflare``, ``cf-ray``...): public address only, not the origin."""
    origin: bool = False
    """Also serve this site on a separate origin address (``HostConfig.origin``), without edge headers."""
    origin_status: int | None = None
    """What the origin answers to direct requests: None serves the site, 403 refuses (authenticated pulls)."""
    origin_cert: CertKind = CertKind.VALID
    """The certificate the origin presents; anything else only works behind an edge that does not verify it
    (Cloudflare "Full", not "Full (strict)")."""
    backend: BackendMount = BackendMount.NONE
    backend_prefixes: tuple[str, ...] = ("/auth", "/v1")
    not_found_body: str = "<!doctype html><title>Not found</title><h1>Not found</h1>"

    def with_headers(self, **changes: str | None) -> SiteProfile:
        """A copy with headers set (value) or removed (None); underscores in names become dashes."""
        headers = dict(self.headers)
        for name, value in changes.items():
            key = name.replace("_", "-").lower()
            if value is None:
                headers.pop(key, None)
            else:
                headers[key] = value
        return replace(self, headers=headers)


# --- the lab product ------------------------------------------------------------------------------------

HSTS_HARDENED = "max-age=63072000; includeSubDomains; preload"
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self' https://api.{domain}; frame-ancestors 'none'; base-uri 'self'; "
    "form-action 'self'; object-src 'none'"
)
EDGE_HEADERS = {"server": "cloudflare", "cf-ray": "8f1c2a3b4d5e6f70-CDG", "cf-cache-status": "DYNAMIC"}
APP_JS = (
    "// chatbot.test web client (lab build)\n"
    "const api = 'https://api.{domain}';\n"
    "export async function send(message) {{\n"
    "  const r = await fetch(api + '/v1/chat', {{method: 'POST', body: JSON.stringify({{message}})}});\n"
    "  return r.body;\n"
    "}}\n"
)
APP_CSS = "body{font-family:system-ui,sans-serif;margin:0}main{max-width:48rem;margin:auto;padding:2rem}\n"
_STATIC_HEADERS = {"cache-control": "public, max-age=31536000, immutable"}


def security_headers(domain: str) -> dict[str, str]:
    """The headers a well-run product sends on every response (roadmap stage 3, OWASP secure headers)."""
    return {
        "strict-transport-security": HSTS_HARDENED,
        "content-security-policy": CSP.format(domain=domain),
        "x-content-type-options": "nosniff",
        "x-frame-options": "DENY",
        "referrer-policy": "strict-origin-when-cross-origin",
        "permissions-policy": "camera=(), microphone=(), geolocation=()",
        "cross-origin-opener-policy": "same-origin",
    }


def page(title: str, canonical_url: str, body: str) -> str:
    """A small but complete HTML page that names its canonical URL and loads the shared bundle."""
    return (
        "<!doctype html>\n<html lang=en>\n<head>\n<meta charset=utf-8>\n"
        f"<title>{title}</title>\n"
        '<meta name=viewport content="width=device-width, initial-scale=1">\n'
        f'<link rel="canonical" href="{canonical_url}">\n'
        f'<meta property="og:url" content="{canonical_url}">\n'
        '<link rel="stylesheet" href="/static/app.css">\n'
        '<script type="module" src="/static/app.js"></script>\n'
        f"</head>\n<body><main>\n{body}\n</main></body>\n</html>\n"
    )


def site_profiles(domain: str, variant: LabVariant, https_port: int = 443) -> dict[str, SiteProfile]:
    """The spine's hosts; the flawed variant differs only by the plants listed in ``planted.SPINE``."""
    flawed = variant.flawed

    def url(host: str) -> str:
        return f"https://{host}/" if https_port == 443 else f"https://{host}:{https_port}/"

    headers = security_headers(domain)
    html_headers = {"cache-control": "no-cache"}
    assets = {
        "/static/app.js": Route(
            200,
            {"content-type": "text/javascript; charset=utf-8", **_STATIC_HEADERS},
            APP_JS.format(domain=domain).encode(),
        ),
        "/static/app.css": Route(
            200, {"content-type": "text/css; charset=utf-8", **_STATIC_HEADERS}, APP_CSS.encode()
        ),
    }
    session_cookie = "lab_session=s3ss10n-lab-fixture; Path=/; Secure; HttpOnly; SameSite=Lax"

    def site(label: str, title: str, body: str) -> SiteProfile:
        """A page-serving host with the shared headers and bundle; callers ``replace`` what differs."""
        host = f"{label}.{domain}" if label else domain
        return SiteProfile(
            host=host,
            headers=dict(headers),
            html=page(title, url(host), body),
            html_headers=dict(html_headers),
            assets=dict(assets),
        )

    sites = [
        replace(
            site("", "Chatbot — your AI assistant", "<h1>Chatbot</h1><p>Ask anything.</p>"),
            edge_headers=dict(EDGE_HEADERS),
            origin=True,
            origin_status=None if flawed else 403,
        ),
        SiteProfile(
            host=f"www.{domain}",
            cert=CertKind.HOSTNAME_MISMATCH if flawed else CertKind.VALID,
            canonical_redirect=domain,
            headers=dict(headers),
            edge_headers=dict(EDGE_HEADERS),
        ),
        replace(
            site("app", "Chatbot app", "<div id=chat></div>"),
            cert=CertKind.EXPIRING if flawed else CertKind.VALID,
            cookies=(session_cookie,),
            backend=BackendMount.PREFIXES,
            edge_headers=dict(EDGE_HEADERS),
        ),
        SiteProfile(
            host=f"api.{domain}",
            headers={k: v for k, v in headers.items() if not (flawed and k == "strict-transport-security")},
            backend=BackendMount.ROOT,
            edge_headers=dict(EDGE_HEADERS),
            origin=True,
            origin_status=None if flawed else 403,
            cors=Cors(allow_origin=f"https://app.{domain}", allow_credentials=True),
        ),
        replace(
            site("docs", "Chatbot docs", "<h1>Documentation</h1><p>Start with the quickstart.</p>"),
            cert=CertKind.SELF_SIGNED if flawed else CertKind.VALID,
            http_redirect_status=None if flawed else 301,
        ),
        replace(site("status", "Chatbot status", "<h1>All systems operational</h1>"), resolves=not flawed),
        replace(
            site("help", "Chatbot help center", f"<h1>Help center</h1><p>Contact support@{domain}</p>"),
            cert=CertKind.EXPIRED if flawed else CertKind.VALID,
        ),
    ]
    return {s.host: s for s in sites}


def mta_sts_site(domain: str, variant: LabVariant) -> SiteProfile | None:
    """``mta-sts.<domain>`` serving the email work's policy file (RFC 8461 3.3), once that work has one."""
    from launchready.lab import zone_email

    policy_of = getattr(zone_email, "mta_sts_policy", None)
    policy = policy_of(domain, variant) if policy_of is not None else None
    if not isinstance(policy, str):
        return None
    policy_route = Route(200, {"content-type": "text/plain; charset=utf-8"}, policy.encode())
    return SiteProfile(
        host=f"mta-sts.{domain}",
        headers={"strict-transport-security": HSTS_HARDENED, "x-content-type-options": "nosniff"},
        html="<!doctype html><title>MTA-STS</title>",
        routes={"/.well-known/mta-sts.txt": policy_route},
    )
