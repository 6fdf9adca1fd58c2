"""Header, cookie and CORS rules against a real HTTPS site on loopback, including a bot-protection block."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import trustme
from minisite import Page, SiteHost

from launchready.checks.secure_delivery.cookies import SessionCookies
from launchready.checks.secure_delivery.cors import CorsPolicy
from launchready.checks.secure_delivery.hsts_policy import HstsPolicyStrength
from launchready.checks.secure_delivery.security_headers import SecurityHeaders
from launchready.engine import AuditRun
from launchready.findings import Status

GOOD = {
    "Strict-Transport-Security": "max-age=63072000; includeSubDomains; preload",
    "Content-Security-Policy": "default-src 'self'; object-src 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=()",
    "Set-Cookie": "__Host-session=x; Secure; HttpOnly; SameSite=Lax; Path=/",
    "Server": "cloudflare",
}
BAD = {
    "Strict-Transport-Security": "max-age=300",
    "Content-Security-Policy": "default-src 'self'; script-src 'self' 'unsafe-inline' http://cdn.bad.test",
    "Referrer-Policy": "unsafe-url",
    "Server": "nginx/1.18.0",
    "X-Powered-By": "Express",
    "Set-Cookie": "session=abc; Path=/",
}
CHALLENGE = Page(
    status=403,
    headers={"cf-mitigated": "challenge", "Server": "cloudflare"},
    body="<html><title>Just a moment...</title></html>",
)


def by_rule(run: AuditRun, host: str) -> dict[str, Status]:
    return {f.rule_id: f.status for f in run.findings if f.target == host}


async def test_good_bad_api_and_blocked_hosts(minisite: Callable[..., Any]) -> None:
    api_json = Page(
        headers={
            "X-Content-Type-Options": "nosniff",
            "Access-Control-Allow-Origin": "https://attacker.launchready.invalid",
            "Access-Control-Allow-Credentials": "true",
        },
        body='{"ok": true}',
        content_type="application/json",
    )
    hosts = {
        "good.test": SiteHost(default=Page(headers=GOOD)),
        "www.good.test": SiteHost(
            default=Page(status=301, headers={"Location": "https://good.test:{https_port}/"})
        ),
        "bad.good.test": SiteHost(default=Page(headers=BAD)),
        "api.good.test": SiteHost(default=api_json),
        "shop.good.test": SiteHost(default=CHALLENGE),
    }
    config = {"product": {"name": "G", "domain": "good.test", "subdomains": ["bad", "api", "shop"]}}
    async with minisite("good.test", hosts, config) as site:
        run = await site.audit(SecurityHeaders(), SessionCookies(), CorsPolicy(), HstsPolicyStrength())

    good = by_rule(run, "good.test")
    assert {s for r, s in good.items() if r != "headers.hsts.preload"} == {Status.PASS}, good
    assert good["headers.hsts.preload"] is Status.PASS
    assert run.artifacts["header_grades"]["good.test"]["grade"] == "A+"

    # A redirect-only host is judged on its target: not assessed here, never a pass that earns credit.
    www_findings = [
        f for f in run.findings if f.target == "www.good.test" and f.rule_id != "headers.banner.version"
    ]
    elsewhere = {
        f.rule_id: f for f in www_findings if f.rule_id.startswith(("headers.csp", "headers.framing"))
    }
    assert elsewhere and {f.status for f in elsewhere.values()} == {Status.NOT_ASSESSED}
    assert all("judged elsewhere" in (f.reason or "") for f in elsewhere.values())
    www = by_rule(run, "www.good.test")
    assert www["cookies.session.insecure"] is Status.NOT_ASSESSED

    bad = by_rule(run, "bad.good.test")
    assert bad["headers.csp.weak"] is Status.FAIL
    assert bad["headers.xcto.missing"] is Status.FAIL
    assert bad["headers.framing.missing"] is Status.FAIL
    assert bad["headers.referrer-policy.missing"] is Status.FAIL
    assert bad["headers.permissions-policy.missing"] is Status.WARN
    assert bad["headers.banner.version"] is Status.WARN
    assert bad["headers.grade.low"] is Status.WARN
    assert bad["headers.hsts.short"] is Status.FAIL
    assert bad["cookies.session.insecure"] is Status.FAIL
    weak = next(f for f in run.findings if f.rule_id == "headers.csp.weak" and f.target == "bad.good.test")
    assert "script-src allows 'unsafe-inline'" in weak.evidence and "http://cdn.bad.test" in weak.evidence
    assert "abc" not in weak.evidence

    api = by_rule(run, "api.good.test")
    # JSON API: the page-only rules do not apply, which is not assessed (no credit), not a pass
    for page_only in ("headers.csp.missing", "headers.csp.weak", "headers.framing.missing"):
        assert api[page_only] is Status.NOT_ASSESSED, page_only
    csp_api = next(
        f for f in run.findings if f.rule_id == "headers.csp.missing" and f.target == "api.good.test"
    )
    assert "does not apply" in (csp_api.reason or "")
    assert api["headers.xcto.missing"] is Status.PASS
    assert api["cors.origin.reflected"] is Status.FAIL
    reflected = next(
        f for f in run.findings if f.rule_id == "cors.origin.reflected" and f.target == "api.good.test"
    )
    assert reflected.severity == "critical"  # with credentials

    shop = [f for f in run.findings if f.target == "shop.good.test"]
    assert shop and {f.status for f in shop} == {Status.UNVERIFIABLE}
    assert all("Cloudflare" in (f.reason or "") for f in shop)
    assert any("cf-mitigated" in f.evidence for f in shop)


async def test_report_only_csp_is_analysed_but_does_not_count_as_a_policy(
    minisite: Callable[..., Any],
) -> None:
    headers = {"Content-Security-Policy-Report-Only": "script-src 'self' 'unsafe-eval'"}
    async with minisite("ro.test", {"ro.test": SiteHost(default=Page(headers=headers))}) as site:
        run = await site.audit(SecurityHeaders())
    found = {f.rule_id: f for f in run.findings if f.target == "ro.test"}
    assert found["headers.csp.missing"].status is Status.FAIL
    assert "report-only" in found["headers.csp.missing"].evidence.lower()
    assert found["headers.csp.weak"].status is Status.WARN
    assert "unsafe-eval" in found["headers.csp.weak"].evidence


async def test_cors_behind_a_rejected_certificate(minisite: Callable[..., Any], tmp_path: Path) -> None:
    """An open policy is reported past the certificate; a closed one cannot be vouched for, so says why."""
    reflecting = Page(
        headers={
            "Access-Control-Allow-Origin": "https://attacker.launchready.invalid",
            "Access-Control-Allow-Credentials": "true",
        },
        body='{"ok": true}',
        content_type="application/json",
    )
    hosts = {"closed.test": SiteHost(), "api.closed.test": SiteHost(default=reflecting)}
    config = {"product": {"name": "C", "domain": "closed.test", "subdomains": ["api"]}}
    stranger = tmp_path / "other-ca.pem"
    trustme.CA().cert_pem.write_to_path(str(stranger))  # the audit trusts a CA that issued none of them
    async with minisite("closed.test", hosts, config) as site:
        site.options = replace(site.options, ca_bundle=str(stranger))
        run = await site.audit(CorsPolicy())

    found = {(f.rule_id, f.target): f for f in run.findings}
    reflected = found["cors.origin.reflected", "api.closed.test"]
    assert reflected.status is Status.FAIL and reflected.severity == "critical"
    assert "without verifying the certificate" in reflected.evidence
    for rule in ("cors.origin.reflected", "cors.wildcard.credentials"):
        closed = found[rule, "closed.test"]
        assert closed.status is Status.UNVERIFIABLE
        assert "certificate is rejected" in (closed.reason or "")
        assert "allows no foreign origin" in (closed.reason or "")
