"""Security response headers of each host's landing page, and the host's grade (roadmap stage 3).

One check reads one shared response per host and gives a verdict per header, naming the directive at fault,
so "CSP: script-src allows 'unsafe-inline'" is fixable at a glance. An API host (config ``api_hosts`` or a
JSON response) is not held to the page-only rules: browsers never render its JSON as a document, so CSP,
framing and Permissions-Policy do not protect anything there (OWASP REST Security Cheat Sheet, "Security
headers"). X-Content-Type-Options still applies: it stops a JSON body being sniffed as script.
"""

from __future__ import annotations

import asyncio

from launchready.checks.interface import Check
from launchready.checks.secure_delivery.cors import cors_probe
from launchready.checks.secure_delivery.fixes import header_fix, remove_header_snippets
from launchready.checks.secure_delivery.header_grade import GradeInput, grade_headers
from launchready.checks.secure_delivery.header_policy import (
    csp_weaknesses,
    effective_referrer_policy,
    framing_protection,
    is_json,
    parse_csp,
    version_banner,
)
from launchready.checks.secure_delivery.page_probe import PageProbe, content_page, homepage
from launchready.engine.context import CheckContext
from launchready.findings import Finding, Fix, Impact, RuleSpec, Severity, Stage
from launchready.net import HttpResponse, NetError

_CSP = "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'"
_MDN = "https://developer.mozilla.org/en-US/observatory/docs/tests_and_scoring"


def _rule(
    rule_id: str, title: str, severity: Severity, description: str, fix: Fix, trust: int = 2
) -> RuleSpec:
    return RuleSpec(
        rule_id=rule_id,
        title=title,
        stage=Stage.SECURE_DELIVERY,
        severity=severity,
        description=description,
        impact=Impact(launch_delay=0, support_load=1, customer_trust=trust),
        fix=fix,
    )


