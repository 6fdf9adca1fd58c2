"""A full audit pointed at a hostile target ends inside its deadline, without a crash, with bounded memory."""

from __future__ import annotations

import asyncio
import gc
import time
import tracemalloc

import pytest

from launchready.checks.registry import all_checks
from launchready.engine import AttemptOutcome, AuditRun, run_audit
from launchready.findings import Status
from launchready.lab.hostile import HostileLab, HostileTarget

pytestmark = pytest.mark.timeout(120)

DEADLINE_S = 5.0
MARGIN_S = 2.5
SPINE_SITE_RULES = ("http.https-redirect.missing", "headers.hsts.missing")
"""Rules that only pass when the site answers properly over http and https."""
CERT_RULES = ("tls.cert.expired", "tls.cert.untrusted", "tls.cert.hostname-mismatch")
MUST_NOT_PASS: dict[HostileTarget, tuple[str, ...]] = {
    HostileTarget.NXDOMAIN: (*SPINE_SITE_RULES, *CERT_RULES),
    HostileTarget.BLACKHOLE: (*SPINE_SITE_RULES, *CERT_RULES),
    HostileTarget.TRICKLE: SPINE_SITE_RULES,
    HostileTarget.TRICKLE_HEADERS: SPINE_SITE_RULES,
    HostileTarget.REDIRECT_LOOP: (*SPINE_SITE_RULES, "http.redirect.chain"),
    HostileTarget.HUGE: ("http.https-redirect.missing",),
    HostileTarget.SILENT_DNS: (*SPINE_SITE_RULES, *CERT_RULES),
}
"""Per target, the rules whose finding for the target host must be fail or unverifiable (and be present)."""


async def _audit(hostile_lab: HostileLab, target: HostileTarget) -> tuple[AuditRun, float]:
    config, options = hostile_lab.config_for(target, deadline_s=DEADLINE_S)
    started = time.monotonic()
    run = await run_audit(config, all_checks(), options)
    elapsed = time.monotonic() - started
    # Finalise now what the cut-off checks left behind: on CPython 3.11.7 a finaliser that runs later, inside
    # pytest's own ast.parse, trips "AST constructor recursion depth mismatch".
    gc.collect()
    return run, elapsed


def _assert_survived(run: AuditRun, elapsed: float, target: HostileTarget) -> None:
    assert elapsed < DEADLINE_S + MARGIN_S, f"{target}: audit took {elapsed:.1f} s"
    crashed = [a for a in run.attempts if a.outcome is AttemptOutcome.ERROR]
    assert not crashed, [(a.check, a.reason) for a in crashed]
    assert not [f for f in run.findings if f.rule_id == "engine.check.error"]
    for rule_id in MUST_NOT_PASS[target]:
        found = [f for f in run.findings if f.rule_id == rule_id and target.host in f.target]
        assert found, f"{target}: no {rule_id} finding"
        passed = [f.evidence for f in found if f.status is Status.PASS]
        assert not passed, f"{target}: {rule_id} passed: {passed}"
    assert any(f.status in (Status.FAIL, Status.UNVERIFIABLE) for f in run.findings)


@pytest.mark.parametrize(
    "target",
    [
        HostileTarget.NXDOMAIN,
        HostileTarget.BLACKHOLE,
        HostileTarget.TRICKLE,
        HostileTarget.TRICKLE_HEADERS,
        HostileTarget.REDIRECT_LOOP,
    ],
)
async def test_audit_survives_hostile_target(hostile_lab: HostileLab, target: HostileTarget) -> None:
    run, elapsed = await _audit(hostile_lab, target)
    _assert_survived(run, elapsed, target)


async def test_huge_body_keeps_memory_bounded(hostile_lab: HostileLab) -> None:
    tracemalloc.start()
    try:
        run, elapsed = await _audit(hostile_lab, HostileTarget.HUGE)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    _assert_survived(run, elapsed, HostileTarget.HUGE)
    assert peak < 64 * 1024 * 1024, f"peak {peak / 2**20:.1f} MiB"


async def test_nxdomain_is_reported_as_not_resolving(hostile_lab: HostileLab) -> None:
    run, _ = await _audit(hostile_lab, HostileTarget.NXDOMAIN)
    unresolved = [f for f in run.findings if f.rule_id == "dns.host.unresolved"]
    assert unresolved and all(
        f.status is Status.FAIL for f in unresolved if HostileTarget.NXDOMAIN.host in f.target
    )


async def test_silent_nameserver_is_unverifiable_not_unresolved(hostile_lab: HostileLab) -> None:
    run, elapsed = await _audit(hostile_lab, HostileTarget.SILENT_DNS)
    _assert_survived(run, elapsed, HostileTarget.SILENT_DNS)
    unresolved = [f for f in run.findings if f.rule_id == "dns.host.unresolved"]
    assert unresolved
    assert all(f.status is Status.UNVERIFIABLE for f in unresolved), [
        (f.target, f.evidence) for f in unresolved
    ]


def test_hostile_lab_servers_misbehave_as_described(hostile_lab: HostileLab) -> None:
    """The blackhole accepts and stays silent; the huge body announces 1 GB (so the tests above mean it)."""

    async def probe() -> tuple[bytes, bytes]:
        address = hostile_lab.addresses[HostileTarget.BLACKHOLE.host]
        reader, writer = await asyncio.open_connection(address, hostile_lab.http_port)
        writer.write(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        try:
            silent = await asyncio.wait_for(reader.read(1), 0.5)
        except TimeoutError:
            silent = b""
        writer.close()
        address = hostile_lab.addresses[HostileTarget.HUGE.host]
        reader, writer = await asyncio.open_connection(address, hostile_lab.http_port)
        writer.write(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5)
        writer.close()
        return silent, head

    silent, head = asyncio.run(probe())
    assert silent == b""
    assert b"Content-Length: 1073741824" in head
