"""Fixtures of the surface-check tests: the loopback mini site (see ``minisite.py``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from minisite import SiteHost, serve_site

from launchready.lab.dns_server import ZoneRecord


@pytest.fixture
def minisite(tmp_path: Path) -> Callable[..., Any]:
    """``async with minisite(domain, hosts, config={}) as site: run = await site.audit(Check())``."""

    def make(
        domain: str,
        hosts: dict[str, SiteHost],
        config: dict[str, Any] | None = None,
        extra: Sequence[ZoneRecord] = (),
    ) -> Any:
        return serve_site(tmp_path, domain, hosts, config or {}, extra)

    return make