CSP_MISSING = _rule(
    "headers.csp.missing",
    "No Content-Security-Policy",
    Severity.MEDIUM,
    "Pages send an enforced Content-Security-Policy (report-only alone blocks nothing).",
    header_fix(
        "Send a Content-Security-Policy; start strict and loosen per directive.",
        "Content-Security-Policy",
        _CSP,
        "Deploy it first as Content-Security-Policy-Report-Only, read the reports, then enforce.",
        references=("https://developer.mozilla.org/en-US/docs/Web/HTTP/CSP",),
    ),
)
CSP_WEAK = _rule(
    "headers.csp.weak",
    "Content-Security-Policy does not stop injected scripts",
    Severity.MEDIUM,
    "The CSP has no 'unsafe-inline' or 'unsafe-eval' for scripts (without nonce/hash), no wildcard and no "
    "http: "
    "sources; each problem is named by directive. A report-only policy is analysed too.",
    header_fix(
        "Remove 'unsafe-inline'/'unsafe-eval', use nonces or hashes, list exact https origins.",
        "Content-Security-Policy",
        "script-src 'self' 'nonce-{RANDOM_PER_RESPONSE}'; object-src 'none'",
        "Move inline scripts to files or give each a per-response nonce.",
        "Replace * and http: sources with the exact https:// origins you load from.",
    ),
)
XCTO_MISSING = _rule(
    "headers.xcto.missing",
    "No X-Content-Type-Options: nosniff",
    Severity.LOW,
    "Responses send X-Content-Type-Options: nosniff so browsers never sniff a response into a script.",
    header_fix(
        "Send X-Content-Type-Options: nosniff on every response.", "X-Content-Type-Options", "nosniff"
    ),
    trust=1,
)
FRAMING_MISSING = _rule(
    "headers.framing.missing",
    "Pages can be framed by any site (clickjacking)",
    Severity.MEDIUM,
    "Pages send CSP frame-ancestors (or X-Frame-Options DENY/SAMEORIGIN).",
    header_fix(
        "Send `Content-Security-Policy: frame-ancestors 'none'` (or 'self').",
        "Content-Security-Policy",
        "frame-ancestors 'none'",
        "If you already send a CSP, add the directive to it.",
    ),
)
REFERRER_POLICY = _rule(
    "headers.referrer-policy.missing",
    "No private Referrer-Policy",
    Severity.LOW,
    "Pages send a Referrer-Policy that does not leak full URLs (fails on unsafe-url, warns when absent).",
    header_fix(
        "Send Referrer-Policy: strict-origin-when-cross-origin.",
        "Referrer-Policy",
        "strict-origin-when-cross-origin",
    ),
    trust=1,
)
PERMISSIONS_POLICY = _rule(
    "headers.permissions-policy.missing",
    "No Permissions-Policy",
    Severity.LOW,
    "Pages send a Permissions-Policy that turns off powerful features they do not use (camera, "
    "microphone...).",
    header_fix(
        "Send a Permissions-Policy denying what the product does not use.",
        "Permissions-Policy",
        "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    ),
    trust=1,
)
BANNER = _rule(
    "headers.banner.version",
    "Server software versions are advertised",
    Severity.LOW,
    "Server and X-Powered-By do not reveal software and versions that help an attacker pick an exploit.",
    Fix(
        summary="Hide version banners: server_tokens off, drop X-Powered-By.",
        snippets=remove_header_snippets("Server", "X-Powered-By"),
    ),
    trust=1,
)
GRADE_LOW = _rule(
    "headers.grade.low",
    "Security-header grade below B",
    Severity.MEDIUM,
    "The host's header score (MDN Observatory scale, see header_grade.py) is at least 70 (grade B).",
    Fix(summary="Fix the header findings of this host; each lists the points it costs.", references=(_MDN,)),
)

RULES = (
    CSP_MISSING,
    CSP_WEAK,
    XCTO_MISSING,
    FRAMING_MISSING,
    REFERRER_POLICY,
    PERMISSIONS_POLICY,
    BANNER,
    GRADE_LOW,
)
_PAGE_ONLY = (CSP_MISSING, CSP_WEAK, FRAMING_MISSING, PERMISSIONS_POLICY)


class SecurityHeaders(Check):
    name = "headers.security"
    rules = RULES

    async def run(self, ctx: CheckContext) -> list[Finding]:
        results = await asyncio.gather(*(self._host(ctx, host) for host in ctx.config.public_hosts))
        return [f for findings in results for f in findings]

    async def _host(self, ctx: CheckContext, host: str) -> list[Finding]:
        served, page = await asyncio.gather(homepage(ctx, host), content_page(ctx, host))
        if not page.usable and page.redirects_to is None:
            return [rule.unverifiable(host, page.reason or "no response", page.evidence) for rule in RULES]
        findings = [_banner(host, served)]
        if page.redirects_to is not None:
            note = f"{host} only redirects to {page.redirects_to}; content headers are judged there"
            findings += [rule.passed(host, note) for rule in RULES if rule not in (BANNER,)]
            return findings
        assert page.response is not None
        response = page.response
        api = ctx.config.is_api_host(host) or is_json(response.header("content-type"))
        findings += [
            *_csp(host, response, api),
            _xcto(host, response),
            _framing(host, response, api),
            _referrer(host, response),
            _permissions(host, response, api),
        ]
        findings.append(await self._grade(ctx, host, response, api))
        return findings

    async def _grade(self, ctx: CheckContext, host: str, response: HttpResponse, api: bool) -> Finding:
        redirects: bool | None = None
        try:
            plain = await ctx.fetch_once(ctx.config.url(host, "/", scheme="http"))
            redirects = plain.is_redirect and (plain.header("location") or "").startswith("https://")
        except NetError:
            redirects = None
        cors = await cors_probe(ctx, host)
        graded = grade_headers(
            GradeInput(
                response.headers, api_host=api, redirects_to_https=redirects, cors_open=cors.open_to_any
            )
        )
        ctx.artifacts.setdefault("header_grades", {})[host] = {
            "api_host": api,
            "url": response.url,
            **graded.as_dict(),
        }
        evidence = f"{host}: {graded.grade} ({graded.score}/100)" + (
            "; " + ", ".join(f"{t['test']} {t['points']:+d}" for t in graded.tests) if graded.tests else ""
        )
        details: dict[str, object] = graded.as_dict()
        if graded.score < 70:
            return GRADE_LOW.warned(host, evidence, details=details)
        return GRADE_LOW.passed(host, evidence, details=details)


def _na(rule: RuleSpec, host: str) -> Finding:
    return rule.passed(host, f"{host} serves JSON (an API host): {rule.title.lower()} does not apply to it")


def _csp(host: str, response: HttpResponse, api: bool) -> list[Finding]:
    if api:
        return [_na(CSP_MISSING, host), _na(CSP_WEAK, host)]
    enforced = response.header("content-security-policy")
    report_only = response.header("content-security-policy-report-only")
    if enforced is None:
        evidence = (
            f"only Content-Security-Policy-Report-Only ({report_only}): it reports but blocks nothing"
            if report_only
            else f"GET {response.url} → {response.status} with no Content-Security-Policy header"
        )
        missing = CSP_MISSING.failed(host, evidence)
        if report_only is None:
            return [missing, CSP_WEAK.failed(host, "no CSP at all: any injected script runs")]
        weak = csp_weaknesses(parse_csp(report_only))
        if weak:
            named = "; ".join(w.describe() for w in weak)
            return [
                missing,
                CSP_WEAK.warned(
                    host,
                    f"report-only policy would not stop injection: {named}",
                    details={"report_only": True, "weaknesses": [w.describe() for w in weak]},
                ),
            ]
        return [missing, CSP_WEAK.warned(host, "report-only policy is strict; enforce it")]
    weaknesses = csp_weaknesses(parse_csp(enforced))
    details: dict[str, object] = {"policy": enforced, "weaknesses": [w.describe() for w in weaknesses]}
    if report_only:
        details["report_only_weaknesses"] = [w.describe() for w in csp_weaknesses(parse_csp(report_only))]
    found = [CSP_MISSING.passed(host, f"Content-Security-Policy: {enforced}")]
    if weaknesses:
        found.append(CSP_WEAK.failed(host, "; ".join(w.describe() for w in weaknesses), details=details))
    else:
        found.append(CSP_WEAK.passed(host, f"Content-Security-Policy: {enforced}", details=details))
    return found


def _xcto(host: str, response: HttpResponse) -> Finding:
    value = response.header("x-content-type-options")
    if (value or "").strip().lower() == "nosniff":
        return XCTO_MISSING.passed(host, "X-Content-Type-Options: nosniff")
    return XCTO_MISSING.failed(host, f"X-Content-Type-Options: {value}" if value else "header absent")


def _framing(host: str, response: HttpResponse, api: bool) -> Finding:
    if api:
        return _na(FRAMING_MISSING, host)
    csp_value = response.header("content-security-policy")
    protection = framing_protection(
        parse_csp(csp_value) if csp_value else None, response.header("x-frame-options")
    )
    if protection is None:
        return FRAMING_MISSING.failed(host, f"GET {response.url}: no frame-ancestors and no X-Frame-Options")
    return FRAMING_MISSING.passed(host, protection)


def _referrer(host: str, response: HttpResponse) -> Finding:
    value = response.header("referrer-policy")
    if value is None:
        return REFERRER_POLICY.warned(
            host, "no Referrer-Policy (browsers default to strict-origin-when-cross-origin)"
        )
    policy = effective_referrer_policy(value)
    if policy == "unsafe-url":
        return REFERRER_POLICY.failed(
            host, f"Referrer-Policy: {value}: full URLs, query included, leak to every site"
        )
    if policy is None:
        return REFERRER_POLICY.warned(host, f"Referrer-Policy: {value} is not a recognised policy")
    return REFERRER_POLICY.passed(host, f"Referrer-Policy: {value}")


def _permissions(host: str, response: HttpResponse, api: bool) -> Finding:
    if api:
        return _na(PERMISSIONS_POLICY, host)
    value = response.header("permissions-policy")
    if value is None:
        return PERMISSIONS_POLICY.warned(host, "no Permissions-Policy header")
    return PERMISSIONS_POLICY.passed(host, f"Permissions-Policy: {value}")


def _banner(host: str, served: PageProbe) -> Finding:
    if not served.usable or served.response is None:
        return BANNER.unverifiable(host, served.reason or "no response", served.evidence)
    leaks = version_banner(served.response.header("server"), served.response.header("x-powered-by"))
    if leaks:
        return BANNER.warned(host, "; ".join(leaks), details={"headers": leaks})
    return BANNER.passed(host, f"Server: {served.response.header('server') or '(absent)'}, no X-Powered-By")
