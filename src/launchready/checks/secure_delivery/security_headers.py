"""Security response headers of each host's landing page, and the host's grade (roadmap stage 3).

One check reads one shared response per host and gives a verdict per header, naming the directive at fault,
so "CSP: script-src allows 'unsafe-inline'" is fixable at a glance. An API host (config ``api_hosts`` or a
JSON response) is not held to the page-only rules: browsers never render its JSON as a document, so CSP,
framing and Permissions-Policy do not protect anything there (OWASP REST Security Cheat Sheet, "Security
headers"). X-Content-Type-Options still applies: it stops a JSON body being sniffed as script.

Those page-only rules are ``not_assessed`` on an API host, and every content rule is ``not_assessed`` on a
host that only redirects to another one (judged where it lands): neither earns readiness credit.
"""

from __future__ import annotations

import asyncio

from launchready.checks.interface import Check
from launchready.checks.secure_delivery.cors import cors_probe
from launchready.checks.secure_delivery.header_grade import GradeInput, grade_headers
from launchready.checks.secure_delivery.header_policy import (
    csp_weaknesses,
    effective_referrer_policy,
    framing_protection,
    is_json,
    parse_csp,
    version_banner,
)
from launchready.checks.secure_delivery.page_probe import PageProbe, content_page, homepage, judged_elsewhere
from launchready.engine.context import CheckContext
from launchready.findings import Finding, RuleSpec
from launchready.net import HttpResponse, NetError
from launchready.rules import rule

CSP_MISSING = rule("headers.csp.missing")
CSP_WEAK = rule("headers.csp.weak")
XCTO_MISSING = rule("headers.xcto.missing")
FRAMING_MISSING = rule("headers.framing.missing")
REFERRER_POLICY = rule("headers.referrer-policy.missing")
PERMISSIONS_POLICY = rule("headers.permissions-policy.missing")
BANNER = rule("headers.banner.version")
GRADE_LOW = rule("headers.grade.low")
_ONE_RESPONSE = {"responses": 1}

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
            note = judged_elsewhere(host, page)
            findings += [rule.not_assessed(host, note) for rule in RULES if rule is not BANNER]
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
        read = {"responses": 1 + (redirects is not None) + (cors.error is None)}
        if graded.score < 70:
            return GRADE_LOW.warned(host, evidence, details=details, exercised=read)
        return GRADE_LOW.passed(host, evidence, details=details, exercised=read)


def _na(rule: RuleSpec, host: str) -> Finding:
    """Page-only rules do not apply to an API host: not assessed (no credit), never a pass."""
    return rule.not_assessed(
        host,
        f"does not apply: {host} serves an API (JSON), which browsers never render as a page; "
        f'set api = false under [hosts."{host}"] if it serves pages',
    )


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
    found = [CSP_MISSING.passed(host, f"Content-Security-Policy: {enforced}", exercised=_ONE_RESPONSE)]
    if weaknesses:
        found.append(CSP_WEAK.failed(host, "; ".join(w.describe() for w in weaknesses), details=details))
    else:
        found.append(
            CSP_WEAK.passed(
                host, f"Content-Security-Policy: {enforced}", details=details, exercised=_ONE_RESPONSE
            )
        )
    return found


def _xcto(host: str, response: HttpResponse) -> Finding:
    value = response.header("x-content-type-options")
    if (value or "").strip().lower() == "nosniff":
        return XCTO_MISSING.passed(
            host, f"GET {response.url}: X-Content-Type-Options: nosniff", exercised=_ONE_RESPONSE
        )
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
    return FRAMING_MISSING.passed(host, f"GET {response.url}: {protection}", exercised=_ONE_RESPONSE)


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
    return REFERRER_POLICY.passed(host, f"Referrer-Policy: {value}", exercised=_ONE_RESPONSE)


def _permissions(host: str, response: HttpResponse, api: bool) -> Finding:
    if api:
        return _na(PERMISSIONS_POLICY, host)
    value = response.header("permissions-policy")
    if value is None:
        return PERMISSIONS_POLICY.warned(host, "no Permissions-Policy header")
    return PERMISSIONS_POLICY.passed(host, f"Permissions-Policy: {value}", exercised=_ONE_RESPONSE)


def _banner(host: str, served: PageProbe) -> Finding:
    if not served.usable or served.response is None:
        return BANNER.unverifiable(host, served.reason or "no response", served.evidence)
    leaks = version_banner(served.response.header("server"), served.response.header("x-powered-by"))
    if leaks:
        return BANNER.warned(host, "; ".join(leaks), details={"headers": leaks})
    return BANNER.passed(
        host,
        f"GET {served.url}: Server: {served.response.header('server') or '(absent)'}, no X-Powered-By",
        exercised=_ONE_RESPONSE,
    )
