"""The lab repository in both variants, built once per session with the real ``git`` CLI."""

from __future__ import annotations

from pathlib import Path

import pytest

from launchready.lab.repo import build_lab_repo
from launchready.lab.variant import LabVariant


@pytest.fixture(scope="session")
def flawed_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("flawed") / "repo"
    build_lab_repo(root, LabVariant.FLAWED)
    return root


@pytest.fixture(scope="session")
def hardened_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hardened") / "repo"
    build_lab_repo(root, LabVariant.HARDENED)
    return root


@pytest.fixture(autouse=True)
def _fingerprint_key_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Folders that are not git repositories get a machine-local fingerprint key: keep it out of $HOME."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "cache"))
    monkeypatch.delenv("LAUNCHREADY_FINGERPRINT_KEY", raising=False)
