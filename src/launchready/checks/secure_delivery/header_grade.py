"""A per-host security-header score and letter grade, on MDN HTTP Observatory's scale.

Method (so a founder can compare it with observatory.mozilla.org): start at 100, apply the penalties
below, add the bonuses only when the score is already ≥ 90, floor at 0, and map to a letter with
Observatory's table (A+ ≥ 100, A ≥ 90, A- ≥ 85, B+ ≥ 80, B ≥ 70, B- ≥ 65, C+ ≥ 60, C ≥ 50, C- ≥ 45,
D+ ≥ 40, D ≥ 30, D- ≥ 25, F below). The penalty values are Observatory's:

=====================================  ========  ==========================================
test                                   points    Observatory's name
=====================================  ========  ==========================================
CSP missing (or report-only only)        -25     csp-not-implemented
CSP script 'unsafe-inline'               -20     csp-implemented-with-unsafe-inline
CSP http:/wildcard script sources        -20     csp-implemented-with-insecure-scheme
CSP script 'unsafe-eval'                 -10     csp-implemented-with-unsafe-eval
session cookie without Secure            -40     cookies-session-without-secure-flag
session cookie without HttpOnly          -30     cookies-session-without-httponly-flag
cookie without SameSite                  -20     cookies-samesite-flag-invalid (stricter)
CORS reflects any origin / * + creds     -50     cross-origin-resource-sharing-implemented-with-
                                                 universal-access
no http → https redirect                 -20     redirection-not-to-https
HSTS missing                             -20     hsts-not-implemented
HSTS max-age < 6 months                  -10     hsts-implemented-max-age-less-than-six-months
X-Content-Type-Options missing            -5     x-content-type-options-not-implemented
no framing protection                    -20     x-frame-options-not-implemented
Referrer-Policy unsafe-url               -5      referrer-policy-unsafe
bonus: private Referrer-Policy           +5      referrer-policy-private
bonus: all cookies Secure+HttpOnly+SS    +5      cookies-secure-with-httponly-sessions-and-samesite
bonus: CSP frame-ancestors               +5      x-frame-options-implemented-via-csp
=====================================  ========  ==========================================

Where it differs, and why: Subresource Integrity is not scored (launchready does not fetch third-party
scripts' origins); a JSON API host is not penalised for CSP or framing, since browsers never render its
responses as documents (Observatory grades every URL as a page); SameSite absence is penalised (Observatory
only penalises an invalid value) because session cookies without it rely on browser defaults that differ;
Permissions-Policy and version banners are reported as their own rules but not scored, like Observatory.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from launchready.checks.secure_delivery.cookie_policy import CookieFlags, parse_set_cookie
from launchready.checks.secure_delivery.header_policy import (
    PRIVATE_REFERRER_POLICIES,
    SIX_MONTHS_S,
    CspPolicy,
    csp_weaknesses,
    effective_referrer_policy,
    framing_protection,
    parse_csp,
    parse_hsts,
)

_GRADES = (
    (100, "A+"), (90, "A"), (85, "A-"), (80, "B+"), (70, "B"), (65, "B-"), (60, "C+"),
    (50, "C"), (45, "C-"), (40, "D+"), (30, "D"), (25, "D-"), (0, "F"),
)  # fmt: skip


@dataclass(frozen=True)
class GradeInput:
    """What the grade reads, gathered from one host's responses."""

    headers: tuple[tuple[str, str], ...]
    api_host: bool
    redirects_to_https: bool | None = None
    """None when unknown (the HTTP probe failed): then it is not scored."""
    cors_open: bool = False


@dataclass
class HeaderGrade:
    score: int = 100
    grade: str = "A+"
    tests: list[dict[str, object]] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {"score": self.score, "grade": self.grade, "tests": self.tests}


def letter(score: int) -> str:
    return next(g for floor, g in _GRADES if score >= floor)


def grade_headers(data: GradeInput) -> HeaderGrade:
    """Score one host's headers; ``tests`` lists each scored test with its points, for the report."""
    penalties: list[tuple[str, int]] = []
    bonuses: list[tuple[str, int]] = []

    def get(name: str) -> str | None:
        return next((v for k, v in data.headers if k.lower() == name), None)

    csp_value = get("content-security-policy")
    csp: CspPolicy | None = parse_csp(csp_value) if csp_value else None
    if not data.api_host:
        if csp is None:
            penalties.append(("csp-not-implemented", -25))
        else:
            problems = {w.problem for w in csp_weaknesses(csp)}
            if "unsafe-inline" in problems or "no-script-policy" in problems:
                penalties.append(("csp-unsafe-inline", -20))
            if problems & {"wildcard", "insecure-scheme"}:
                penalties.append(("csp-insecure-source", -20))
            if "unsafe-eval" in problems:
                penalties.append(("csp-unsafe-eval", -10))
        framing = framing_protection(csp, get("x-frame-options"))
        if framing is None:
            penalties.append(("framing-not-implemented", -20))
        elif framing.startswith("CSP"):
            bonuses.append(("framing-via-csp", 5))

    cookies = _cookies(data.headers)
    if cookies:
        sessions = [c for c in cookies if c.looks_like_session]
        if any(not c.secure for c in sessions):
            penalties.append(("cookies-session-without-secure", -40))
        if any(not c.http_only for c in sessions):
            penalties.append(("cookies-session-without-httponly", -30))
        if any(c.same_site is None for c in cookies):
            penalties.append(("cookies-without-samesite", -20))
        if all(not c.problems() for c in cookies):
            bonuses.append(("cookies-all-protected", 5))

    if data.cors_open:
        penalties.append(("cors-universal-access", -50))
    if data.redirects_to_https is False:
        penalties.append(("redirection-not-to-https", -20))

    hsts_value = get("strict-transport-security")
    hsts = parse_hsts(hsts_value) if hsts_value else None
    if hsts is None or not hsts.max_age:
        penalties.append(("hsts-not-implemented", -20))
    elif hsts.max_age < SIX_MONTHS_S:
        penalties.append(("hsts-max-age-under-six-months", -10))

    if (get("x-content-type-options") or "").strip().lower() != "nosniff":
        penalties.append(("x-content-type-options-not-implemented", -5))

    referrer = effective_referrer_policy(get("referrer-policy") or "")
    if referrer == "unsafe-url":
        penalties.append(("referrer-policy-unsafe", -5))
    elif referrer in PRIVATE_REFERRER_POLICIES:
        bonuses.append(("referrer-policy-private", 5))

    score = 100 + sum(points for _, points in penalties)
    if score >= 90:
        score += sum(points for _, points in bonuses)
    else:
        bonuses = []
    score = max(score, 0)
    tests = [{"test": name, "points": points} for name, points in (*penalties, *bonuses)]
    return HeaderGrade(score=score, grade=letter(score), tests=tests)


def _cookies(headers: tuple[tuple[str, str], ...]) -> list[CookieFlags]:
    return [parse_set_cookie(v) for k, v in headers if k.lower() == "set-cookie"]
