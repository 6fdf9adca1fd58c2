"""One scan per audit run, shared by every secrets check (``CheckContext.once``), cut cleanly at the deadline.

Scanning is CPU work: it runs in an abandonable worker thread (``engine.cpu.run_cpu_bound``; the history
scan fans out to worker processes of its own) while the network checks of the same audit keep going. When
the check's time limit or the run's deadline cancels the check, the worker's cancel flag is set, the thread
stops at its next file or blob, and the check answers at once with ``unverifiable`` "deadline reached after
scanning N of M blobs" — never a pass, and never a run that overshoots its deadline (issue 10).

The working tree and the history are separate scans: the history check does not wait for the tree.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from launchready.engine.context import CheckContext
from launchready.engine.cpu import Progress, run_cpu_bound
from launchready.findings import Finding, RuleSpec
from launchready.secrets.gitcli import GitError
from launchready.secrets.history import HistoryScan, scan_history
from launchready.secrets.redaction import fingerprint_key
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


async def _progress(ctx: CheckContext, key: str, unit: str) -> Progress:
    """The run's one progress record for ``key``: it outlives a cancelled scan, so its count can be told."""

    async def make() -> Progress:
        return Progress(unit=unit)

    return await ctx.once(f"{key}.progress", make)


async def working_tree_scan(ctx: CheckContext) -> SecretsScan:
    progress = await _progress(ctx, "secrets.tree", "files")
    options = options_from(ctx)
    return await ctx.once(
        "secrets.tree",
        lambda: run_cpu_bound(scan_working_tree, options, None, progress, cancel=progress.cancel),
    )


async def history_scan(ctx: CheckContext) -> SecretsScan:
    """The history alone (the working tree is not needed), wrapped in a ``SecretsScan`` for the findings."""
    progress = await _progress(ctx, "secrets.history", "blobs")
    options = options_from(ctx)

    def scan() -> SecretsScan:
        from launchready.secrets.tree import TreeScan

        key, source = fingerprint_key(options.root)
        history: HistoryScan = scan_history(options.root, jobs=options.jobs, key=key, progress=progress)
        return SecretsScan(
            options=options, tree=TreeScan(root=options.root), history=history, key_source=source
        )

    return await ctx.once("secrets.history", lambda: run_cpu_bound(scan, cancel=progress.cancel))


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
    """Scan once per run, then build this check's findings; failures and the deadline become unverifiable."""
    target = str(ctx.config.repo.path)
    if not ctx.config.repo.path.is_dir():
        return [rule.unverifiable(target, f"repository path {target} does not exist") for rule in rules]
    if history and not ctx.config.secrets.history:
        reason = "history scan disabled ([secrets] history = false); set it to true to scan every commit"
        return [rule.not_assessed(target, reason) for rule in rules]
    kind, unit = ("secrets.history", "blobs") if history else ("secrets.tree", "files")
    progress = await _progress(ctx, kind, unit)
    try:
        scan = await (history_scan(ctx) if history else working_tree_scan(ctx))
        return build(scan, suppressions(ctx))
    except ScanFailure as exc:
        return unverifiable_all(rules, target, exc)
    except asyncio.CancelledError:
        # The check's time limit or the run's deadline cancelled us (asyncio.timeout in the runner): the
        # worker has been told to stop; answer now with how far it got instead of a bare timeout. A
        # cancellation of the whole run still propagates (gather re-raises it for a cancelled parent).
        reason = f"deadline reached after scanning {progress.describe()}; the rest was not scanned"
        return [rule.unverifiable(target, reason) for rule in rules]
