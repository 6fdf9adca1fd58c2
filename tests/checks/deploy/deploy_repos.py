"""Helpers for the deploy checks' tests: small git repositories, a config pointing at one, an audit of it."""

from __future__ import annotations

import asyncio
import os
import subprocess
from pathlib import Path

from launchready.checks.deploy import (
    DeployConfigSecrets,
    DeployPipeline,
    EnvExampleComplete,
    EnvFilesShipped,
    MigrationOrder,
    ReversibleMigrations,
    RollbackReady,
    WorkflowSafety,
)
from launchready.checks.interface import Check
from launchready.config.model import (
    DeployConfig,
    LaunchConfig,
    ProductConfig,
    RepoConfig,
    RouteConfig,
    RouteRole,
)
from launchready.engine import AuditRun, RunOptions, run_audit
from launchready.findings import Finding
from launchready.lab.deploy_repo import write_deploy_files
from launchready.lab.variant import LabVariant

DEPLOY_CHECKS: list[Check] = [
    DeployPipeline(), MigrationOrder(), RollbackReady(), DeployConfigSecrets(), WorkflowSafety(),
    EnvExampleComplete(),
    EnvFilesShipped(),
    ReversibleMigrations(),
]  # fmt: skip


def git_init(root: Path) -> None:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("GIT_")},
        "GIT_CONFIG_GLOBAL": os.devnull,
    }
    root.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "-C", str(root), "init", "-q", "-b", "main"], env=env, check=True)


def write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def config_for(root: Path, **deploy: object) -> LaunchConfig:
    return LaunchConfig(
        product=ProductConfig(name="lab", domain="chatbot.test"),
        routes=(RouteConfig(name="health", role=RouteRole.HEALTH, host="api", path="/health"),),
        repo=RepoConfig(path=root),
        deploy=DeployConfig.model_validate(deploy),
    )


def audit(config: LaunchConfig, checks: list[Check] | None = None) -> AuditRun:
    return asyncio.run(run_audit(config, checks or DEPLOY_CHECKS, RunOptions(deadline_s=60)))


def of(run: AuditRun, rule_id: str) -> list[Finding]:
    return [f for f in run.findings if f.rule_id == rule_id]


def lab_twin(root: Path, variant: LabVariant) -> Path:
    git_init(root)
    write(
        root,
        {
            ".env.example": "DATABASE_URL=postgresql://app:${DB_PASSWORD}@db/app\nOPENAI_API_KEY=your-key-here\n",
            ".env.production": "LOG_LEVEL=info\n",
        },
    )
    write_deploy_files(root, variant)
    return root
