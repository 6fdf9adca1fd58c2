"""Reachability as root cause and the origin lock-down verdict: only what was observed counts.

Real sockets on loopback: a port nobody listens on refuses (RST); a listening socket whose accept queue is
full drops new SYNs, which is what a firewall that drops packets looks like from outside (a timeout); a
server that accepts and never answers is silence after the connect.
"""

from __future__ import annotations

import asyncio
import random
import socket
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager, suppress
from pathlib import Path

import trustme
from test_edge_origin_takeover import _context, https_server
from zone_fixture import DOMAIN, base_records

from launchready.checks.dns_edge.edge import EdgeDetection
from launchready.checks.dns_edge.origin import OriginStrict
from launchready.checks.dns_edge.reach import ReachOutcome, tcp_reach
from launchready.checks.dns_edge.resolution import HostsResolve
from launchready.checks.interface import Check
from launchready.config import LaunchConfig
from launchready.engine import AuditRun, RunOptions, run_audit
from launchready.findings import Finding, Status
from launchready.lab.dns_server import DnsServer, Zone, ZoneRecord
from launchready.net import Limits

FAST = Limits(dns_timeout=1.0, connect_timeout=0.5, tls_timeout=0.5, read_timeout=0.5, request_timeout=1.0)


def _address() -> str:
    return f"127.{random.randint(1, 254)}.{random.randint(1, 254)}.{random.randint(2, 254)}"


