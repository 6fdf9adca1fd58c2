"""Shared fixtures: the lab twins and the hostile targets, each started once per test session.

Session scope because a lab is a dozen servers, a CA and a git repository: starting one per test would make
the suite slow for no gain, since tests only read from it (a test that changes the lab, e.g. swapping the DNS
zone, must restore it).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator

import pytest

from launchready.engine import AuditRun, Selection
from launchready.lab import Lab, LabVariant
from launchready.lab.dns_server import DnsServer, Zone
from launchready.lab.hostile import HostileLab

LAB_AUDIT_DEADLINE_S = 180.0


@pytest.fixture(scope="session")
def flawed_lab() -> Iterator[Lab]:
    with Lab(LabVariant.FLAWED) as lab:
        yield lab


@pytest.fixture(scope="session")
def hardened_lab() -> Iterator[Lab]:
    with Lab(LabVariant.HARDENED) as lab:
        yield lab


@pytest.fixture(scope="session")
def hostile_lab() -> Iterator[HostileLab]:
    with HostileLab() as hostile:
        yield hostile


def _audit(lab: Lab) -> AuditRun:
    """The whole audit of a lab, with every opt-in group a planted risk needs."""
    from launchready.checks.registry import all_checks
    from launchready.engine import run_audit
    from launchready.lab.planted import PLANTED

    groups = frozenset(risk.needs for risk in PLANTED if risk.needs)
    options = lab.run_options(deadline_s=LAB_AUDIT_DEADLINE_S, selection=Selection(with_groups=groups))
    return asyncio.run(run_audit(lab.config, all_checks(), options))


@pytest.fixture(scope="session")
def flawed_run(flawed_lab: Lab) -> AuditRun:
    return _audit(flawed_lab)


@pytest.fixture(scope="session")
def hardened_run(hardened_lab: Lab) -> AuditRun:
    return _audit(hardened_lab)


@pytest.fixture
def zone_server() -> Iterator[Callable[..., DnsServer]]:
    """Start lab DNS servers for ad-hoc zones on random loopback addresses; all stopped after the test.

    ``zone_server(zone)`` or ``zone_server(zone, silent=True)`` (a server that never answers).
    """
    from launchready.lab.addresses import allocate_block

    started: list[DnsServer] = []

    def start(zone: Zone, silent: bool = False) -> DnsServer:
        server = DnsServer(zone, host=allocate_block().nameserver, silent=silent)
        server.start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()
