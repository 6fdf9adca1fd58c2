"""The working tree, including ignored build output on purpose.

``dist/``, ``.next/static``, ``public/`` and source maps are what browsers download; they are usually
gitignored, which is exactly why other scanners skip them and why we read them. Each file gets a role —
source, client bundle, log or env file — that decides which rule reports what is found in it.
"""

from __future__ import annotations

import enum
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from launchready.engine.cpu import Progress
from launchready.secrets.blobs import scan_file, scan_stream
from launchready.secrets.gitcli import BlobReader, GitError, is_repository, staged_blobs
from launchready.secrets.matcher import Matcher, SecretMatch

SKIP_DIRS = frozenset(
    {
        ".git",
        "node_modules",
        ".venv",
        "venv",
        "__pycache__",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".tox",
    }
)
EXAMPLE_SUFFIXES = (".example", ".sample", ".template", ".dist", ".defaults")


class FileRole(enum.StrEnum):
    SOURCE = "source"
    BUNDLE = "bundle"
    LOG = "log"
    ENV = "env"


def is_env_file(rel: str) -> bool:
    name = PurePosixPath(rel).name
    return name.startswith(".env") or name.endswith(".env")


def is_env_example(rel: str) -> bool:
    return PurePosixPath(rel).name.endswith(EXAMPLE_SUFFIXES)


def classify(rel: str, bundle_dirs: Sequence[Path], logs: Sequence[Path]) -> FileRole:
    posix = PurePosixPath(rel)
    if is_env_file(rel):
        return FileRole.ENV
    if any(posix == PurePosixPath(p.as_posix()) for p in logs) or posix.suffix == ".log":
        return FileRole.LOG
    if posix.suffix == ".map" or any(posix.is_relative_to(PurePosixPath(d.as_posix())) for d in bundle_dirs):
        return FileRole.BUNDLE
    return FileRole.SOURCE


def walk(root: Path) -> Iterator[str]:
    """Relative POSIX paths of regular files, skipping VCS and dependency folders; symlinks not followed."""
    for current, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS)
        for name in sorted(files):
            full = Path(current, name)
            if full.is_file() and not full.is_symlink():
                yield full.relative_to(root).as_posix()


@dataclass(frozen=True)
class FileSecret:
    path: str
    role: FileRole
    match: SecretMatch


@dataclass
class TreeScan:
    root: Path
    secrets: list[FileSecret] = field(default_factory=list)
    files_scanned: int = 0
    bytes_scanned: int = 0
    roles: dict[str, FileRole] = field(default_factory=dict)

    def paths_with(self, role: FileRole) -> list[str]:
        return [p for p, r in self.roles.items() if r is role]

    def count(self, *roles: FileRole) -> int:
        """Files scanned with one of ``roles``: the evidence a verdict on those files rests on."""
        return sum(1 for r in self.roles.values() if r in roles)


def scan_tree(
    root: Path,
    matcher: Matcher,
    *,
    bundle_dirs: Sequence[Path] = (),
    logs: Sequence[Path] = (),
    progress: Progress | None = None,
) -> TreeScan:
    """Every file under ``root`` (and the configured logs); ``progress.cancel`` is honoured between files."""
    scan = TreeScan(root=root)
    listed = list(walk(root))
    extra_logs = [p.as_posix() for p in logs if (root / p).is_file() and p.as_posix() not in listed]
    every = [*listed, *extra_logs]
    if progress is not None:
        progress.total = len(every)
    for rel in every:
        role = classify(rel, bundle_dirs, logs)
        full = root / rel
        try:
            size = full.stat().st_size
        except OSError:
            continue  # vanished between the walk and the read
        scan.roles[rel] = role
        scan.files_scanned += 1
        scan.bytes_scanned += size
        scan.secrets.extend(FileSecret(rel, role, m) for m in scan_file(matcher, full))
        if progress is not None:
            progress.advance()
    return scan


def scan_staged(root: Path, matcher: Matcher) -> TreeScan:
    """What ``git commit`` would record right now: the staged version of every added or changed file."""
    scan = TreeScan(root=root)
    if not is_repository(root):
        raise GitError(f"{root} is not a git repository: --staged needs one")
    staged = staged_blobs(root)
    paths = dict(staged)
    reader = BlobReader(root)
    try:
        for sha, size, stream in reader.read_all([sha for sha, _ in staged]):
            rel = paths[sha]
            role = classify(rel, (), ())
            scan.roles[rel] = role
            scan.files_scanned += 1
            scan.bytes_scanned += size
            scan.secrets.extend(FileSecret(rel, role, m) for m in scan_stream(matcher, stream.read, size))
    finally:
        reader.close()
    return scan
