"""The dashboard, status page, /metrics and ingest endpoints in-process (aiohttp's test client, SQLite):
login with a hashed password and a Secure/HttpOnly/SameSite cookie, CSRF refused, hostile text escaped,
pagination, deploy markers by authenticated POST, heartbeats."""

from __future__ import annotations

import random
import re
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer

from launchready.config import LaunchConfig, load_config
from launchready.config.model import HeartbeatConfig, MonitorConfig
from launchready.monitor.auth import hash_password
from launchready.monitor.model import CheckKind, CheckResult, CheckState, MonitorCheck
from launchready.monitor.store import Store
from launchready.monitor.web import MonitorWeb

TOKEN = "t0ken-for-tests-only"
HOSTILE = '<script>alert("pwned")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def config(tmp_path: Path) -> LaunchConfig:
    path = tmp_path / "launchready.toml"
    path.write_text('[product]\nname = "Lab"\ndomain = "chatbot.test"\n', encoding="utf-8")
    base = load_config(path)
    monitor = MonitorConfig(heartbeats=(HeartbeatConfig(name="nightly-backup"),), token_env="LR_TEST_TOKEN")
    return base.model_copy(update={"monitor": monitor})


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = Store(f"sqlite:///{tmp_path}/m.db")
    store.migrate()
    store.set_user("ada", hash_password("correct horse battery"))
    now = time.time()
    plan = [
        MonitorCheck(f"route:r{i:03d}", CheckKind.ROUTE, f"r{i:03d}", f"https://x/{i}", 60)
        for i in range(120)
    ]
    store.sync_checks(plan, now, 1.0, random.Random(1))
    store.record(
        [(CheckResult("route:r007", CheckKind.ROUTE, "https://x/7", CheckState.DOWN, HOSTILE, now), None)]
    )
    posture = [MonitorCheck("tls:chatbot.test", CheckKind.TLS, "chatbot.test", "chatbot.test", 60),
               MonitorCheck("email", CheckKind.EMAIL, "chatbot.test", "chatbot.test", 3600)]  # fmt: skip
    store.sync_checks([*plan, *posture], now, 1.0, random.Random(1))
    drift = "email authentication drift: chatbot.test: DMARC policy weakened (reject -> none)"
    store.record([
        (CheckResult("tls:chatbot.test", CheckKind.TLS, "chatbot.test", CheckState.UP, "certificate valid for 80 more days", now), None),
        (CheckResult("email", CheckKind.EMAIL, "chatbot.test", CheckState.DOWN, drift, now), None),
    ])  # fmt: skip
    return store


