"""Fixtures of the load tests: the real HTTPS server of ``load_server.py``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from load_server import LoadServer, running_load_server


@pytest.fixture
def load_server(tmp_path: Path) -> Iterator[LoadServer]:
    with running_load_server(tmp_path) as server:
        yield server


@pytest.fixture
def plain_load_server(tmp_path: Path) -> Iterator[LoadServer]:
    """The same server over plain HTTP (a local or staging target)."""
    with running_load_server(tmp_path, tls=False) as server:
        yield server
