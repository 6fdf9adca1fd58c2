"""One scan per audit run, shared by every secrets check (``CheckContext.once``).

Scanning is CPU work, so it runs in a thread (and the history scan in worker processes) while the
network checks of the same audit keep going.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from launchready.engine.context import CheckContext
from launchready.findings import Finding, RuleSpec
from launchready.secrets.gitcli import GitError
from launchready.secrets.history import scan_history
from launchready.secrets.scan import ScanOptions, SecretsScan, scan_working_tree
from launchready.secrets.suppress import SuppressionError, Suppressions, load_suppressions


def options_from(ctx: CheckContext) -> ScanOptions:
    config = ctx.config
    return ScanOptions(
        root=config.repo.path,
        history=config.secrets.history,
        jobs=config.secrets.jobs or ScanOptions.all_cores(),
        bundle_dirs=config.repo.bundle_dirs,
        logs=config.repo.logs,
        environments=dict(config.environments),
    )


async def working_tree_scan(ctx: CheckContext) -> SecretsScan:
    return await ctx.once("secrets.tree", lambda: asyncio.to_thread(scan_working_tree, options_from(ctx)))


async def full_scan(ctx: CheckContext) -> SecretsScan:
    """The working-tree scan plus the history scan, each computed once per run."""
    scan = await working_tree_scan(ctx)
    options = scan.options
    history = await ctx.once(
        "secrets.history", lambda: asyncio.to_thread(scan_history, options.root, jobs=options.jobs)
    )
    scan.history = history
    return scan


def suppressions(ctx: CheckContext) -> Suppressions:
    """The ignore file named in ``[secrets] ignore_file`` (relative to the repository)."""
    path = ctx.config.secrets.ignore_file
    return load_suppressions(path if path.is_absolute() else ctx.config.repo.path / path)


ScanFailure = (GitError, SuppressionError, OSError)
"""What a repository scan can fail with: reported as ``unverifiable``, never as a pass."""


def unverifiable_all(rules: tuple[RuleSpec, ...], target: str, exc: BaseException) -> list[Finding]:
    reason = f"{type(exc).__name__}: {exc}"
    return [rule.unverifiable(target, reason) for rule in rules]


async def findings_for(
    ctx: CheckContext,
    rules: tuple[RuleSpec, ...],
    build: Callable[[SecretsScan, Suppressions], list[Finding]],
    *,
    history: bool = False,
) -> list[Finding]:
    """Scan once per run, then build this check's findings; scan failures become unverifiable findings."""
    target = str(ctx.config.repo.path)
    if not ctx.config.repo.path.is_dir():
        return [rule.unverifiable(target, f"repository path {target} does not exist") for rule in rules]
    if history and not ctx.config.secrets.history:
        return [
            rule.unverifiable(target, "history scan disabled ([secrets] history = false)") for rule in rules
        ]
    try:
        scan = await (full_scan(ctx) if history else working_tree_scan(ctx))
        return build(scan, suppressions(ctx))
    except ScanFailure as exc:
        return unverifiable_all(rules, target, exc)