@pytest.fixture
async def client(
    config: LaunchConfig, store: Store, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[TestClient]:  # type: ignore[type-arg]
    monkeypatch.setenv("LR_TEST_TOKEN", TOKEN)
    async with TestClient(TestServer(MonitorWeb(config, store, secure_cookies=False).app())) as client:
        yield client


async def _login(client: TestClient, password: str = "correct horse battery") -> int:  # type: ignore[type-arg]
    form = await client.get("/login")
    csrf = re.search(r'name="csrf" value="([^"]+)"', await form.text())
    assert csrf is not None
    response = await client.post(
        "/login", data={"csrf": csrf.group(1), "name": "ada", "password": password}, allow_redirects=False
    )
    return response.status


async def test_the_dashboard_needs_a_login(client: TestClient) -> None:  # type: ignore[type-arg]
    response = await client.get("/", allow_redirects=False)
    assert response.status == 303 and response.headers["Location"] == "/login"
    assert await _login(client, "wrong password!") == 401
    assert (await client.get("/", allow_redirects=False)).status == 303


async def test_login_sets_a_strict_http_only_cookie_and_shows_checks_escaped(
    config: LaunchConfig, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with TestClient(TestServer(MonitorWeb(config, store, secure_cookies=True).app())) as client:
        form = await client.get("/login")
        csrf = re.search(r'name="csrf" value="([^"]+)"', await form.text())
        assert csrf is not None
        nonce = form.cookies["lr_login"].value  # a Secure cookie: the client keeps it off plain HTTP itself
        response = await client.post(
            "/login", data={"csrf": csrf.group(1), "name": "ada", "password": "correct horse battery"},
            headers={"Cookie": f"lr_login={nonce}"}, allow_redirects=False,
        )  # fmt: skip
        assert response.status == 303
        cookie = next(v for k, v in response.headers.items() if k == "Set-Cookie" and "lr_session" in v)
        assert "HttpOnly" in cookie and "Secure" in cookie and "SameSite=Strict" in cookie
        assert "ada|" in cookie  # and the password is nowhere in it
        assert "correct horse" not in cookie


async def test_csrf_is_required_for_login_and_logout(client: TestClient) -> None:  # type: ignore[type-arg]
    response = await client.post("/login", data={"name": "ada", "password": "correct horse battery"})
    assert response.status == 403
    assert await _login(client) == 303
    assert (await client.post("/logout", data={"csrf": "forged"})).status == 403


async def test_hostile_text_from_a_site_is_escaped_and_down_checks_come_first(client: TestClient) -> None:  # type: ignore[type-arg]
    await _login(client)
    html = await (await client.get("/")).text()
    assert HOSTILE not in html and "&lt;script&gt;alert(" in html
    rows = re.findall(r'<tr data-check="([^"]+)"', html)
    assert set(rows[:2]) == {"email", "route:r007"}  # the down checks first
    assert "Page 1 of 3 (122 checks)" in html
    certificates = html[html.index('id="certificates"') : html.index('id="email"')]
    assert "chatbot.test" in certificates and "valid for 80 more days" in certificates
    email = html[html.index('id="email"') : html.index('id="deploys"')]
    assert "DMARC policy weakened (reject -&gt; none)" in email and 'class="state down"' in email


async def test_pagination_and_filter(client: TestClient) -> None:  # type: ignore[type-arg]
    await _login(client)
    html = await (await client.get("/?page=3")).text()
    assert "Page 3 of 3" in html and html.count("<tr data-check=") == 22
    html = await (await client.get("/?q=r11")).text()
    assert html.count("<tr data-check=") == 10  # r110..r119


async def test_deploy_marker_by_authenticated_post(client: TestClient, store: Store) -> None:  # type: ignore[type-arg]
    assert (await client.post("/api/deploys", json={"version": "v1.2.3"})).status == 401
    bad = await client.post("/api/deploys", json={"version": "v9"}, headers={"Authorization": "Bearer nope"})
    assert bad.status == 401
    ok = await client.post(
        "/api/deploys", json={"version": "v1.2.3"}, headers={"Authorization": f"Bearer {TOKEN}"}
    )
    assert ok.status == 201
    assert [d.version for d in store.deploys()] == ["v1.2.3"]
    await _login(client)
    assert '<td class="deploy-version">v1.2.3</td>' in await (await client.get("/")).text()


async def test_heartbeat_ping_needs_the_token_and_a_configured_name(client: TestClient, store: Store) -> None:  # type: ignore[type-arg]
    assert (await client.post("/heartbeat/nightly-backup")).status == 401
    assert (await client.post(f"/heartbeat/unknown?token={TOKEN}")).status == 404
    assert store.last_ping("nightly-backup") is None
    assert (await client.post(f"/heartbeat/nightly-backup?token={TOKEN}")).status == 200
    assert store.last_ping("nightly-backup") is not None


async def test_status_page_is_public_and_shows_no_site_text(client: TestClient) -> None:  # type: ignore[type-arg]
    html = await (await client.get("/status")).text()
    assert "Partial outage" in html and "pwned" not in html


async def test_metrics_are_prometheus_text(client: TestClient) -> None:  # type: ignore[type-arg]
    text = await (await client.get("/metrics")).text()
    assert 'launchready_check_up{check="route:r007",kind="route"} 0' in text
    assert "launchready_open_incidents 0" in text  # one failure is below down_after: no incident yet


async def test_the_playbook_names_owners_and_first_steps_for_signed_in_people(client: TestClient) -> None:  # type: ignore[type-arg]
    assert (await client.get("/playbook", allow_redirects=False)).status == 303  # phone numbers: not public
    await _login(client)
    html = await (await client.get("/playbook")).text()
    for anchor in ("route", "chat", "tls", "email", "heartbeat"):
        assert f'id="{anchor}"' in html
    assert "dig +short TXT _dmarc.chatbot.test" in html  # the manual check, in the product's names
    assert "No [[owners]] in launchready.toml" in html


async def test_the_status_subdomain_gets_the_public_page_at_its_root(client: TestClient) -> None:  # type: ignore[type-arg]
    response = await client.get("/", headers={"Host": "status.chatbot.test"}, allow_redirects=False)
    assert response.status == 200 and "Incident history" in await response.text()
    assert (await client.get("/", allow_redirects=False)).status == 303  # the dashboard still needs a login
