"""The deploy checks on the lab's deploy twins: each planted problem found where it was planted, the hardened
twin passes every rule with a record of what was read, and no planted key appears in any finding."""

from __future__ import annotations

import pytest
from deploy_repos import of

from launchready.engine import AuditRun
from launchready.findings import Stage, Status
from launchready.lab.deploy_repo import dockerfile_key, workflow_key

PLANTED = [
    ("deploy.build.unverified", Status.FAIL, "", "run no tests"),
    ("deploy.smoke.unwired", Status.FAIL, "", "runs no smoke test"),
    ("deploy.path.multiple", Status.WARN, "", "deploy.sh"),
    ("deploy.migrations.order", Status.FAIL, "", "Alembic"),
    ("deploy.rollback.undocumented", Status.FAIL, "", "no written rollback steps"),
    ("deploy.health.unused", Status.FAIL, "", "not the health route /health"),
    ("deploy.config.secret", Status.FAIL, "Dockerfile:5", "OpenAI"),
    ("deploy.config.secret", Status.FAIL, "Dockerfile:6", "ADMIN_PASSWORD"),
    ("deploy.config.secret", Status.FAIL, ".github/workflows/ci.yml:6", "OpenAI"),
    ("deploy.workflow.secret-echoed", Status.FAIL, ".github/workflows/ci.yml:", "FLY_API_TOKEN"),
    ("deploy.workflow.pr-target-checkout", Status.FAIL, ".github/workflows/preview.yml:", "head"),
    ("deploy.workflow.unpinned-action", Status.FAIL, ".github/workflows/ci.yml:", "setup-flyctl@master"),
    ("deploy.env.example-missing", Status.FAIL, ".env.example:SENTRY_DSN", "app/main.py:8"),
    ("deploy.env.shipped", Status.FAIL, "Dockerfile", ".env.production go into the image"),
    ("deploy.migrations.irreversible", Status.WARN, "alembic/versions/0001", "has no down step"),
]


@pytest.mark.parametrize(("rule_id", "status", "target", "evidence"), PLANTED, ids=lambda v: str(v))
def test_flawed_twin_reports_each_planted_problem(
    flawed_deploy_run: AuditRun, rule_id: str, status: Status, target: str, evidence: str
) -> None:
    found = [f for f in of(flawed_deploy_run, rule_id) if f.status is status and target in f.target]
    assert found, [(f.status, f.target, f.evidence) for f in of(flawed_deploy_run, rule_id)]
    assert any(evidence in f.evidence for f in found), [f.evidence for f in found]


def test_first_party_actions_pinned_to_a_tag_are_not_reported(flawed_deploy_run: AuditRun) -> None:
    unpinned = [f.details.get("action") for f in of(flawed_deploy_run, "deploy.workflow.unpinned-action")]
    assert unpinned == ["superfly/flyctl-actions/setup-flyctl@master"]


def test_hardened_twin_passes_every_rule_with_evidence(hardened_deploy_run: AuditRun) -> None:
    by_rule = {f.rule_id: f for f in hardened_deploy_run.findings}
    assert set(by_rule) >= {rule for rule, *_ in PLANTED}
    problems = [(f.rule_id, f.status, f.evidence) for f in hardened_deploy_run.findings if f.is_problem]
    assert problems == []
    for rule_id, *_ in PLANTED:
        finding = by_rule[rule_id]
        assert finding.status is Status.PASS, (rule_id, finding.status, finding.evidence)
        assert sum(finding.exercised.values()) > 0
        assert finding.stage is Stage.DEPLOY
    assert (
        "flyctl deploy" not in by_rule["deploy.path.multiple"].evidence
        or "ci.yml" in by_rule["deploy.path.multiple"].evidence
    )
    assert "release phase" in by_rule["deploy.migrations.order"].evidence
    assert "docs/runbook.md" in by_rule["deploy.rollback.undocumented"].evidence


def test_no_planted_key_appears_in_any_finding(flawed_deploy_run: AuditRun) -> None:
    text = flawed_deploy_run.model_dump_json()
    for value in (dockerfile_key(), workflow_key(), "Tr0ub4dor-and-3-horses"):
        assert value not in text


def test_one_key_in_two_files_is_grouped_by_fingerprint(flawed_deploy_run: AuditRun) -> None:
    secrets = [f for f in of(flawed_deploy_run, "deploy.config.secret") if f.status is Status.FAIL]
    assert all(f.group and f.group.startswith("secret:") for f in secrets)
    assert len({f.group for f in secrets}) == len(secrets)  # three different values, three groups