def _free_port(address: str) -> int:
    with socket.socket() as probe:
        probe.bind((address, 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def dropping_port(address: str) -> Iterator[int]:
    """A port whose accept queue is full: new connections get no answer (a timeout), like a DROP rule."""
    server = socket.socket()
    server.bind((address, 0))
    server.listen(0)
    port: int = server.getsockname()[1]
    fillers = []
    for _ in range(4):
        client = socket.socket()
        client.setblocking(False)
        with suppress(BlockingIOError):
            client.connect((address, port))
        fillers.append(client)
    time.sleep(0.1)
    try:
        yield port
    finally:
        for client in fillers:
            client.close()
        server.close()


@asynccontextmanager
async def silent_server(address: str, port: int) -> AsyncIterator[None]:
    """Accepts connections and never sends a byte."""
    held: list[asyncio.StreamWriter] = []

    async def hold(_: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)

    server = await asyncio.start_server(hold, address, port)
    try:
        yield
    finally:
        for writer in held:
            writer.close()
        server.close()
        await server.wait_closed()


async def _run(
    records: list[ZoneRecord], config: dict[str, object], checks: list[Check], ca_file: str | None = None
) -> AuditRun:
    zone = Zone(origins=(DOMAIN,), records=[*(r for r in base_records() if r.rdtype != "A"), *records])
    with DnsServer(zone, host=_address()) as dns:
        launch = LaunchConfig.model_validate({"product": {"name": "R", "domain": DOMAIN}, **config})
        options = RunOptions(deadline_s=20, nameserver=dns.address, limits=FAST, ca_bundle=ca_file)
        return await run_audit(launch, checks, options)


def _one(run: AuditRun, rule_id: str, target: str = DOMAIN) -> Finding:
    found = [f for f in run.findings if f.rule_id == rule_id and f.target.startswith(target)]
    assert len(found) == 1, [f"{f.rule_id} {f.target} {f.status}" for f in run.findings]
    return found[0]


async def test_tcp_reach_tells_refused_from_silence() -> None:
    address = _address()
    refused = await tcp_reach(address, _free_port(address), 0.5)
    assert refused.outcome is ReachOutcome.REFUSED and refused.observed
    with dropping_port(address) as port:
        dropped = await tcp_reach(address, port, 0.3)
    assert dropped.outcome is ReachOutcome.TIMEOUT and not dropped.observed


async def test_a_host_where_nothing_listens_is_an_unreachable_root_cause() -> None:
    address = _address()
    network = {"https_port": _free_port(address), "http_port": _free_port(address)}
    run = await _run(
        [ZoneRecord(DOMAIN, "A", address)], {"network": network}, [HostsResolve(), EdgeDetection()]
    )
    assert _one(run, "dns.host.unresolved").status is Status.PASS
    unreachable = _one(run, "dns.host.unreachable")
    assert unreachable.status is Status.FAIL and "refused" in unreachable.evidence
    edge = _one(run, "edge.cdn.missing")
    assert edge.status is Status.UNVERIFIABLE and edge.blocked_by == unreachable.key


async def test_a_listening_host_passes_with_its_connects_recorded() -> None:
    address = _address()
    https_port = _free_port(address)
    async with silent_server(address, https_port):
        network = {"https_port": https_port, "http_port": _free_port(address)}
        run = await _run([ZoneRecord(DOMAIN, "A", address)], {"network": network}, [HostsResolve()])
    reached = _one(run, "dns.host.unreachable")
    assert reached.status is Status.PASS and reached.exercised == {"connects": 1}


async def test_a_host_whose_ports_drop_packets_fails_too() -> None:
    address = _address()
    with dropping_port(address) as port:
        run = await _run(
            [ZoneRecord(DOMAIN, "A", address)],
            {"network": {"https_port": port, "http_port": port}},
            [HostsResolve()],
        )
    unreachable = _one(run, "dns.host.unreachable")
    assert unreachable.status is Status.FAIL and "timeout" in unreachable.evidence


async def test_an_unresolved_host_leaves_reachability_to_its_root_cause() -> None:
    run = await _run(
        [], {"product": {"name": "R", "domain": DOMAIN, "subdomains": ["gone"]}}, [HostsResolve()]
    )
    assert _one(run, "dns.host.unresolved", f"gone.{DOMAIN}").status is Status.FAIL
    unreachable = _one(run, "dns.host.unreachable", f"gone.{DOMAIN}")
    assert unreachable.status is Status.UNVERIFIABLE
    assert unreachable.blocked_by == f"dns.host.unresolved@gone.{DOMAIN}"


async def test_origin_silence_is_unverifiable_not_refused() -> None:
    """Negative test: the old check read any network error (here a timeout) as "refused → pass"."""
    edge, origin = _address(), _address()
    with dropping_port(origin) as port:
        config = {"hosts": {DOMAIN: {"origin": origin}}, "network": {"https_port": port}}
        run = await _run([ZoneRecord(DOMAIN, "A", edge)], config, [OriginStrict()])
    bypass = _one(run, "edge.origin.bypassable")
    assert bypass.status is Status.UNVERIFIABLE and "timeout" in (bypass.reason or "")

    port = _free_port(origin)
    async with silent_server(origin, port):  # connects, then never answers the TLS hello or the request
        config = {"hosts": {DOMAIN: {"origin": origin}}, "network": {"https_port": port}}
        run = await _run([ZoneRecord(DOMAIN, "A", edge)], config, [OriginStrict()])
    assert _one(run, "edge.origin.bypassable").status is Status.UNVERIFIABLE


async def test_origin_refusal_and_error_status_are_observed_passes(tmp_path: Path) -> None:
    edge, origin = _address(), _address()
    refusing = {"hosts": {DOMAIN: {"origin": origin}}, "network": {"https_port": _free_port(origin)}}
    run = await _run([ZoneRecord(DOMAIN, "A", edge)], refusing, [OriginStrict()])
    bypass = _one(run, "edge.origin.bypassable")
    assert bypass.status is Status.PASS and bypass.exercised == {"connects": 1}

    ca = trustme.CA()
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    async with https_server(origin, 0, _context(ca, DOMAIN), {DOMAIN: (403, {}, "edge only")}) as port:
        config = {"hosts": {DOMAIN: {"origin": origin}}, "network": {"https_port": port}}
        run = await _run([ZoneRecord(DOMAIN, "A", edge)], config, [OriginStrict()], str(ca_file))
    assert _one(run, "edge.origin.bypassable").exercised == {"responses_read": 1}
    assert _one(run, "edge.origin.not-strict").exercised == {"handshakes": 1}


async def test_no_origin_configured_is_not_assessed_with_what_to_add() -> None:
    run = await _run([ZoneRecord(DOMAIN, "A", "127.0.0.1")], {}, [OriginStrict()])
    for rule_id in ("edge.origin.bypassable", "edge.origin.not-strict"):
        finding = _one(run, rule_id)
        assert finding.status is Status.NOT_ASSESSED and "origin" in (finding.reason or "")
