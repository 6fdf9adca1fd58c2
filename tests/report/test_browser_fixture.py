"""The shared browser fixture fails (never skips) when chromium cannot be had, and says why."""

from __future__ import annotations

import os
import shutil
import subprocess
from typing import Any

import browser
import pytest


def test_missing_chromium_without_root_fails_with_the_install_command(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    with pytest.raises(pytest.fail.Exception, match=r"apt-get install -y chromium"):
        browser.chromium_path()


def test_a_failed_install_fails_with_apt_gets_words(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[list[str]] = []

    def run(command: list[str], **kw: Any) -> subprocess.CompletedProcess[str]:
        calls.append(command)
        return subprocess.CompletedProcess(command, 100, "", "E: Unable to locate package chromium")

    monkeypatch.setattr(shutil, "which", lambda name: None if name == "chromium" else f"/usr/bin/{name}")
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    monkeypatch.setattr(subprocess, "run", run)
    with pytest.raises(pytest.fail.Exception, match="Unable to locate package chromium"):
        browser.chromium_path()
    assert calls == [["apt-get", "update"]]


def test_an_installed_chromium_is_used_as_is(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: "/opt/chromium")
    assert browser.chromium_path() == "/opt/chromium"
