"""The dashboard in Debian's chromium (Playwright, tests/browser.py), with the monitor running on the lab:
log in, watch a lab host go red, see the deploy marker, and see a hostile page title shown as text."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import chromium_path
from playwright.sync_api import Browser, Page, sync_playwright

from launchready.config.model import MonitorConfig
from launchready.engine import Selection
from launchready.lab import Lab
from launchready.lab.route_fault import broken_route
from launchready.monitor.alerts import AlertPolicy
from launchready.monitor.auth import hash_password
from launchready.monitor.service import serve
from launchready.monitor.store import Store

HOSTILE_TITLE = "<script>window.pwned=1</script><img src=x onerror=alert(1)>"
PASSWORD = "correct horse battery"


@pytest.fixture
def browser() -> Iterator[Browser]:
    """Debian's chromium through the shared ``tests/browser.py`` lookup, for this test only: the shared
    session fixture keeps Playwright's event loop running in the main thread, which would break every later
    test that calls ``asyncio.run`` (the monitor's do)."""
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium_path(), args=["--no-sandbox"])
        try:
            yield launched
        finally:
            launched.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def monitor_url(hardened_lab: Lab, tmp_path: Path) -> Iterator[tuple[str, Store]]:
    port = _free_port()
    monitor = MonitorConfig(interval_s=1, down_after=1, listen=f"127.0.0.1:{port}")
    config = hardened_lab.config.model_copy(update={"monitor": monitor})
    store = Store(f"sqlite:///{tmp_path}/m.db", policy=AlertPolicy.from_config(monitor))
    store.migrate()
    store.set_user("ada", hash_password(PASSWORD))
    store.mark_deploy("v1.2.3", time.time() - 30, "release with a hostile title")
    options = hardened_lab.run_options(30, selection=Selection(only=("monitor.route",)))
    loop = asyncio.new_event_loop()
    stop = asyncio.Event()
    thread = threading.Thread(
        target=lambda: loop.run_until_complete(serve(config, options, store, stop)), daemon=True
    )
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}", store
    finally:
        loop.call_soon_threadsafe(stop.set)
        thread.join(20)


def _state_of(page: Page, check_id: str) -> str:
    return page.locator(f'tr[data-check="{check_id}"] .state').first.inner_text()


def _wait_for_state(page: Page, base: str, check_id: str, state: str, timeout_s: float = 20) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        page.goto(base + "/")  # no JavaScript: the page is reloaded, as a person would
        if page.locator(f'tr[data-check="{check_id}"]').count() and _state_of(page, check_id) == state:
            return
        time.sleep(0.5)
    raise AssertionError(f"{check_id} never showed {state}: {page.content()[:3000]}")


def test_log_in_see_a_host_go_red_the_deploy_marker_and_a_hostile_title_escaped(
    browser: Browser, hardened_lab: Lab, monitor_url: tuple[str, Store]
) -> None:
    base, _ = monitor_url
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: dialogs.append(dialog.message))
    page.goto(base + "/")
    assert page.url.endswith("/login")
    page.fill('input[name="name"]', "ada")
    page.fill('input[name="password"]', PASSWORD)
    page.click('button[type="submit"]')
    assert not page.url.endswith("/login"), page.content()[:500]
    cookie = next(c for c in context.cookies() if c["name"] == "lr_session")
    assert cookie["httpOnly"] and cookie["secure"] and cookie["sameSite"] == "Strict"
    _wait_for_state(page, base, "route:health", "up")
    body = f"<!doctype html><title>{HOSTILE_TITLE}</title>down".encode()
    with broken_route(hardened_lab, "api.chatbot.test", "/health", status=502, body=body):
        _wait_for_state(page, base, "route:health", "down")
        message = page.locator('tr[data-check="route:health"] td.msg').inner_text()
    assert "status 502" in message and HOSTILE_TITLE in message  # shown as text...
    assert page.locator("tr[data-check] img").count() == 0  # ...not as markup
    assert page.locator("script").count() == 0 and dialogs == []
    assert page.locator("td.deploy-version").first.inner_text() == "v1.2.3"
    assert page.locator("#checks svg line.deploy").count() >= 1  # the marker on the trend charts
    _wait_for_state(page, base, "route:health", "up")
    context.close()
