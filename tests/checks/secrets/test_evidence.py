"""Evidence before verdict, one secret one risk, examples kept low (issue 9), through the audit's checks.

Each negative test names the false pass it replaces: before, the bundle/log/env/history rules passed with
"0 bundle files scanned", "0 log files", "0 env files" and "0 blobs" (a path that is not a git repository),
and a missing ``[environments]`` was an unverifiable *high* finding that blocked a product done right.
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
from pathlib import Path

from launchready.checks.registry import all_checks
from launchready.config.model import LaunchConfig, ProductConfig, RepoConfig
from launchready.engine import AuditRun, RunOptions, run_audit
from launchready.findings import Finding, Severity, Status
from launchready.report import blocking
from launchready.secrets.context import KNOWN_SAMPLES
from launchready.secrets.rules import fake_value

SECRET_CHECKS = [c for c in all_checks() if c.name.startswith("secrets.")]
NOTHING_TO_SCAN = (
    "secrets.bundle.exposed",
    "secrets.logs.exposed",
    "secrets.logs.prompts",
    "secrets.envfile.committed",
    "secrets.envfile.unignored",
    "secrets.environments.shared",
    "secrets.environments.missing",
)


def _git(repo: Path, *args: str) -> None:
    ident = ["-c", "user.name=t", "-c", "user.email=t@example.test", "-c", "commit.gpgsign=false"]
    subprocess.run(["git", "-C", str(repo), *ident, *args], check=True, capture_output=True)


def _write(repo: Path, rel: str, text: str) -> None:
    path = repo / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def _audit(repo: Path, **repo_options: object) -> AuditRun:
    config = LaunchConfig(
        product=ProductConfig(name="app", domain="app.test"),
        repo=RepoConfig(path=repo, **repo_options),  # type: ignore[arg-type]
    )
    return asyncio.run(run_audit(config, SECRET_CHECKS, RunOptions(deadline_s=60)))


def _only(run: AuditRun, rule_id: str) -> list[Finding]:
    return [f for f in run.findings if f.rule_id == rule_id]


def _clean_repo(tmp: Path) -> Path:
    repo = tmp / "app"
    repo.mkdir()
    _git(repo, "init", "-q")
    _write(repo, "app.py", "import os\n\nKEY = os.environ['OPENAI_API_KEY']\n")
    _write(repo, ".gitignore", ".env*\n")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "app")
    return repo


def test_a_product_done_right_without_bundles_logs_or_env_files_is_green(tmp_path: Path) -> None:
    run = _audit(_clean_repo(tmp_path))
    for rule_id in NOTHING_TO_SCAN:
        statuses = [(f.status, f.reason) for f in _only(run, rule_id)]
        assert [s for s, _ in statuses] == [Status.NOT_ASSESSED], (rule_id, statuses)
        assert statuses[0][1], rule_id
    source = _only(run, "secrets.source.exposed")
    assert [f.status for f in source] == [Status.PASS] and source[0].exercised["files_scanned"] >= 1
    history = _only(run, "secrets.history.exposed")
    assert [f.status for f in history] == [Status.PASS] and history[0].exercised["blobs_scanned"] >= 2
    assert blocking(run, Severity.LOW) == [], "missing inputs are not blockers"


def test_not_assessed_reasons_say_what_to_configure(tmp_path: Path) -> None:
    run = _audit(_clean_repo(tmp_path))
    reasons = {f.rule_id: f.reason or "" for f in run.findings if f.status is Status.NOT_ASSESSED}
    assert "bundle_dirs" in reasons["secrets.bundle.exposed"]
    assert "[repo] logs" in reasons["secrets.logs.exposed"]
    assert "[environments]" in reasons["secrets.environments.shared"]
    assert ".env" in reasons["secrets.envfile.committed"]


def test_every_pass_records_what_it_scanned(tmp_path: Path) -> None:
    repo = _clean_repo(tmp_path)
    _write(repo, "dist/app.js", "console.log('hi')\n")
    _write(repo, "logs/app.log", '{"event": "chat", "prompt_chars": 12}\n')
    _write(repo, ".env", "LOG_LEVEL=info\n")
    run = _audit(repo, logs=(Path("logs/app.log"),))
    passes = [f for f in run.findings if f.status is Status.PASS]
    assert {f.rule_id for f in passes} >= {
        "secrets.bundle.exposed",
        "secrets.logs.exposed",
        "secrets.envfile.committed",
        "secrets.envfile.unignored",
    }
    for finding in passes:
        assert any(count > 0 for count in finding.exercised.values()), finding


def test_history_of_a_folder_that_is_not_a_git_repository_is_not_assessed(tmp_path: Path) -> None:
    folder = tmp_path / "plain"
    _write(folder, "app.py", "print('hi')\n")
    _write(folder, ".env", "LOG_LEVEL=info\n")
    run = _audit(folder)
    history = _only(run, "secrets.history.exposed")
    assert [f.status for f in history] == [Status.NOT_ASSESSED]
    assert "not a git repository" in (history[0].reason or "")
    committed = _only(run, "secrets.envfile.committed")
    assert [f.status for f in committed] == [Status.NOT_ASSESSED]


def test_history_is_unverifiable_when_git_fails(tmp_path: Path) -> None:
    repo = _clean_repo(tmp_path)
    shutil.rmtree(repo / ".git" / "objects")
    (repo / ".git" / "objects").mkdir()
    run = _audit(repo)
    history = _only(run, "secrets.history.exposed")
    assert [f.status for f in history] == [Status.UNVERIFIABLE], [(f.status, f.reason) for f in history]


def test_one_secret_in_tree_history_bundle_and_env_file_is_one_group(tmp_path: Path) -> None:
    repo = _clean_repo(tmp_path)
    key = fake_value("secrets.anthropic.api-key", seed="group")
    _write(repo, "server.py", f'KEY = "{key}"\n')
    _git(repo, "add", "server.py")
    _git(repo, "commit", "-qm", "key")
    _write(repo, "dist/chunk.js", f'var k="{key}";\n')
    _write(repo, ".env.production", f"ANTHROPIC_API_KEY={key}\n")
    run = _audit(repo)
    about_key = [
        f for f in run.findings if f.status is Status.FAIL and f.details.get("provider") == "Anthropic"
    ]
    assert {f.rule_id for f in about_key} == {
        "secrets.source.exposed",
        "secrets.history.exposed",
        "secrets.bundle.exposed",
    }
    groups = {f.group for f in about_key}
    assert len(groups) == 1 and next(iter(groups)) == f"secret:{about_key[0].details['fingerprint']}"
    other = fake_value("secrets.anthropic.api-key", seed="other")
    _write(repo, "other.py", f'KEY = "{other}"\n')
    run = _audit(repo)
    groups = {
        f.group for f in run.findings if f.status is Status.FAIL and f.rule_id == "secrets.source.exposed"
    }
    assert len(groups) == 2, "two different keys are two risks"


def test_keys_in_tests_docs_and_published_samples_are_examples_not_blockers(tmp_path: Path) -> None:
    repo = _clean_repo(tmp_path)
    groq = fake_value("secrets.groq.api-key", seed="fixture")
    _write(repo, "tests/test_client.py", f'GROQ = "{groq}"\n')
    _write(repo, "docs/aws.md", "aws_access_key_id = AKIAIOSFODNN7EXAMPLE\n")
    jwt = next(sample for sample, why in KNOWN_SAMPLES.items() if "jwt.io" in why)
    _write(repo, "src/api.py", f'HEADERS = {{"Authorization": "Bearer {jwt}"}}\n')
    run = _audit(repo)
    source = _only(run, "secrets.source.exposed")
    examples = {f.target: f for f in source if f.details.get("example")}
    assert set(examples) == {"tests/test_client.py", "docs/aws.md", "src/api.py"}, [
        (f.target, f.status) for f in source
    ]
    for finding in examples.values():
        assert finding.status is Status.WARN and finding.severity is Severity.LOW
        assert "classed as an example" in finding.evidence
    assert "under tests/" in examples["tests/test_client.py"].evidence
    assert "AWS's documented example" in examples["docs/aws.md"].evidence
    assert "jwt.io" in examples["src/api.py"].evidence
    assert blocking(run, Severity.LOW) == []


def test_a_real_key_outside_examples_still_fails(tmp_path: Path) -> None:
    """Context must not hide a leak: the same kind of key under src/ is a failure."""
    repo = _clean_repo(tmp_path)
    _write(repo, "src/testing_utils.py", f'GROQ = "{fake_value("secrets.groq.api-key", seed="real")}"\n')
    run = _audit(repo)
    source = [f for f in _only(run, "secrets.source.exposed") if f.target == "src/testing_utils.py"]
    assert [f.status for f in source] == [Status.FAIL] and source[0].severity is Severity.HIGH


def test_two_secrets_on_one_minified_line_are_two_findings(tmp_path: Path) -> None:
    """The runner keeps one finding per (rule, target): a bundle's secrets must not hide one another."""
    repo = _clean_repo(tmp_path)
    first = fake_value("secrets.anthropic.api-key", seed="one")
    second = fake_value("secrets.groq.api-key", seed="two")
    _write(repo, "dist/app.js", f'var a="{first}",b="{second}";\n')
    run = _audit(repo)
    bundle = [f for f in _only(run, "secrets.bundle.exposed") if f.status is Status.FAIL]
    assert len(bundle) == 2 and len({f.target for f in bundle}) == 2, [f.target for f in bundle]
    assert all(f.target.startswith("dist/app.js:1:") for f in bundle)
