"""The deploy checks inside the lab's own audit: every DEPLOY entry of ``lab/planted.py`` is found in the
flawed lab's repository, the hardened lab's has no deploy problem, and the deploy row of the readiness
table is filled (it was empty before the deploy checks)."""

from __future__ import annotations

import asyncio

import pytest
from deploy_repos import DEPLOY_CHECKS

from launchready.engine import AuditRun, run_audit
from launchready.findings import Stage, Status
from launchready.lab import Lab
from launchready.lab.planted import DEPLOY, PlantedRisk
from launchready.report import build_report


def _deploy_audit(lab: Lab) -> AuditRun:
    return asyncio.run(run_audit(lab.config, DEPLOY_CHECKS, lab.run_options(deadline_s=60)))


@pytest.fixture(scope="module")
def flawed_deploy(flawed_lab: Lab) -> AuditRun:
    return _deploy_audit(flawed_lab)


@pytest.fixture(scope="module")
def hardened_deploy(hardened_lab: Lab) -> AuditRun:
    return _deploy_audit(hardened_lab)


@pytest.mark.parametrize("risk", DEPLOY, ids=lambda r: f"{r.rule_id}@{r.target}")
def test_each_planted_deploy_risk_is_found(flawed_deploy: AuditRun, risk: PlantedRisk) -> None:
    found = [f for f in flawed_deploy.findings if f.rule_id == risk.rule_id and risk.target in f.target]
    assert any(f.status is risk.status for f in found), [(f.status, f.target) for f in found]


def test_the_hardened_lab_has_no_deploy_problem(hardened_deploy: AuditRun) -> None:
    assert [(f.rule_id, f.evidence) for f in hardened_deploy.findings if f.is_problem] == []
    passes = [f for f in hardened_deploy.findings if f.status is Status.PASS]
    assert len(passes) >= len({r.rule_id for r in DEPLOY})


def test_the_deploy_row_of_the_readiness_table_is_filled(
    hardened_deploy: AuditRun, flawed_deploy: AuditRun
) -> None:
    for run, blockers in ((hardened_deploy, False), (flawed_deploy, True)):
        row = next(s for s in build_report(run).stages if s.stage is Stage.DEPLOY)
        assert row.assessed and row.covered_by is None, row
        assert row.counts.get(Status.PASS, 0) > 0 or blockers
        assert (row.blockers > 0) is blockers, row
