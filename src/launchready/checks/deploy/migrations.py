"""Migration order: migrations run before the new code serves (roadmap stage 4: "migrates if needed").

The migration tool is recognised from the repository (Alembic, Prisma, Django, Rails, Knex), then the places
that can run it are read in the order a deploy runs them: a release phase (Procfile ``release:``, fly.toml
``release_command``, render.yaml ``preDeployCommand``, a Kubernetes Job or pre-upgrade hook), a pipeline
job or deploy script (the migrate line must come before the deploy line), and last the container start
(``CMD``/``web:`` — it works, but every replica races to migrate, so it is a warning).
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import Any

from launchready.checks.deploy import rules as R
from launchready.checks.deploy.pipeline_model import DEPLOY, DEPLOY_ACTIONS, MIGRATE, ci_jobs
from launchready.checks.deploy.repo import DeployRepo, RepoFile
from launchready.checks.deploy.shared import findings_for, repo_target
from launchready.checks.interface import Check
from launchready.config import LaunchConfig
from launchready.engine.context import CheckContext
from launchready.findings import Finding

SWITCH = re.compile(
    r"(?i)\bln\s+-s|\bsystemctl\s+(restart|reload)|\bpm2\s+(reload|restart)|\bdocker\s+compose\s+up|"
    r"\bdocker-compose\s+up|\bkubectl\b|\bhelm\b|\bsupervisorctl\s+restart|\bmv\s+-T|\bswitch\b"
)
"""Lines of a deploy script that put the new code in service."""


def migration_tools(repo: DeployRepo) -> list[str]:
    """Each migration tool the repository uses, with the file that shows it."""
    paths = repo.all_paths
    found: list[str] = []

    def first(predicate: Any) -> str | None:
        return next((p for p in paths if predicate(p)), None)

    checks = (
        ("Alembic", lambda p: PurePosixPath(p).name == "alembic.ini" or "/alembic/versions/" in f"/{p}"),
        ("Prisma", lambda p: p.endswith("prisma/schema.prisma") or "/prisma/migrations/" in f"/{p}"),
        ("Django", lambda p: re.search(r"(^|/)migrations/0001_\w+\.py$", p) is not None),
        ("Rails", lambda p: p.startswith("db/migrate/") and p.endswith(".rb")),
        ("Knex", lambda p: re.fullmatch(r"knexfile\.(js|ts|cjs|mjs)", PurePosixPath(p).name) is not None),
    )
    for tool, predicate in checks:
        where = first(predicate)
        if where:
            found.append(f"{tool} ({where})")
    return found


def _walk(node: Any, path: str = "") -> list[tuple[str, str]]:
    """Every (key path, string) leaf of a parsed document."""
    if isinstance(node, dict):
        return [leaf for k, v in node.items() for leaf in _walk(v, f"{path}.{k}")]
    if isinstance(node, list):
        return [leaf for i, v in enumerate(node) for leaf in _walk(v, f"{path}[{i}]")]
    return [(path, str(node))] if isinstance(node, (str, int, float)) else []


_RELEASE_KEYS = re.compile(
    r"(?i)release_command|predeploycommand|release|pre-?deploy|helm\.sh/hook|initcontainers"
)


def release_phase(repo: DeployRepo) -> str | None:
    """Where a release phase (run once, before the new version takes traffic) runs the migrations."""
    for file in repo.platform:
        if file.name == "Procfile":
            for line in file.lines():
                if line.startswith("release:") and MIGRATE.search(line):
                    return f"{file.path}: {line.strip()}"
            continue
        for key, value in _walk(file.parsed):
            if _RELEASE_KEYS.search(key) and MIGRATE.search(value):
                return f"{file.path}: {key.lstrip('.')} = {value.strip()}"
    for file in repo.manifests:
        docs = file.parsed if isinstance(file.parsed, list) else [file.parsed]
        for doc in docs:
            hook = "helm.sh/hook" in str(doc) and "pre-" in str(doc)
            init = "initContainers" in str(doc)
            if (doc.get("kind") == "Job" or hook or init) and MIGRATE.search(str(doc)):
                return f"{file.path}: {doc.get('kind')} {doc.get('metadata', {}).get('name', '')}".strip()
    return None


def _ordered(lines: list[str], deploy: re.Pattern[str]) -> tuple[int | None, int | None]:
    migrate = next((i for i, line in enumerate(lines) if MIGRATE.search(line)), None)
    switch = next(
        (i for i, line in enumerate(lines) if deploy.search(line) and not MIGRATE.search(line)), None
    )
    return migrate, switch


def at_startup(repo: DeployRepo) -> str | None:
    for file in repo.dockerfiles:
        for line in file.lines():
            if re.match(r"\s*(CMD|ENTRYPOINT)\b", line) and MIGRATE.search(line):
                return f"{file.path}: {line.strip()}"
    for file in repo.platform:
        if file.name == "Procfile":
            for line in file.lines():
                if line.startswith("web:") and MIGRATE.search(line):
                    return f"{file.path}: {line.strip()}"
    return None


class MigrationOrder(Check):
    name = "deploy.migrations"
    needs_network = False
    rules = (R.MIGRATIONS_ORDER,)

    async def run(self, ctx: CheckContext) -> list[Finding]:
        return await findings_for(ctx, self.rules, lambda repo, config: [judge_migrations(repo, config)])


def judge_migrations(repo: DeployRepo, config: LaunchConfig) -> Finding:
    target = repo_target(config)
    tools = migration_tools(repo)
    if not tools:
        return R.MIGRATIONS_ORDER.not_assessed(
            target, "no migrations found (Alembic, Prisma, Django, Rails or Knex): nothing to order"
        )
    uses = ", ".join(tools)
    read = {
        "deploy_files_read": len(repo.platform) + len(repo.manifests) + len(repo.ci_files) + len(repo.scripts)
    }
    phase = release_phase(repo)
    if phase:
        return R.MIGRATIONS_ORDER.passed(
            target, f"{uses}: migrated in the release phase, {phase}", exercised=read
        )
    late: list[str] = []
    jobs = ci_jobs(repo)
    unordered: list[str] = []
    for job in jobs:
        migrate = job.first(MIGRATE)
        deploy = job.first(DEPLOY, DEPLOY_ACTIONS)
        if migrate is not None and deploy is not None and migrate < deploy:
            return R.MIGRATIONS_ORDER.passed(
                target, f"{uses}: {job.file}: job {job.name} migrates before it deploys", exercised=read
            )
        if migrate is not None and deploy is not None:
            late.append(f"{job.file}: job {job.name} migrates after its deploy step")
        elif migrate is not None:
            deployers = [
                j for j in jobs if j.file == job.file and j.first(DEPLOY, DEPLOY_ACTIONS) is not None
            ]
            waiting = [j for j in deployers if job.key in j.after]
            if waiting:
                return R.MIGRATIONS_ORDER.passed(
                    target, f"{uses}: {job.file}: job {job.name} migrates, and deploy job {waiting[0].name} "
                    "waits for it", exercised=read,
                )  # fmt: skip
            racing = ", ".join(j.name for j in deployers) or "the platform's own deploy"
            unordered.append(f"{job.file}: job {job.name} migrates, but nothing makes {racing} wait for it")
    for script in repo.scripts:
        migrate, switch = _ordered(script.lines(), SWITCH)
        if migrate is not None and (switch is None or migrate < switch):
            return R.MIGRATIONS_ORDER.passed(
                target, f"{uses}: {script.path} migrates before it switches", exercised=read
            )
        if migrate is not None:
            late.append(f"{script.path} migrates after the new code is switched in")
    if late:
        return R.MIGRATIONS_ORDER.failed(target, f"{uses}: {'; '.join(late)}")
    if unordered:
        return R.MIGRATIONS_ORDER.warned(target, f"{uses}: {'; '.join(unordered)}")
    startup = at_startup(repo)
    if startup:
        return R.MIGRATIONS_ORDER.warned(
            target, f"{uses}: migrated at container start ({startup}): every replica races to migrate"
        )
    return R.MIGRATIONS_ORDER.failed(
        target,
        f"{uses}, but no release phase, pipeline step or deploy script runs the migrations "
        f"({_looked_at(repo)} read)",
    )


def _looked_at(repo: DeployRepo) -> str:
    files: list[RepoFile] = [
        *repo.platform,
        *repo.manifests,
        *repo.ci_files,
        *repo.scripts,
        *repo.dockerfiles,
    ]
    return ", ".join(f.path for f in files) or "no deploy file"
