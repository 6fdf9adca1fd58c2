"""Session cookies are Secure, HttpOnly and SameSite (RFC 6265bis 4.1.2; OWASP Session Management).

Sessions are set at sign-in, not on the landing page, so the check signs in: it sends the configured login
route (``[[routes]]`` with ``role = "login"``, its method, body and headers from the config) once per run
and judges the cookies that answer sets, together with the cookies of each host's landing page. Without a
login route only the landing page's cookies are judged, and the evidence says so. A cookie counts as a
session cookie when its name says so (session, sid, auth, token...), it has a ``__Host-``/``__Secure-``
prefix, or the server marked it HttpOnly.

No verdict without a cookie: a host where neither the landing page nor the login set a session cookie is
``not_assessed`` (with what was looked at), never a pass; a sign-in that failed is ``unverifiable``.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from launchready.checks.interface import Check
from launchready.checks.secure_delivery.cookie_policy import CookieFlags, parse_set_cookie
from launchready.checks.secure_delivery.page_probe import content_page, judged_elsewhere
from launchready.config import RouteConfig, RouteRole
from launchready.engine.context import CheckContext
from launchready.findings import Finding
from launchready.net import HttpResponse, NetError
from launchready.rules import rule

SESSION_COOKIE = rule("cookies.session.insecure")
_NO_LOGIN_ROUTE = (
    'no login route is configured ([[routes]] with role = "login"), so cookies set at sign-in were not seen'
)


@dataclass(frozen=True)
class LoginAttempt:
    """What sending the configured login route gave: its response, or why there is none."""

    host: str
    url: str
    response: HttpResponse | None
    error: str | None = None

    @property
    def signed_in(self) -> bool:
        return self.response is not None and 200 <= self.response.status < 400

    def describe(self) -> str:
        if self.response is None:
            return f"login {self.url}: {self.error}"
        return f"login {self.url} → {self.response.status} {self.response.reason}".rstrip()


def login_route(ctx: CheckContext) -> RouteConfig | None:
    routes = ctx.config.routes_with_role(RouteRole.LOGIN)
    return routes[0] if routes else None


async def sign_in(ctx: CheckContext, route: RouteConfig) -> LoginAttempt:
    """Send the login route once per run (redirects are not followed: the session is set on that answer)."""
    host = ctx.config.host_for(route.host)
    url = ctx.config.route_url(route)

    async def once() -> HttpResponse:
        return await ctx.http.fetch(
            url,
            method=route.method,
            headers=route.headers,
            body=route.body if isinstance(route.body, str) else None,
            json=route.body if isinstance(route.body, dict) else None,
            max_body_bytes=65536,
        )

    async def send() -> LoginAttempt:
        try:
            response = await once()
            wait = _retry_after(response)
            if wait is not None:  # another check's burst hit the login limit: sign in as a client would
                await asyncio.sleep(wait)
                response = await once()
        except NetError as exc:
            return LoginAttempt(host, url, None, str(exc))
        return LoginAttempt(host, url, response)

    return await ctx.once("login:" + url, send)


_MAX_LOGIN_WAIT_S = 10


def _retry_after(response: HttpResponse) -> float | None:
    """Seconds to wait before signing in again after a 429 (Retry-After, RFC 9110 10.2.3), when short."""
    if response.status != 429:
        return None
    value = (response.header("retry-after") or "1").strip()
    if not value.isdigit() or int(value) > _MAX_LOGIN_WAIT_S:
        return None
    return float(value)


class SessionCookies(Check):
    name = "cookies.session"
    rules = (SESSION_COOKIE,)

    async def run(self, ctx: CheckContext) -> list[Finding]:
        route = login_route(ctx)
        login = await sign_in(ctx, route) if route is not None else None
        hosts = [*ctx.config.public_hosts, *([login.host] if login is not None else [])]
        return list(await asyncio.gather(*(self._host(ctx, host, login) for host in dict.fromkeys(hosts))))

    async def _host(self, ctx: CheckContext, host: str, login: LoginAttempt | None) -> Finding:
        page = await content_page(ctx, host)
        here = login if login is not None and login.host == host else None
        seen: list[tuple[str, CookieFlags]] = []
        looked_at: list[str] = []
        if page.usable and page.redirects_to is None and page.response is not None:
            looked_at.append(f"GET {page.url}")
            seen += [(f"GET {page.url}", parse_set_cookie(v)) for v in page.response.header_all("set-cookie")]
        if here is not None and here.response is not None:
            looked_at.append(f"{here.response.url}")
            seen += [(here.describe(), parse_set_cookie(v)) for v in here.response.header_all("set-cookie")]
        if not looked_at:
            if page.redirects_to is not None:
                return SESSION_COOKIE.not_assessed(host, judged_elsewhere(host, page))
            reasons = [page.reason or "no response", *([here.describe()] if here is not None else [])]
            return SESSION_COOKIE.unverifiable(host, "; ".join(reasons), page.evidence)
        scope = _scope(login, here)
        sessions = [(where, c) for where, c in seen if c.looks_like_session]
        if not sessions:
            if here is not None and not here.signed_in:
                return SESSION_COOKIE.unverifiable(
                    host, f"could not sign in ({here.describe()}): check the login route's body in the config"
                )
            names = ", ".join(c.name for _, c in seen)
            what = f"no session cookie among {names}" if names else "no cookie"
            return SESSION_COOKIE.not_assessed(host, f"{what} was set by {scope}")
        exercised = {"cookies_seen": len(seen), "responses": len(looked_at)}
        bad = {c.name: c.problems() for _, c in sessions if c.problems()}
        details: dict[str, object] = {"sources": sorted({where for where, _ in sessions})}
        if bad:
            text = "; ".join(
                f"{c.name} (from {where}) lacks {', '.join(c.problems())}"
                for where, c in sessions
                if c.problems()
            )
            return SESSION_COOKIE.failed(
                host, f"{text} (looked at {scope})", details={**details, "cookies": bad}, exercised=exercised
            )
        names = ", ".join(f"{c.name} (from {where})" for where, c in sessions)
        return SESSION_COOKIE.passed(
            host,
            f"{names}: Secure, HttpOnly, SameSite (looked at {scope})",
            details=details,
            exercised=exercised,
        )


def _scope(login: LoginAttempt | None, here: LoginAttempt | None) -> str:
    """Which responses were judged, in words for the evidence."""
    if login is None:
        return f"the landing page ({_NO_LOGIN_ROUTE})"
    if here is None:
        return f"the landing page (the login route is on {login.host})"
    return "the landing page or the login"
