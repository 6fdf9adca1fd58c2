"""One scan of a repository, every source at once: the input both ``launchready secrets`` and the audit
checks turn into findings (``launchready.checks.secrets.findings``)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from launchready.engine.cpu import Progress
from launchready.secrets.envfiles import EnvFileStatus, env_file_status
from launchready.secrets.environments import EnvironmentComparison, compare_environments
from launchready.secrets.history import HistoryScan, scan_history
from launchready.secrets.logs import PromptLeak, find_prompt_leaks
from launchready.secrets.matcher import Matcher
from launchready.secrets.redaction import fingerprint_key
from launchready.secrets.tree import FileRole, TreeScan, scan_staged, scan_tree

DEFAULT_BUNDLE_DIRS = (Path("dist"), Path("build"), Path("out"), Path(".next/static"), Path("public"))


@dataclass(frozen=True)
class ScanOptions:
    root: Path
    history: bool = False
    since: str | None = None
    staged: bool = False
    jobs: int = 1
    bundle_dirs: tuple[Path, ...] = DEFAULT_BUNDLE_DIRS
    logs: tuple[Path, ...] = ()
    environments: dict[str, Path] = field(default_factory=dict)

    @staticmethod
    def all_cores() -> int:
        return os.cpu_count() or 1


@dataclass
class SecretsScan:
    options: ScanOptions
    tree: TreeScan
    history: HistoryScan | None = None
    env_files: list[EnvFileStatus] = field(default_factory=list)
    prompt_leaks: list[PromptLeak] = field(default_factory=list)
    environments: EnvironmentComparison | None = None
    key_source: str = ""
    """Where the fingerprint key came from (``redaction.fingerprint_key``), for the report's evidence."""


def keyed_matcher(root: Path) -> tuple[Matcher, str]:
    """A matcher whose fingerprints use the repository's key, and where that key came from."""
    key, source = fingerprint_key(root)
    return Matcher(key=key), source


def resolve(root: Path, path: Path) -> Path:
    return path if path.is_absolute() else root / path


def scan_working_tree(
    options: ScanOptions, matcher: Matcher | None = None, progress: Progress | None = None
) -> SecretsScan:
    """Tree (or staged files), env files, logs and environments; history is separate (it is the slow part)."""
    root = options.root
    source = ""
    if matcher is None:
        matcher, source = keyed_matcher(root)
    if options.staged:
        return SecretsScan(options=options, tree=scan_staged(root, matcher), key_source=source)
    logs = tuple(p if not p.is_absolute() else _relative(root, p) for p in options.logs)
    tree = scan_tree(root, matcher, bundle_dirs=options.bundle_dirs, logs=logs, progress=progress)
    scan = SecretsScan(options=options, tree=tree, key_source=source)
    scan.env_files = env_file_status(root, tree.paths_with(FileRole.ENV))
    for rel in tree.paths_with(FileRole.LOG):
        if progress is not None:
            progress.checkpoint()  # a 200 MB log is parsed line by line: stop between files when cut
        scan.prompt_leaks.extend(find_prompt_leaks(root / rel, rel))
    if options.environments:
        envs = {name: resolve(root, path) for name, path in options.environments.items()}
        scan.environments = compare_environments(envs, matcher)
    return scan


def _relative(root: Path, path: Path) -> Path:
    try:
        return path.relative_to(root)
    except ValueError:
        return path


def scan_repository(options: ScanOptions) -> SecretsScan:
    matcher, source = keyed_matcher(options.root)
    scan = scan_working_tree(options, matcher)
    scan.key_source = source
    if options.history and not options.staged:
        scan.history = scan_history(options.root, since=options.since, jobs=options.jobs, key=matcher.key)
    return scan
