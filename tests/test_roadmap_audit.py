"""End to end: the audit of the flawed lab finds every planted risk; the hardened twin has zero fail.

This is the contract of ``lab/planted.py``: each entry names the rule id that must find it, where, and
with which status. The runs come from the shared ``flawed_run`` / ``hardened_run`` fixtures.
"""

from __future__ import annotations

import pytest

from launchready.engine import AuditRun
from launchready.findings import Status
from launchready.lab.planted import PLANTED, PlantedRisk


@pytest.mark.parametrize("risk", PLANTED, ids=lambda r: f"{r.rule_id}@{r.target}")
def test_flawed_lab_reports_each_planted_risk(flawed_run: AuditRun, risk: PlantedRisk) -> None:
    matching = [f for f in flawed_run.findings if f.rule_id == risk.rule_id and risk.target in f.target]
    assert matching, f"no {risk.rule_id} finding on {risk.target}; planted: {risk.description}"
    statuses = {f.status for f in matching}
    assert risk.status in statuses, (
        f"{risk.rule_id} on {risk.target} reported {sorted(statuses)}, expected {risk.status}: "
        + "; ".join(f.evidence for f in matching)
    )


def test_hardened_lab_reports_zero_fail(hardened_run: AuditRun) -> None:
    failures = [
        f"{f.rule_id} {f.target}: {f.evidence}" for f in hardened_run.findings if f.status is Status.FAIL
    ]
    assert failures == []


def test_hardened_lab_has_no_crashed_check(hardened_run: AuditRun, flawed_run: AuditRun) -> None:
    for run in (hardened_run, flawed_run):
        crashed = [f"{a.check}: {a.reason}" for a in run.attempts if a.outcome == "error"]
        assert crashed == []


def test_every_planted_rule_is_registered() -> None:
    from launchready.checks.registry import all_checks

    registered = {rule.rule_id for check in all_checks() for rule in check.rules}
    missing = sorted({risk.rule_id for risk in PLANTED} - registered)
    assert missing == []
