"""The secrets checks inside the audit: every planted secret risk found on the flawed repo, zero fail on the
hardened twin, and no planted value in any output."""

from __future__ import annotations

from pathlib import Path

import pytest

from launchready.checks.registry import all_checks
from launchready.checks.secrets import rules as R
from launchready.config.model import LaunchConfig, ProductConfig, RepoConfig
from launchready.engine import AuditRun, RunOptions, run_audit
from launchready.findings import Status
from launchready.lab.planted import SECRETS
from launchready.lab.repo import ENVIRONMENTS, LOG_FILES, build_lab_repo, leaked_pieces, planted_secret_values
from launchready.lab.variant import LabVariant

SECRET_CHECKS = [c for c in all_checks() if c.name.startswith("secrets.")]


def _config(root: Path) -> LaunchConfig:
    return LaunchConfig(
        product=ProductConfig(name="lab", domain="chatbot.test"),
        repo=RepoConfig(path=root, logs=tuple(root / p for p in LOG_FILES)),
        environments={name: root / p for name, p in ENVIRONMENTS.items()},
    )


async def _audit(variant: LabVariant, tmp: Path) -> AuditRun:
    root = tmp / variant.value
    build_lab_repo(root, variant)
    return await run_audit(_config(root), SECRET_CHECKS, RunOptions(deadline_s=120))


@pytest.fixture(scope="module")
def flawed_run(tmp_path_factory: pytest.TempPathFactory) -> AuditRun:
    import asyncio

    return asyncio.run(_audit(LabVariant.FLAWED, tmp_path_factory.mktemp("audit")))


@pytest.fixture(scope="module")
def hardened_run(tmp_path_factory: pytest.TempPathFactory) -> AuditRun:
    import asyncio

    return asyncio.run(_audit(LabVariant.HARDENED, tmp_path_factory.mktemp("audit")))


def test_every_planted_secret_risk_is_found(flawed_run: AuditRun) -> None:
    assert SECRETS, "the lab plants secret risks"
    for risk in SECRETS:
        hits = [f for f in flawed_run.findings if f.rule_id == risk.rule_id and risk.target in f.target]
        assert any(f.status is risk.status for f in hits), (risk, [(f.status, f.target) for f in hits])


def test_all_secrets_rules_are_registered_and_planted() -> None:
    registered = {rule.rule_id for check in SECRET_CHECKS for rule in check.rules}
    assert registered == {rule.rule_id for rule in R.ALL_RULES}
    assert registered == {risk.rule_id for risk in SECRETS}


def test_hardened_twin_has_zero_fail(hardened_run: AuditRun) -> None:
    failures = [(f.rule_id, f.target, f.evidence) for f in hardened_run.findings if f.status is Status.FAIL]
    assert failures == []
    assert {f.rule_id for f in hardened_run.findings} == {rule.rule_id for rule in R.ALL_RULES}
    assert not [f for f in hardened_run.findings if f.status is Status.UNVERIFIABLE]


def test_history_findings_name_commit_author_and_head_state(flawed_run: AuditRun) -> None:
    merge = next(
        f for f in flawed_run.findings if f.rule_id == R.IN_HISTORY.rule_id and "billing" in f.target
    )
    assert merge.details["merge"] is True and merge.details["in_head"] is False
    assert merge.details["author"] and merge.details["date"] and merge.details["commit"]
    assert "removed from the tree but alive in history" in merge.evidence
    assert any("stripe.com" in ref for ref in merge.fix.references)


def test_no_output_shows_more_than_prefix_plus_four(flawed_run: AuditRun) -> None:
    outputs = {"json": flawed_run.model_dump_json(), "repr": repr(flawed_run)}
    try:
        from launchready.report import ReportFormat, render
    except ImportError:
        pass  # the renderers land separately; the JSON of the findings is checked meanwhile
    else:
        for fmt in ReportFormat:
            outputs[fmt.value] = str(render(flawed_run, fmt))
    assert len(planted_secret_values()) >= 10
    for name, text in outputs.items():
        assert leaked_pieces(text) == [], f"more than prefix + 4 characters in the {name} output"


async def test_missing_repository_is_unverifiable(tmp_path: Path) -> None:
    run = await run_audit(_config(tmp_path / "nowhere"), SECRET_CHECKS, RunOptions(deadline_s=30))
    assert run.findings and all(f.status is Status.UNVERIFIABLE for f in run.findings)


def test_fingerprints_are_keyed_not_bare_hashes_of_the_value(flawed_run: AuditRun) -> None:
    """A published report must not confirm a guessed key offline: no fingerprint is a bare SHA-256."""
    import hashlib

    shown = {str(f.details["fingerprint"]) for f in flawed_run.findings if "fingerprint" in f.details}
    assert shown and all(fp.startswith("fp2:") for fp in shown)
    bare = {hashlib.sha256(value.encode()).hexdigest()[:16] for value in planted_secret_values()}
    assert not {fp.removeprefix("fp2:") for fp in shown} & bare
    assert not any(digest in flawed_run.model_dump_json() for digest in bare)
