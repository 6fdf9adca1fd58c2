"""The monitor's web side on aiohttp (already a dependency): dashboard, public status page, Prometheus
``/metrics``, and the authenticated ingest endpoints (deploy markers, heartbeats).

Server-rendered with Jinja2 (autoescaped: every string from a monitored site — a page title, an error
message, a keyword — is shown as text, never markup), no JavaScript and no CDN assets: the stylesheet is
inline and the trend charts are inline SVG. Dashboard pages need a login (``launchready monitor user``);
forms carry a CSRF token; ``/status`` and ``/metrics`` are public and read-only; ingest takes a bearer
token from the environment variable named by ``[monitor] token_env``.
"""

from __future__ import annotations

import asyncio
import hmac
import os
import secrets
import time
from typing import Any

import jinja2
from aiohttp import web

from launchready.config import LaunchConfig
from launchready.monitor import auth
from launchready.monitor.store import Store, views

COOKIE = "lr_session"
LOGIN_COOKIE = "lr_login"

_env = jinja2.Environment(
    loader=jinja2.PackageLoader("launchready.monitor", "templates"),
    autoescape=jinja2.select_autoescape(default=True, default_for_string=True),
    undefined=jinja2.StrictUndefined,
)


def _ago(at: float | None, now: float) -> str:
    if at is None:
        return "never"
    seconds = max(0.0, now - at)
    for unit, size in (("d", 86_400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"{seconds / size:.0f} {unit} ago"
    return f"{seconds:.0f} s ago"


def _clock(at: float | None) -> str:
    return "" if at is None else time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(at))


def sparkline(
    points: list[tuple[float, float]], markers: list[float], width: int = 240, height: int = 40
) -> dict[str, Any]:
    """Inline-SVG coordinates for a trend with deploy markers (vertical lines) on the same time axis."""
    if not points:
        return {"path": "", "markers": [], "width": width, "height": height, "max": 0}
    t1 = max(points[-1][0], points[0][0] + 1)
    shown = [m for m in markers if t1 - 86_400 <= m <= t1]
    t0 = min([points[0][0], *shown])  # a deploy just before the first result is the one that matters
    top = max(v for _, v in points) or 1.0
    xy = [((t - t0) / (t1 - t0) * width, height - v / top * (height - 2) - 1) for t, v in points]
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in xy)
    marks = [round((m - t0) / (t1 - t0) * width, 1) for m in shown]
    return {"path": path, "markers": marks, "width": width, "height": height, "max": round(top)}


_env.filters["ago"] = _ago
_env.filters["clock"] = _clock


def render(name: str, **context: Any) -> web.Response:
    html = _env.get_template(name).render(**context)
    response = web.Response(text=html, content_type="text/html")
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'"
    )
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "same-origin"
    return response


