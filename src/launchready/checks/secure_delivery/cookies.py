"""Session cookies are Secure, HttpOnly and SameSite (RFC 6265bis 4.1.2; OWASP Session Management).

Read from the page each host's visitors land on. A cookie counts as a session cookie when its name says so
(session, sid, auth, token...), it has a ``__Host-``/``__Secure-`` prefix, or the server marked it HttpOnly.
"""

from __future__ import annotations

import asyncio

from launchready.checks.interface import Check
from launchready.checks.secure_delivery.cookie_policy import parse_set_cookie
from launchready.checks.secure_delivery.page_probe import content_page
from launchready.engine.context import CheckContext
from launchready.findings import Finding, Fix, Impact, RuleSpec, Severity, Stage

SESSION_COOKIE = RuleSpec(
    rule_id="cookies.session.insecure",
    title="Session cookie without Secure, HttpOnly or SameSite",
    stage=Stage.SECURE_DELIVERY,
    severity=Severity.HIGH,
    description="Cookies that carry a session are set with Secure, HttpOnly and SameSite=Lax or Strict.",
    impact=Impact(launch_delay=1, support_load=1, customer_trust=3),
    fix=Fix(
        summary="Set session cookies with `Secure; HttpOnly; SameSite=Lax` (and a __Host- prefix when you "
        "can).",
        snippets={
            "fastapi": (
                "response.set_cookie('__Host-session', token, secure=True, httponly=True, samesite='lax', "
                "path='/')\n"
                "# Starlette sessions: app.add_middleware(SessionMiddleware, secret_key=..., https_only=True,"
                " same_site='lax')"
            ),
            "nextjs": "cookies().set('session', token, { secure: true, httpOnly: true, sameSite: 'lax', "
            "path: '/' })",
            "nginx": "proxy_cookie_flags ~ secure httponly samesite=lax;",
            "caddy": "# set the flags in the application; Caddy does not rewrite Set-Cookie attributes",
            "cloudflare": "Set the flags in the application; edge rewriting of Set-Cookie is not reliable.",
        },
    ),
)


class SessionCookies(Check):
    name = "cookies.session"
    rules = (SESSION_COOKIE,)

    async def run(self, ctx: CheckContext) -> list[Finding]:
        return list(await asyncio.gather(*(self._host(ctx, host) for host in ctx.config.public_hosts)))

    async def _host(self, ctx: CheckContext, host: str) -> Finding:
        page = await content_page(ctx, host)
        if page.redirects_to is not None:
            return SESSION_COOKIE.passed(
                host, f"{host} only redirects to {page.redirects_to}; cookies judged there"
            )
        if not page.usable or page.response is None:
            return SESSION_COOKIE.unverifiable(host, page.reason or "no response", page.evidence)
        cookies = [parse_set_cookie(v) for v in page.response.header_all("set-cookie")]
        sessions = [c for c in cookies if c.looks_like_session]
        if not sessions:
            names = ", ".join(c.name for c in cookies) or "none"
            return SESSION_COOKIE.passed(host, f"GET {page.url} sets no session cookie (cookies: {names})")
        bad = {c.name: c.problems() for c in sessions if c.problems()}
        if bad:
            text = "; ".join(f"{name} lacks {', '.join(missing)}" for name, missing in bad.items())
            return SESSION_COOKIE.failed(host, f"GET {page.url}: {text}", details={"cookies": bad})
        return SESSION_COOKIE.passed(
            host, f"{', '.join(c.name for c in sessions)}: Secure, HttpOnly, SameSite"
        )
