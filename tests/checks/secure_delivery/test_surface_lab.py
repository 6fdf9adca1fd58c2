"""The public-surface audit of the lab: every SURFACE plant is found on the flawed twin, the hardened twin
has zero ``fail`` from these rules, and the spine's broken hosts give honest ``unverifiable`` verdicts."""

from __future__ import annotations

import asyncio

import pytest

from launchready.checks.registry import all_checks
from launchready.engine import AuditRun
from launchready.engine import run_audit as _run_audit
from launchready.findings import Status
from launchready.lab import Lab
from launchready.lab.planted import SURFACE, PlantedRisk

SURFACE_PACKAGES = ("launchready.checks.dns_edge.", "launchready.checks.secure_delivery.")


def surface_audit(lab: Lab) -> AuditRun:
    """Only the checks of the two surface packages (secrets checks share the secure-delivery stage)."""
    checks = [c for c in all_checks() if type(c).__module__.startswith(SURFACE_PACKAGES)]
    return asyncio.run(_run_audit(lab.config, checks, lab.run_options()))


@pytest.fixture(scope="module")
def flawed_surface(flawed_lab: Lab) -> AuditRun:
    return surface_audit(flawed_lab)


@pytest.fixture(scope="module")
def hardened_surface(hardened_lab: Lab) -> AuditRun:
    return surface_audit(hardened_lab)


@pytest.mark.parametrize("risk", SURFACE, ids=lambda r: f"{r.rule_id}@{r.target}")
def test_each_surface_plant_is_found(flawed_surface: AuditRun, risk: PlantedRisk) -> None:
    matching = [f for f in flawed_surface.findings if f.rule_id == risk.rule_id and risk.target in f.target]
    assert matching, f"no {risk.rule_id} finding on {risk.target}"
    assert risk.status in {f.status for f in matching}, "; ".join(
        f"{f.status} {f.evidence}" for f in matching
    )


def test_hardened_surface_has_zero_fail(hardened_surface: AuditRun) -> None:
    failures = [
        f"{f.rule_id} {f.target}: {f.evidence}" for f in hardened_surface.findings if f.status is Status.FAIL
    ]
    assert failures == []
    crashed = [a.reason for a in hardened_surface.attempts if a.outcome != "completed"]
    assert crashed == []


def test_hardened_hosts_grade_a_plus(hardened_surface: AuditRun) -> None:
    grades = hardened_surface.artifacts["header_grades"]
    assert grades and {g["grade"] for g in grades.values()} == {"A+"}, grades


def test_broken_tls_hosts_are_unverifiable_never_graded(flawed_surface: AuditRun) -> None:
    """docs (self-signed), www (mismatch) and help (expired): their headers cannot be judged honestly."""
    for host in ("docs.chatbot.test", "www.chatbot.test", "help.chatbot.test"):
        verdicts = {
            f.status
            for f in flawed_surface.findings
            if f.target == host and f.rule_id.startswith("headers.c")
        }
        assert verdicts == {Status.UNVERIFIABLE}, (host, verdicts)


def test_dns_map_artifact_has_notes(flawed_surface: AuditRun) -> None:
    records = flawed_surface.artifacts["dns_map"]["records"]
    assert any(r["rdtype"] == "SOA" for r in records)
    assert all(r["note"] for r in records)
    assert "status.chatbot.test" in flawed_surface.artifacts["dns_map"]["missing"]