class MonitorWeb:
    def __init__(self, config: LaunchConfig, store: Store, secure_cookies: bool = True) -> None:
        self.config = config
        self.store = store
        self.secure = secure_cookies
        self.key = store.setting("session_key", secrets.token_hex(32))

    def app(self) -> web.Application:
        app = web.Application(client_max_size=1024 * 1024)
        app.add_routes([
            web.get("/", self.dashboard), web.get("/check/{check_id}", self.detail),
            web.get("/login", self.login_form), web.post("/login", self.login), web.post("/logout", self.logout),
            web.get("/status", self.status), web.get("/metrics", self.metrics), web.get("/playbook", self.playbook),
            web.post("/api/deploys", self.post_deploy), web.post("/heartbeat/{name}", self.heartbeat),
            web.post("/api/logs", self.post_logs),
            web.get("/heartbeat/{name}", self.heartbeat),
        ])  # fmt: skip
        return app

    # --- sign-in ---------------------------------------------------------------------------------------
    def _user(self, request: web.Request) -> tuple[str | None, str]:
        cookie = request.cookies.get(COOKIE, "")
        return auth.session_user(self.key, cookie), cookie

    def _set_cookie(self, response: web.StreamResponse, name: str, value: str, max_age: int) -> None:
        response.set_cookie(
            name, value, max_age=max_age, httponly=True, secure=self.secure, samesite="Strict", path="/"
        )

    async def login_form(self, request: web.Request, error: str = "") -> web.Response:
        nonce = request.cookies.get(LOGIN_COOKIE) or secrets.token_urlsafe(24)
        response = render("login.html", error=error, csrf=auth.csrf_token(self.key, "login:" + nonce),
                          product=self.config.product.name)  # fmt: skip
        self._set_cookie(response, LOGIN_COOKIE, nonce, 600)
        return response

    async def login(self, request: web.Request) -> web.StreamResponse:
        form = await request.post()
        nonce = request.cookies.get(LOGIN_COOKIE, "")
        if not nonce or not auth.csrf_ok(self.key, "login:" + nonce, str(form.get("csrf", ""))):
            raise web.HTTPForbidden(text="CSRF token missing or wrong: reload the login page")
        name, password = str(form.get("name", "")), str(form.get("password", ""))
        stored = await asyncio.to_thread(self.store.password_hash, name)
        ok = await asyncio.to_thread(auth.check_password, password, stored)
        if not ok:
            response = await self.login_form(request, error="Wrong name or password.")
            response.set_status(401)
            return response
        response = web.HTTPSeeOther("/")
        self._set_cookie(response, COOKIE, auth.make_session(self.key, name), auth.SESSION_S)
        response.del_cookie(LOGIN_COOKIE, path="/")
        raise response

    async def logout(self, request: web.Request) -> web.StreamResponse:
        user, cookie = self._user(request)
        form = await request.post()
        if user is None or not auth.csrf_ok(self.key, cookie, str(form.get("csrf", ""))):
            raise web.HTTPForbidden(text="CSRF token missing or wrong")
        response = web.HTTPSeeOther("/login")
        response.del_cookie(COOKIE, path="/")
        raise response

    def _require(self, request: web.Request) -> tuple[str, str]:
        user, cookie = self._user(request)
        if user is None:
            raise web.HTTPSeeOther("/login")
        return user, cookie

    # --- pages -----------------------------------------------------------------------------------------
    async def dashboard(self, request: web.Request) -> web.Response:
        if request.host.lower().startswith("status."):  # status.<domain> pointed here: the public page
            return await self.status(request)
        user, cookie = self._require(request)
        now = time.time()
        try:
            page_no = int(request.query.get("page", "1"))
        except ValueError:
            page_no = 1
        query, state = request.query.get("q", "")[:200], request.query.get("state", "")[:20]
        page = await asyncio.to_thread(views.dashboard_page, self.store, now, page_no, query, state)
        deploys = await asyncio.to_thread(views.recent_deploys, self.store, now)
        incidents = await asyncio.to_thread(views.recent_incidents, self.store)
        posture = await asyncio.to_thread(views.posture_checks, self.store)
        marks = [d.at for d in deploys]
        charts = {row.check_id: sparkline(row.trend, marks) for row in page.rows}
        return render(
            "dashboard.html", user=user, csrf=auth.csrf_token(self.key, cookie), page=page, charts=charts,
            deploys=deploys, incidents=incidents, now=now, q=query, state=state, product=self.config.product.name,
            certificates=[p for p in posture if p.kind == "tls"], email=[p for p in posture if p.kind == "email"],
        )  # fmt: skip

    async def detail(self, request: web.Request) -> web.Response:
        user, cookie = self._require(request)
        now = time.time()
        row = await asyncio.to_thread(views.check_detail, self.store, request.match_info["check_id"], now)
        if row is None:
            raise web.HTTPNotFound(text="no such check")
        deploys = await asyncio.to_thread(views.recent_deploys, self.store, now, 1)
        chart = sparkline(row.trend, [d.at for d in deploys], width=720, height=160)
        return render("check.html", user=user, csrf=auth.csrf_token(self.key, cookie), row=row, chart=chart,
                      deploys=deploys, now=now, product=self.config.product.name)  # fmt: skip

    async def playbook(self, request: web.Request) -> web.Response:
        from launchready.monitor.playbook import playbook

        user, cookie = self._require(request)  # owners' phone numbers: signed-in people only
        return render("playbook.html", user=user, csrf=auth.csrf_token(self.key, cookie),
                      book=playbook(self.config), product=self.config.product.name)  # fmt: skip

    async def status(self, request: web.Request) -> web.Response:
        now = time.time()
        page = await asyncio.to_thread(views.dashboard_page, self.store, now, 1, "", "")
        incidents = await asyncio.to_thread(views.recent_incidents, self.store, 20)
        return render(
            "status.html", page=page, incidents=incidents, now=now, product=self.config.product.name
        )

    async def metrics(self, request: web.Request) -> web.Response:
        text = await asyncio.to_thread(views.metrics_text, self.store, time.time())
        return web.Response(text=text, content_type="text/plain", charset="utf-8")

    # --- ingest ----------------------------------------------------------------------------------------
    def _token_ok(self, request: web.Request) -> bool:
        expected = os.environ.get(self.config.monitor.token_env, "")
        given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        given = given or request.query.get("token", "")
        return bool(expected) and hmac.compare_digest(given.encode(), expected.encode())

    async def post_deploy(self, request: web.Request) -> web.Response:
        if not self._token_ok(request):
            raise web.HTTPUnauthorized(text=f"send Authorization: Bearer ${self.config.monitor.token_env}")
        try:
            data = await request.json()
        except ValueError:
            raise web.HTTPBadRequest(text='expected a JSON body: {"version": "v1.2.3"}') from None
        version = data.get("version") if isinstance(data, dict) else None
        if not isinstance(version, str) or not version.strip() or len(version) > 200:
            raise web.HTTPBadRequest(text="version: a non-empty string of at most 200 characters")
        note = str(data.get("note", ""))[:1000]
        deploy_id = await asyncio.to_thread(self.store.mark_deploy, version.strip(), time.time(), note)
        return web.json_response({"id": deploy_id, "version": version.strip()}, status=201)

    async def post_logs(self, request: web.Request) -> web.Response:
        """JSON-lines events (or a JSON array of them) for the log-based alerts."""
        import json

        from launchready.monitor.logs import count_lines

        if not self._token_ok(request):
            raise web.HTTPUnauthorized(text="missing or wrong token")
        text = await request.text()
        lines: list[str] = text.splitlines()
        if text.lstrip().startswith("["):
            try:
                events = json.loads(text)
            except ValueError:
                raise web.HTTPBadRequest(text="not a JSON array of events") from None
            lines = [json.dumps(e) for e in events] if isinstance(events, list) else []
        counts = count_lines(lines)
        if counts.total:
            minute = int(time.time() // 60)
            await asyncio.to_thread(
                self.store.add_log_counts, minute, counts.total, counts.errors, counts.llm_failures
            )
        return web.json_response(
            {"events": counts.total, "errors": counts.errors, "llm_failures": counts.llm_failures}
        )

    async def heartbeat(self, request: web.Request) -> web.Response:
        if not self._token_ok(request):
            raise web.HTTPUnauthorized(text="missing or wrong token")
        name = request.match_info["name"]
        if name not in {beat.name for beat in self.config.monitor.heartbeats}:
            raise web.HTTPNotFound(text="no such heartbeat in [[monitor.heartbeats]]")
        await asyncio.to_thread(self.store.ping, name, time.time())
        return web.json_response({"ok": True})


async def serve_web(config: LaunchConfig, store: Store, stop: asyncio.Event) -> None:
    host, _, port = config.monitor.listen.rpartition(":")
    runner = web.AppRunner(MonitorWeb(config, store).app(), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host.strip("[]") or "127.0.0.1", int(port))
    await site.start()
    try:
        await stop.wait()
    finally:
        await runner.cleanup()
