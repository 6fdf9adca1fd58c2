"""One read of the repository per audit run, shared by every deploy check (``CheckContext.once``).

Reading files is blocking I/O, so it runs in a thread while the network checks of the same audit go on.
A repository that cannot be read makes every rule ``unverifiable`` with the reason, never a pass.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable

from launchready.checks.deploy.repo import DeployRepo, load_deploy_repo
from launchready.config import LaunchConfig
from launchready.engine.context import CheckContext
from launchready.findings import Finding, RuleSpec

SECRET_NAME = re.compile(r"(?i)(_KEY|_SECRET|_TOKEN|PASSWORD|_PASS|_PWD|_CREDENTIALS?|^SECRET_KEY_BASE)$")
"""A setting whose name says it holds a credential: a literal value for it is a plaintext secret."""


async def deploy_repo(ctx: CheckContext) -> DeployRepo:
    root = ctx.config.repo.path
    runbook = ctx.config.deploy.runbook
    return await ctx.once("deploy.repo", lambda: asyncio.to_thread(load_deploy_repo, root, runbook))


def repo_target(config: LaunchConfig) -> str:
    return str(config.repo.path)


async def findings_for(
    ctx: CheckContext,
    rules: tuple[RuleSpec, ...],
    build: Callable[[DeployRepo, LaunchConfig], list[Finding]],
) -> list[Finding]:
    target = repo_target(ctx.config)
    if not ctx.config.repo.path.is_dir():
        reason = f"repository path {target} does not exist ([repo] path in launchready.toml)"
        return [spec.unverifiable(target, reason) for spec in rules]
    try:
        repo = await deploy_repo(ctx)
    except OSError as exc:
        return [spec.unverifiable(target, f"cannot read the repository: {exc}") for spec in rules]
    return build(repo, ctx.config)
