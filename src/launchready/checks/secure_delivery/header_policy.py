"""Pure parsers and judges for security response headers: HSTS, CSP, framing, Referrer-Policy, banners.

No library parses these policies into something a rule can judge (``werkzeug``'s CSP type only round-trips
directives), and each grammar is a few lines of its RFC, so they are written here and tested directly.
Every function takes header values and returns typed results; the checks decide the verdicts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ONE_YEAR_S = 31_536_000
SIX_MONTHS_S = 15_552_000


# --- HSTS (RFC 6797 section 6.1) -----------------------------------------------------------------
@dataclass(frozen=True)
class HstsPolicy:
    max_age: int | None
    include_subdomains: bool
    preload: bool

    @property
    def preload_eligible(self) -> bool:
        """hstspreload.org's header requirements: max-age ≥ 1 year, includeSubDomains and preload."""
        return (self.max_age or 0) >= ONE_YEAR_S and self.include_subdomains and self.preload


def parse_hsts(value: str) -> HstsPolicy:
    """Directives are ``;``-separated and case-insensitive; max-age may be quoted (RFC 6797 6.1.1)."""
    max_age: int | None = None
    include, preload = False, False
    for part in value.split(";"):
        name, _, arg = part.strip().partition("=")
        name = name.strip().lower()
        if name == "max-age" and max_age is None:
            digits = arg.strip().strip('"')
            max_age = int(digits) if digits.isdigit() else None
        elif name == "includesubdomains":
            include = True
        elif name == "preload":
            preload = True
    return HstsPolicy(max_age, include, preload)


# --- CSP (CSP Level 3, section 2.2) --------------------------------------------------------------
CspPolicy = dict[str, tuple[str, ...]]

_SCRIPT_DIRECTIVES = ("script-src", "script-src-elem", "default-src")
_RISKY_WILDCARD_DIRECTIVES = frozenset(
    {"default-src", "script-src", "script-src-elem", "script-src-attr", "object-src", "base-uri", "frame-src"}
)


def parse_csp(value: str) -> CspPolicy:
    """Directives split on ``;``; names are case-insensitive; the first occurrence of a name wins."""
    policy: CspPolicy = {}
    for chunk in value.split(";"):
        tokens = chunk.strip().split()
        if not tokens:
            continue
        name = tokens[0].lower()
        if name not in policy:
            policy[name] = tuple(tokens[1:])
    return policy


@dataclass(frozen=True)
class CspWeakness:
    directive: str
    source: str
    problem: str
    """``unsafe-inline``, ``unsafe-eval``, ``wildcard``, ``insecure-scheme`` or ``no-script-policy``."""

    def describe(self) -> str:
        if self.problem == "no-script-policy":
            return "no script-src or default-src: any script may run"
        return f"{self.directive} allows {self.source} ({self.problem})"


def script_sources(policy: CspPolicy) -> tuple[str, tuple[str, ...]] | None:
    """The directive that governs ``<script>`` (script-src, else default-src) and its sources."""
    for directive in ("script-src", "default-src"):
        if directive in policy:
            return directive, policy[directive]
    return None


def csp_weaknesses(policy: CspPolicy) -> list[CspWeakness]:
    """What makes a policy fail to stop XSS, named by directive.

    ``'unsafe-inline'`` in the script directive is ignored by browsers when a nonce or hash is present
    (CSP3 section 8.3 fallback), so it only counts without one. ``'unsafe-inline'`` in style-src is common
    and low-risk; MDN Observatory does not penalise it either, so it is not listed.
    """
    found: list[CspWeakness] = []
    governing = script_sources(policy)
    if governing is None:
        found.append(CspWeakness("script-src", "", "no-script-policy"))
    else:
        directive, sources = governing
        lowered = [s.lower() for s in sources]
        has_nonce_or_hash = any(
            s.startswith(("'nonce-", "'sha256-", "'sha384-", "'sha512-")) for s in lowered
        )
        if "'unsafe-inline'" in lowered and not has_nonce_or_hash and "'strict-dynamic'" not in lowered:
            found.append(CspWeakness(directive, "'unsafe-inline'", "unsafe-inline"))
        if "'unsafe-eval'" in lowered:
            found.append(CspWeakness(directive, "'unsafe-eval'", "unsafe-eval"))
    for directive, sources in policy.items():
        for source in sources:
            lower = source.lower()
            if lower.startswith("http:") or lower.startswith("ws:"):
                found.append(CspWeakness(directive, source, "insecure-scheme"))
            elif directive in _RISKY_WILDCARD_DIRECTIVES and lower in ("*", "https:", "data:", "blob:"):
                found.append(CspWeakness(directive, source, "wildcard"))
    return found


# --- Framing (RFC 7034, CSP3 frame-ancestors) ----------------------------------------------------
def framing_protection(csp: CspPolicy | None, x_frame_options: str | None) -> str | None:
    """How the page refuses to be framed by other sites (clickjacking), or None when it does not."""
    if csp is not None and "frame-ancestors" in csp:
        sources = [s.lower() for s in csp["frame-ancestors"]]
        if "*" not in sources and not any(s in ("http:", "https:") for s in sources):
            return f"CSP frame-ancestors {' '.join(csp['frame-ancestors']) or '(empty)'}"
    if x_frame_options is not None and x_frame_options.strip().upper() in ("DENY", "SAMEORIGIN"):
        return f"X-Frame-Options: {x_frame_options.strip()}"
    return None


# --- Referrer-Policy (W3C Referrer Policy, section 3) --------------------------------------------
PRIVATE_REFERRER_POLICIES = frozenset(
    {"no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"}
)
_KNOWN_REFERRER_POLICIES = PRIVATE_REFERRER_POLICIES | {
    "no-referrer-when-downgrade",
    "origin",
    "origin-when-cross-origin",
    "unsafe-url",
}


def effective_referrer_policy(value: str) -> str | None:
    """The last recognised token of a comma list wins (section 11.1, fallback for older browsers)."""
    tokens = [t.strip().lower() for t in value.split(",")]
    known = [t for t in tokens if t in _KNOWN_REFERRER_POLICIES]
    return known[-1] if known else None


# --- Banners --------------------------------------------------------------------------------------
_VERSION = re.compile(r"\d+\.\d+")


def version_banner(server: str | None, powered_by: str | None) -> list[str]:
    """Header lines that reveal software versions (``nginx/1.18.0``, ``PHP/8.1.2``, ``Express``)."""
    leaks = []
    if server and _VERSION.search(server):
        leaks.append(f"Server: {server}")
    if powered_by:
        leaks.append(f"X-Powered-By: {powered_by}")
    return leaks


def is_json(content_type: str | None) -> bool:
    value = (content_type or "").split(";")[0].strip().lower()
    return value == "application/json" or value.endswith("+json")


def is_html(content_type: str | None) -> bool:
    return (content_type or "").split(";")[0].strip().lower() in ("text/html", "application/xhtml+xml")
