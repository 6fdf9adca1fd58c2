"""``launchready secrets`` in-process on the lab's repository: finds every planted secret risk, exits 1 on the
flawed twin and 0 on the hardened one, never prints a planted value, honours --baseline and --staged."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from launchready.cli.app import app
from launchready.engine import AuditRun, run_audit
from launchready.findings import Status
from launchready.lab import Lab
from launchready.lab.planted import SECRETS
from launchready.lab.repo import leaked_pieces
from launchready.report import ReportFormat, load_report_json
from launchready.secrets.rules import fake_value

RUNNER = CliRunner()


def _secrets(*args: str) -> tuple[int, str]:
    result = RUNNER.invoke(app, ["secrets", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout


def _json_run(*args: str) -> tuple[int, AuditRun]:
    code, out = _secrets(*args, "--format", "json")
    return code, load_report_json(out)


def _assert_planted_found(run: AuditRun) -> None:
    for risk in SECRETS:
        hits = [f for f in run.findings if f.rule_id == risk.rule_id and risk.target in f.target]
        assert any(f.status is risk.status for f in hits), (risk, [(f.status, f.target) for f in hits])


def test_history_scan_of_the_flawed_lab_finds_every_planted_risk(flawed_lab: Lab) -> None:
    code, run = _json_run("--config", str(flawed_lab.config_path), "--history")
    assert code == 1
    _assert_planted_found(run)


def test_hardened_lab_has_zero_fail_and_exits_0(hardened_lab: Lab) -> None:
    code, run = _json_run("--config", str(hardened_lab.config_path), "--history")
    assert [(f.rule_id, f.target) for f in run.findings if f.status is Status.FAIL] == []
    assert code == 0


def test_the_audit_finds_them_too(flawed_lab: Lab, hardened_lab: Lab) -> None:
    import asyncio

    from launchready.checks.registry import all_checks

    checks = [c for c in all_checks() if c.name.startswith("secrets.")]
    flawed = asyncio.run(run_audit(flawed_lab.config, checks, flawed_lab.run_options(deadline_s=120)))
    _assert_planted_found(flawed)
    hardened = asyncio.run(run_audit(hardened_lab.config, checks, hardened_lab.run_options(deadline_s=120)))
    assert [f.rule_id for f in hardened.findings if f.status is Status.FAIL] == []


@pytest.mark.parametrize("fmt", [f.value for f in ReportFormat])
def test_no_cli_output_shows_more_than_prefix_plus_four(flawed_lab: Lab, fmt: str) -> None:
    _, out = _secrets("--config", str(flawed_lab.config_path), "--history", "--format", fmt)
    assert out.strip()
    assert leaked_pieces(out) == [], f"the {fmt} output shows more than prefix + 4 characters"


def test_baseline_reports_only_new_secrets(flawed_lab: Lab, tmp_path: Path) -> None:
    report = tmp_path / "old.json"
    _secrets("--config", str(flawed_lab.config_path), "--history", "--output", str(report))
    _, run = _json_run("--config", str(flawed_lab.config_path), "--history", "--baseline", str(report))
    leaks = [f for f in run.findings if f.status is Status.FAIL and "fingerprint" in f.details]
    assert leaks == []
    assert any(f.rule_id == "secrets.envfile.committed" and f.status is Status.FAIL for f in run.findings)


def _git(repo: Path, *args: str) -> None:
    env_args = ["-c", "user.name=t", "-c", "user.email=t@example.test", "-c", "commit.gpgsign=false"]
    subprocess.run(["git", "-C", str(repo), *env_args, *args], check=True, capture_output=True)


def test_staged_scan_blocks_a_commit_with_a_key(tmp_path: Path) -> None:
    repo = tmp_path / "app"
    repo.mkdir()
    _git(repo, "init", "-q")
    (repo / "ok.py").write_text("print('hi')\n")
    _git(repo, "add", "ok.py")
    code, _ = _secrets(str(repo), "--staged")
    assert code == 0
    key = fake_value("secrets.openai.project-key", seed="staged")
    (repo / "settings.py").write_text(f'OPENAI_API_KEY = "{key}"\n')
    code, out = _secrets(str(repo), "--staged")
    assert code == 0, "not staged yet"
    _git(repo, "add", "settings.py")
    code, out = _secrets(str(repo), "--staged", "--format", "json")
    assert code == 1 and key not in out
    assert "settings.py" in out


def test_ignore_file_keyed_by_fingerprint(tmp_path: Path) -> None:
    repo = tmp_path / "app"
    repo.mkdir()
    key = fake_value("secrets.groq.api-key", seed="ignored")
    (repo / "fixture.py").write_text(f'GROQ = "{key}"\n')
    _, run = _json_run(str(repo))
    finding = next(
        f for f in run.findings if f.rule_id == "secrets.source.exposed" and f.status is Status.FAIL
    )
    fingerprint = finding.details["fingerprint"]
    (repo / ".launchready-ignore.toml").write_text(
        f'[[ignore]]\nfingerprint = "{fingerprint}"\nreason = "fake key in a test fixture"\n'
    )
    (repo / "moved.py").write_text(f'\n\nGROQ_AGAIN = "{key}"\n')
    _, run = _json_run(str(repo))
    assert not [f for f in run.findings if f.rule_id == "secrets.source.exposed" and f.status is Status.FAIL]
