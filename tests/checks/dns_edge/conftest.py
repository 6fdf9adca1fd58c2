"""Fixtures of the DNS-check tests: the lab's DNS server serving a test zone."""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator
from typing import Any

import pytest
from zone_fixture import DOMAIN, Audit, base_records

from launchready.checks.interface import Check
from launchready.config import LaunchConfig
from launchready.engine import AuditRun, RunOptions, run_audit
from launchready.lab.dns_server import DnsServer, Zone, ZoneRecord


@pytest.fixture
def dns_server() -> Iterator[DnsServer]:
    address = f"127.{random.randint(1, 254)}.{random.randint(1, 254)}.{random.randint(2, 254)}"
    with DnsServer(Zone(origins=(DOMAIN,), records=base_records()), host=address) as server:
        yield server


@pytest.fixture
def audit_zone(dns_server: DnsServer) -> Audit:
    """``await audit_zone(records, checks, **config)``: serve ``records`` and run ``checks`` on them."""

    async def run(records: Iterable[ZoneRecord], checks: list[Check], **config: Any) -> AuditRun:
        dns_server.zone = Zone(origins=(DOMAIN,), records=[*base_records(), *records])
        launch = LaunchConfig.model_validate(
            {"product": {"name": "Z", "domain": DOMAIN, "subdomains": []}, **config}
        )
        options = RunOptions(deadline_s=20, nameserver=dns_server.address)
        return await run_audit(launch, checks, options)

    return run
