"""A shared headless browser for tests: Debian's chromium, driven by Playwright.

Playwright's own browser download is not used (no network in tests, and one browser build for every
machine): ``chromium.launch(executable_path=...)`` starts the system chromium. On a fresh CI machine the
fixture installs it (``apt-get install -y chromium``) when running as root and it is missing. If chromium
or Playwright cannot be had, the test FAILS with the reason, never skips: a screenshot test that skips
silently is a check nobody runs.

Use it from a conftest: ``from browser import browser  # noqa: F401`` and take ``browser`` as a fixture.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser

INSTALL_TIMEOUT_S = 900


def chromium_path() -> str:
    """The system chromium, installed with apt-get when missing and running as root; fails otherwise."""
    found = shutil.which("chromium")
    if found:
        return found
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        pytest.fail(
            "chromium is not installed: run `apt-get install -y chromium` (as root) for the browser tests"
        )
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update"], ["apt-get", "install", "-y", "chromium"]):
        done = subprocess.run(
            command, env=env, capture_output=True, text=True, timeout=INSTALL_TIMEOUT_S, check=False
        )
        if done.returncode != 0:
            tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
            pytest.fail(f"could not install chromium with `{' '.join(command)}`: {' / '.join(tail)}")
    found = shutil.which("chromium")
    if not found:
        pytest.fail("apt-get installed chromium but no `chromium` is on PATH")
    return found


@pytest.fixture
def browser() -> Iterator[Browser]:
    """A headless chromium for one test (``--no-sandbox``: CI containers run as root).

    Function scope on purpose: Playwright's sync API keeps an event loop running in the main thread for
    as long as it is open, and every later ``asyncio.run`` (the lab audits, the CLI) would then fail with
    "cannot be called from a running event loop". A launch costs about a second; correctness wins.
    """
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        pytest.fail("playwright is not installed: pip install -e '.[test]' (it is in the test extra)")
    path = chromium_path()
    with sync_playwright() as playwright:
        try:
            launched = playwright.chromium.launch(executable_path=path, args=["--no-sandbox"])
        except Error as exc:
            pytest.fail(f"chromium at {path} did not start under Playwright: {exc.message.splitlines()[0]}")
        try:
            yield launched
        finally:
            launched.close()
