"""Every env var the code reads is listed in ``.env.example`` and set in each environment's env file (issue 14,
"deploy-config review").

A new environment is set up from the example file; a variable the code reads but the example omits is the
one missing in production. Reads are recognised in Python, JavaScript/TypeScript, Ruby, Go and PHP by the
standard idioms (``os.environ["X"]``, ``os.getenv("X")``, ``process.env.X``, ``import.meta.env.X``,
``ENV["X"]``, ``os.Getenv("X")``, ``getenv('X')``); variables the platform itself sets (``PORT``,
``NODE_ENV``, ``VERCEL_*``...) are not expected in the example.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Mapping
from pathlib import Path

from launchready.checks.deploy import rules as R
from launchready.checks.deploy.repo import DeployRepo
from launchready.checks.deploy.shared import deploy_repo, repo_target
from launchready.checks.interface import Check
from launchready.engine.context import CheckContext
from launchready.findings import Finding

_NAME = r"([A-Z][A-Z0-9_]{1,63})"
ENV_READ = re.compile(
    rf"os\.environ\[\s*[\"']{_NAME}[\"']|os\.environ\.get\(\s*[\"']{_NAME}[\"']|os\.getenv\(\s*[\"']{_NAME}[\"']|"
    rf"process\.env\.{_NAME}\b|process\.env\[\s*[\"']{_NAME}[\"']|import\.meta\.env\.{_NAME}\b|"
    rf"\bENV\[\s*[\"']{_NAME}[\"']|\bENV\.fetch\(\s*[\"']{_NAME}[\"']|os\.(?:Getenv|LookupEnv)\(\s*\"{_NAME}\"|"
    rf"\bgetenv\(\s*[\"']{_NAME}[\"']"
)
_EXAMPLE_LINE = re.compile(r"^\s*(?:export\s+)?#?\s*([A-Za-z_][A-Za-z0-9_]*)\s*=", re.MULTILINE)
PLATFORM_SET = frozenset(
    {"PORT", "HOST", "NODE_ENV", "HOME", "PATH", "PWD", "USER", "HOSTNAME", "CI", "TZ", "LANG", "TERM",
     "SHELL", "TMPDIR", "PYTHONPATH", "DEBUG", "ENV", "ENVIRONMENT", "DYNO", "NEXT_RUNTIME", "MODE", "DEV",
     "PROD", "SSR", "BASE_URL"}
)  # fmt: skip
PLATFORM_PREFIXES = ("GITHUB_", "VERCEL_", "RENDER_", "FLY_", "RAILWAY_", "HEROKU_", "CI_", "RUNNER_",
                     "AWS_LAMBDA_", "K_", "NPM_", "KUBERNETES_")  # fmt: skip


def env_reads(repo: DeployRepo) -> tuple[dict[str, str], int]:
    """Each variable the code reads, with the first ``file:line`` reading it, and the files read."""
    reads: dict[str, str] = {}
    read = 0
    for rel in repo.sources:
        text = repo.read(rel)
        if text is None:
            continue
        read += 1
        for match in ENV_READ.finditer(text):
            name = next(g for g in match.groups() if g)
            if name in PLATFORM_SET or name.startswith(PLATFORM_PREFIXES):
                continue
            reads.setdefault(name, f"{rel}:{text.count(chr(10), 0, match.start()) + 1}")
    return reads, read


class EnvExampleComplete(Check):
    name = "deploy.env-example"
    needs_network = False
    timeout_s = 60.0  # reads every source file of the repository
    rules = (R.ENV_EXAMPLE_MISSING, R.ENV_ENVIRONMENT_MISSING)

    async def run(self, ctx: CheckContext) -> list[Finding]:
        target = repo_target(ctx.config)
        if not ctx.config.repo.path.is_dir():
            reason = f"repository path {target} does not exist"
            return [spec.unverifiable(target, reason) for spec in self.rules]
        try:
            repo = await deploy_repo(ctx)
        except OSError as exc:
            return [spec.unverifiable(target, f"cannot read the repository: {exc}") for spec in self.rules]
        reads, files = await asyncio.to_thread(env_reads, repo)
        environments = await asyncio.to_thread(judge_environments, ctx.config.environments, reads, target)
        return judge_env_example(repo, reads, files, target) + environments


def judge_env_example(repo: DeployRepo, reads: dict[str, str], files: int, target: str) -> list[Finding]:
    spec = R.ENV_EXAMPLE_MISSING
    if not reads:
        return [spec.not_assessed(target, f"{files} source files read; none reads an environment variable")]
    example = repo.env_example
    if example is None:
        names = ", ".join(sorted(reads))
        return [
            spec.failed(
                ".env.example", f"no .env.example, and the code reads {len(reads)} variables: {names}"
            )
        ]
    listed = set(_EXAMPLE_LINE.findall(example.text))
    missing = sorted(set(reads) - listed)
    if not missing:
        return [
            spec.passed(
                example.path,
                f"all {len(reads)} variables the code reads are in {example.path}",
                exercised={"source_files_read": files, "env_reads": len(reads)},
            )
        ]
    return [
        spec.failed(
            f"{example.path}:{name}",
            f"{name} is read at {reads[name]} but not listed in {example.path}",
            details={"variable": name, "read_at": reads[name]},
        )
        for name in missing
    ]


def judge_environments(environments: Mapping[str, Path], reads: dict[str, str], target: str) -> list[Finding]:
    """Each configured environment's env file against the variables the code reads."""
    spec = R.ENV_ENVIRONMENT_MISSING
    if not environments:
        return [
            spec.not_assessed(target, "no [environments] in launchready.toml: no environment file to compare")
        ]
    if not reads:
        return [spec.not_assessed(target, "the code reads no environment variable")]
    found: list[Finding] = []
    for name, path in sorted(environments.items()):
        try:
            listed = set(_EXAMPLE_LINE.findall(path.read_text(encoding="utf-8", errors="replace")))
        except OSError as exc:
            found.append(spec.unverifiable(name, f"cannot read {path}: {exc.strerror or exc}"))
            continue
        missing = sorted(set(reads) - listed)
        if missing:
            where = "; ".join(f"{var} (read at {reads[var]})" for var in missing[:8])
            found.append(spec.failed(name, f"{path.name} lacks {where}", details={"missing": missing}))
        else:
            found.append(
                spec.passed(
                    name,
                    f"{path.name} sets all {len(reads)} variables the code reads",
                    exercised={"env_files_read": 1, "env_reads": len(reads)},
                )
            )
    return found
