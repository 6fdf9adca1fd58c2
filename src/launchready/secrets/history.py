"""Every blob reachable from any ref — branches, tags, merges, stashes, reflogs — scanned once.

A key deleted from the tree is still one ``git clone`` away (roadmap: "secrets are not committed to git").
We list reachable blobs with ``rev-list --objects --all --reflog`` (unique by construction, so each blob is
read once even if a thousand commits contain it), split them across worker processes that each own a
``git cat-file --batch`` reader and a Hyperscan matcher (decompression and matching both use every core),
then attribute each secret to the commit that first introduced it with a single ``git log -m --raw`` pass
(``-m`` so a blob that only a merge commit introduced is attributed to that merge).

The scan is cancellable (issue 10: the deadline is a contract): ``progress.cancel`` is checked between two
blobs (one process) or two chunks (worker processes, then terminated), and every git call is killed when it
is set, so an abandoned scan stops within a fraction of a second. A path that is not a git repository, or a
repository with no commit, is reported as ``skipped`` with the reason: "0 blobs scanned" is never a pass.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from launchready.engine.cpu import Cancelled, Progress
from launchready.secrets.blobs import scan_stream
from launchready.secrets.gitcli import (
    BlobReader,
    GitCancelled,
    has_commits,
    head_blobs,
    is_repository,
    run_git,
)
from launchready.secrets.matcher import Matcher, SecretMatch
from launchready.secrets.redaction import fingerprint_key


@dataclass(frozen=True)
class Introduction:
    commit: str
    author: str
    date: str
    """ISO 8601 author date."""
    path: str
    merge: bool
    timestamp: int


@dataclass(frozen=True)
class HistorySecret:
    match: SecretMatch
    blob: str
    path: str
    introduced: Introduction | None
    in_head: bool


@dataclass(frozen=True)
class HistoryScan:
    secrets: tuple[HistorySecret, ...]
    blobs_scanned: int
    bytes_scanned: int
    skipped: str | None = None
    """Why there was no history to scan (not a git repository, no commit yet): not assessed, not a pass."""


def reachable_blobs(
    repo: Path, since: str | None = None, cancel: threading.Event | None = None
) -> list[tuple[str, str]]:
    """(blob id, first path seen) for every blob reachable from refs, stashes and reflogs."""
    if not has_commits(repo):
        return []
    args = ["rev-list", "--objects", "--filter=object:type=blob"]
    args += ["HEAD", "--not", since] if since else ["--all", "--reflog"]
    out = run_git(repo, *args, cancel=cancel)
    blobs: list[tuple[str, str]] = []
    for line in out.splitlines():
        sha, _, path = line.partition(b" ")
        if path:
            blobs.append((sha.decode(), path.decode("utf-8", "replace")))
    return blobs


# --- worker side ------------------------------------------------------------------------------------------

_WORKER_MATCHER: Matcher | None = None


def _worker_init(key: bytes) -> None:
    global _WORKER_MATCHER
    _WORKER_MATCHER = Matcher(key=key)


ChunkResult = tuple[int, int, list[tuple[str, list[SecretMatch]]]]


def _scan_chunk(args: tuple[str, Sequence[str]], progress: Progress | None = None) -> ChunkResult:
    repo, shas = args
    matcher = _WORKER_MATCHER or Matcher(key=fingerprint_key(Path(repo))[0])
    return _scan_with(matcher, Path(repo), shas, progress)


def _scan_with(matcher: Matcher, repo: Path, shas: Sequence[str], progress: Progress | None) -> ChunkResult:
    reader = BlobReader(repo)
    scanned = 0
    total = 0
    found: list[tuple[str, list[SecretMatch]]] = []
    try:
        for sha, size, stream in reader.read_all(shas):
            matches = scan_stream(matcher, stream.read, size)
            scanned += 1
            total += size
            if matches:
                found.append((sha, matches))
            if progress is not None:
                progress.advance()
    except Cancelled:
        reader.abort()
        raise
    finally:
        reader.close()
    return scanned, total, found


def _start_method() -> str:
    """``fork`` when this is the only thread (the CLI: workers start instantly), else ``spawn``.

    Forking a process that has other threads (the audit runs this scan in a thread beside the event loop
    and aiohttp's resolver threads) can copy a lock held mid-operation and deadlock the child.
    """
    return "fork" if threading.active_count() == 1 else "spawn"


_CHUNK = 500
"""Blobs per task of the worker pool: progress moves every ~0.1-0.2 s (~15 MB at the matcher's ~250 MB/s
a core); cancellation does not wait for a chunk (the pool is terminated). Not fewer: each task starts its
own ``git cat-file --batch``, which resolves its delta bases again (50-blob tasks cost the benchmark's
231 MB history 4.2 s of CPU against 2.4 s)."""


def _chunks(items: Sequence[str], count: int) -> list[list[str]]:
    size = max(1, -(-len(items) // count))
    return [list(items[i : i + size]) for i in range(0, len(items), size)]


def scan_blobs(
    repo: Path,
    shas: Sequence[str],
    jobs: int = 1,
    *,
    key: bytes | None = None,
    progress: Progress | None = None,
) -> tuple[int, int, dict[str, list[SecretMatch]]]:
    """Scan blobs by id; ``jobs`` > 1 forks that many workers, each with its own git reader and matcher.

    With ``progress``, its cancel flag is honoured between blobs (one process) or chunks (the pool is then
    terminated), and ``Cancelled`` is raised.
    """
    jobs = max(1, min(jobs, os.cpu_count() or 1))
    key = key if key is not None else fingerprint_key(repo)[0]
    found: dict[str, list[SecretMatch]] = {}
    scanned = total = 0
    if jobs == 1 or len(shas) < 64:
        results = [_scan_with(Matcher(key=key), repo, shas, progress)]
    else:
        results = _scan_in_pool(repo, shas, jobs, key, progress)
    for n, size, hits in results:
        scanned += n
        total += size
        found.update(dict(hits))
    return scanned, total, found


def _scan_in_pool(
    repo: Path, shas: Sequence[str], jobs: int, key: bytes, progress: Progress | None
) -> list[ChunkResult]:
    ctx = multiprocessing.get_context(_start_method())
    pool = ctx.Pool(jobs, initializer=_worker_init, initargs=(key,))
    results: list[ChunkResult] = []
    try:
        pending = pool.imap_unordered(
            _scan_chunk,
            [(str(repo), c) for c in _chunks(shas, max(jobs * 8, len(shas) // _CHUNK))],
            chunksize=1,
        )
        while True:
            if progress is not None:
                progress.checkpoint()
            try:
                result = pending.next(timeout=0.1)
            except multiprocessing.TimeoutError:
                continue
            except StopIteration:
                break
            results.append(result)
            if progress is not None:
                progress.advance(result[0])
    except BaseException:
        pool.terminate()  # cancelled or failed: the workers' git readers die with them
        raise
    else:
        pool.close()
    finally:
        pool.join()
    return results


# --- attribution ------------------------------------------------------------------------------------------


def first_introductions(
    repo: Path, blobs: set[str], cancel: threading.Event | None = None
) -> dict[str, Introduction]:
    """For each blob of interest, the earliest commit whose diff (against any parent) adds it."""
    if not blobs:
        return {}
    out = run_git(
        repo, "log", "--all", "--reflog", "-m", "--raw", "--no-abbrev", "--no-renames",
        "--format=%x01%H%x00%an%x00%aI%x00%ct%x00%P", cancel=cancel,
    )  # fmt: skip
    earliest: dict[str, Introduction] = {}
    commit = author = date = ""
    timestamp = 0
    merge = False
    for raw in out.split(b"\n"):
        if raw.startswith(b"\x01"):
            fields = raw[1:].decode("utf-8", "replace").split("\0")
            commit, author, date = fields[0], fields[1], fields[2]
            timestamp = int(fields[3] or 0)
            merge = len(fields[4].split()) > 1
            continue
        if not raw.startswith(b":"):
            continue
        meta, _, path = raw.partition(b"\t")
        parts = meta.split()
        if len(parts) < 5 or parts[3].decode() not in blobs:
            continue
        sha = parts[3].decode()
        known = earliest.get(sha)
        if known is None or timestamp < known.timestamp:
            earliest[sha] = Introduction(
                commit, author, date, path.decode("utf-8", "replace"), merge, timestamp
            )
    return earliest


def scan_history(
    repo: Path,
    *,
    since: str | None = None,
    jobs: int = 1,
    key: bytes | None = None,
    progress: Progress | None = None,
) -> HistoryScan:
    """Every reachable blob, each once; ``skipped`` says why when there is no history to scan.

    Raises ``Cancelled`` when ``progress.cancel`` is set before the end, and ``GitError`` when git fails.
    """
    if not is_repository(repo):
        return HistoryScan((), 0, 0, skipped=f"not a git repository: {repo}")
    if not has_commits(repo):
        return HistoryScan((), 0, 0, skipped=f"no commit yet in {repo}")
    cancel = progress.cancel if progress is not None else None
    try:
        listed = reachable_blobs(repo, since, cancel)
        if progress is not None:
            progress.total = len(listed)
            progress.checkpoint()
        paths = dict(listed)
        scanned, total, found = scan_blobs(repo, [sha for sha, _ in listed], jobs, key=key, progress=progress)
        introductions = first_introductions(repo, set(found), cancel)
    except GitCancelled:
        raise Cancelled(progress.describe() if progress is not None else "cancelled") from None
    in_head = head_blobs(repo)
    groups: dict[tuple[str, str], list[tuple[str, SecretMatch]]] = {}
    for sha, matches in found.items():
        for match in matches:
            groups.setdefault((match.rule.rule_id, match.secret.fingerprint), []).append((sha, match))
    secrets: list[HistorySecret] = []
    for occurrences in groups.values():

        def when(item: tuple[str, SecretMatch]) -> int:
            intro = introductions.get(item[0])
            return intro.timestamp if intro else 2**62

        sha, match = min(occurrences, key=when)
        intro = introductions.get(sha)
        secrets.append(
            HistorySecret(
                match=match,
                blob=sha,
                path=intro.path if intro else paths.get(sha, ""),
                introduced=intro,
                in_head=any(s in in_head for s, _ in occurrences),
            )
        )
    secrets.sort(key=lambda s: (s.path, s.match.line))
    return HistoryScan(tuple(secrets), scanned, total)
