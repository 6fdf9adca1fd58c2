"""Session cookies are judged where sessions are set: the configured login route, not only the landing page.

Negative tests for the old check, which read the landing page alone: a login that sets an insecure session
cookie passed ("sets no session cookie"), and a host with no cookie at all passed too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from minisite import Page, SiteHost

from launchready.checks.secure_delivery.cookies import SessionCookies
from launchready.findings import Finding

LOGIN_ROUTE = {
    "name": "login",
    "role": "login",
    "method": "POST",
    "host": "@",
    "path": "/auth/login",
    "body": {"email": "founder@app.test", "password": "hunter2"},
}


def cookie_finding(findings: tuple[Finding, ...], host: str) -> Finding:
    return next(f for f in findings if f.rule_id == "cookies.session.insecure" and f.target == host)


async def test_an_insecure_cookie_set_at_login_fails(minisite: Callable[..., Any]) -> None:
    login = Page(
        body='{"ok": true}', content_type="application/json", headers={"Set-Cookie": "session=abc; Path=/"}
    )
    hosts = {"app.test": SiteHost(pages={"/auth/login": login})}  # the landing page sets no cookie
    async with minisite("app.test", hosts, {"routes": [LOGIN_ROUTE]}) as site:
        run = await site.audit(SessionCookies())
    finding = cookie_finding(run.findings, "app.test")
    assert finding.status == "fail", finding.evidence
    assert "session" in finding.evidence and "/auth/login" in finding.evidence
    assert "abc" not in finding.evidence  # the cookie's value is never shown
    assert finding.exercised == {"cookies_seen": 1, "responses": 2}


async def test_a_secure_login_cookie_passes(minisite: Callable[..., Any]) -> None:
    login = Page(headers={"Set-Cookie": "__Host-session=abc; Secure; HttpOnly; SameSite=Lax; Path=/"})
    hosts = {"app.test": SiteHost(pages={"/auth/login": login})}
    async with minisite("app.test", hosts, {"routes": [LOGIN_ROUTE]}) as site:
        run = await site.audit(SessionCookies())
    finding = cookie_finding(run.findings, "app.test")
    assert finding.status == "pass", finding.evidence
    assert "/auth/login" in finding.evidence


async def test_a_failed_sign_in_with_no_cookie_is_unverifiable(minisite: Callable[..., Any]) -> None:
    refused = Page(status=401, body='{"error": "invalid"}', content_type="application/json")
    hosts = {"app.test": SiteHost(pages={"/auth/login": refused})}
    async with minisite("app.test", hosts, {"routes": [LOGIN_ROUTE]}) as site:
        run = await site.audit(SessionCookies())
    finding = cookie_finding(run.findings, "app.test")
    assert finding.status == "unverifiable"
    assert "could not sign in" in (finding.reason or "") and "401" in (finding.reason or "")


async def test_no_cookie_anywhere_is_not_assessed(minisite: Callable[..., Any]) -> None:
    hosts = {"app.test": SiteHost(pages={"/auth/login": Page(body="{}", content_type="application/json")})}
    async with minisite("app.test", hosts, {"routes": [LOGIN_ROUTE]}) as site:
        run = await site.audit(SessionCookies())
    finding = cookie_finding(run.findings, "app.test")
    assert finding.status == "not_assessed"
    assert finding.reason == "no cookie was set by the landing page or the login"


async def test_without_a_login_route_the_landing_page_is_judged_and_says_so(
    minisite: Callable[..., Any],
) -> None:
    good = Page(headers={"Set-Cookie": "sid=1; Secure; HttpOnly; SameSite=Strict"})
    hosts = {"app.test": SiteHost(default=good), "plain.app.test": SiteHost()}
    config = {"product": {"name": "A", "domain": "app.test", "subdomains": ["plain"]}}
    async with minisite("app.test", hosts, config) as site:
        run = await site.audit(SessionCookies())
    judged = cookie_finding(run.findings, "app.test")
    assert judged.status == "pass"
    assert "no login route is configured" in judged.evidence
    bare = cookie_finding(run.findings, "plain.app.test")
    assert bare.status == "not_assessed" and "no cookie was set by the landing page" in (bare.reason or "")
