"""The email checks on the lab twins: every planted EMAIL risk found with its status; hardened has no fail."""

from __future__ import annotations

import asyncio

import pytest

from launchready.checks.email import EMAIL_CHECKS
from launchready.engine import AuditRun, run_audit
from launchready.findings import Status
from launchready.lab import Lab
from launchready.lab.planted import EMAIL, PlantedRisk


def _email_run(lab: Lab) -> AuditRun:
    return asyncio.run(run_audit(lab.config, [check() for check in EMAIL_CHECKS], lab.run_options()))


@pytest.fixture(scope="module")
def flawed_email(flawed_lab: Lab) -> AuditRun:
    return _email_run(flawed_lab)


@pytest.mark.parametrize("risk", EMAIL, ids=lambda r: f"{r.rule_id}@{r.target}")
def test_flawed_lab_email_risk_is_reported(flawed_email: AuditRun, risk: PlantedRisk) -> None:
    statuses = {
        f.status for f in flawed_email.findings if f.rule_id == risk.rule_id and risk.target in f.target
    }
    assert risk.status in statuses, f"{risk.description}: got {statuses}"


def test_hardened_lab_has_no_email_fail(hardened_lab: Lab) -> None:
    run = _email_run(hardened_lab)
    assert run.findings
    assert [f"{f.rule_id} {f.target}: {f.evidence}" for f in run.findings if f.status is Status.FAIL] == []
    assert not [f for f in run.findings if f.status is Status.UNVERIFIABLE]
    assert run.artifacts["email"]["domains"][hardened_lab.config.apex]["mta_sts"]["mode"] == "enforce"


def test_with_the_lab_email_section_configured(flawed_lab: Lab, hardened_lab: Lab) -> None:
    """The same verdicts when the selectors and the sending subdomain are configured (``LAB_EMAIL_CONFIG``)."""
    import tomllib

    from launchready.config.model import EmailConfig
    from launchready.lab.zone_email import LAB_EMAIL_CONFIG

    email = EmailConfig(**tomllib.loads(LAB_EMAIL_CONFIG)["email"])
    assert email.dkim_selectors == ("google",)
    flawed = flawed_lab.config.model_copy(update={"email": email})
    run = asyncio.run(run_audit(flawed, [check() for check in EMAIL_CHECKS], flawed_lab.run_options()))
    for risk in EMAIL:
        statuses = {f.status for f in run.findings if f.rule_id == risk.rule_id and risk.target in f.target}
        assert risk.status in statuses, f"{risk.description}: got {statuses}"
    weak = next(f for f in run.findings if f.rule_id == "email.dkim.weak-key")
    assert weak.target.startswith("google.")
    hardened = hardened_lab.config.model_copy(update={"email": email})
    run = asyncio.run(run_audit(hardened, [check() for check in EMAIL_CHECKS], hardened_lab.run_options()))
    assert [f.rule_id for f in run.findings if f.status is Status.FAIL] == []
