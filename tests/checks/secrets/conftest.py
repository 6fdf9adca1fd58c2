"""Keep the machine-local fingerprint key of non-repository folders out of $HOME during tests."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _fingerprint_key_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "cache"))
    monkeypatch.delenv("LAUNCHREADY_FINGERPRINT_KEY", raising=False)
