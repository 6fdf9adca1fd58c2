"""The one seam to git: every call goes through the ``git`` CLI and fails as ``GitError``.

Why the CLI and not a library: ``git cat-file --batch`` streams blobs faster than any Python binding we
could install, it honours every repository format git itself does (packs, alternates, partial clones), and
it adds no native dependency. Errors are translated here once (STYLE §5)::

    GitError
    ├── NotARepository     the path is not inside a git work tree
    └── GitFailed          git ran and exited non-zero (message is git's stderr, first line)
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO

_TIMEOUT_S = 600.0


class GitError(Exception):
    """A git operation failed; the message never contains file contents."""


class NotARepository(GitError):
    pass


class GitFailed(GitError):
    pass


def git_available() -> bool:
    return shutil.which("git") is not None


class GitCancelled(Exception):
    """The caller's cancel flag was set while git ran: git was killed (not an error of the repository)."""


_POLL_S = 0.1


def run_git(
    repo: Path,
    *args: str,
    input_bytes: bytes | None = None,
    timeout_s: float = _TIMEOUT_S,
    cancel: threading.Event | None = None,
) -> bytes:
    """git's stdout; with ``cancel``, git is killed within 0.1 s of the flag being set (``GitCancelled``)."""
    try:
        proc = subprocess.Popen(
            ["git", "-C", str(repo), *args],
            stdin=subprocess.PIPE if input_bytes is not None else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
    except OSError as exc:
        raise GitFailed(f"git {args[0]}: {type(exc).__name__}") from None
    stop = time.monotonic() + timeout_s
    feed = input_bytes
    while True:
        try:
            out, err = proc.communicate(input=feed, timeout=_POLL_S if cancel is not None else timeout_s)
            break
        except subprocess.TimeoutExpired:
            feed = None  # communicate() keeps feeding what it started with
            if (cancel is not None and cancel.is_set()) or time.monotonic() >= stop:
                proc.kill()
                proc.communicate()
                if cancel is not None and cancel.is_set():
                    raise GitCancelled(f"git {args[0]} cancelled") from None
                raise GitFailed(f"git {args[0]}: TimeoutExpired") from None
    if proc.returncode != 0:
        message = err.decode("utf-8", "replace").strip().splitlines()
        first = message[0] if message else f"exit {proc.returncode}"
        if "not a git repository" in first:
            raise NotARepository(f"{repo} is not a git repository")
        raise GitFailed(f"git {args[0]}: {first}")
    return out


def is_repository(path: Path) -> bool:
    try:
        return run_git(path, "rev-parse", "--is-inside-work-tree").strip() == b"true"
    except GitError:
        return False


def has_commits(repo: Path) -> bool:
    try:
        run_git(repo, "rev-parse", "--verify", "-q", "HEAD")
    except GitError:
        return False
    return True


def tracked_files(repo: Path) -> set[str]:
    """Paths in the index (what the next commit holds), relative, POSIX."""
    return {p.decode() for p in run_git(repo, "ls-files", "-z").split(b"\0") if p}


def ignored(repo: Path, paths: Sequence[str]) -> set[str]:
    """Which of ``paths`` .gitignore (or info/exclude) covers, tracked or not (``--no-index``)."""
    if not paths:
        return set()
    try:
        out = run_git(
            repo, "check-ignore", "--no-index", "-z", "--stdin", input_bytes="\0".join(paths).encode()
        )
    except GitFailed:
        return set()  # exit 1: none ignored
    return {p.decode() for p in out.split(b"\0") if p}


def head_blobs(repo: Path) -> set[str]:
    if not has_commits(repo):
        return set()
    out = run_git(repo, "ls-tree", "-r", "-z", "--full-tree", "HEAD")
    blobs: set[str] = set()
    for entry in out.split(b"\0"):
        if entry:
            meta = entry.split(b"\t", 1)[0].split()
            if len(meta) == 3 and meta[1] == b"blob":
                blobs.add(meta[2].decode())
    return blobs


def staged_blobs(repo: Path) -> list[tuple[str, str]]:
    """(blob, path) of every added, copied or modified file in the index: what ``git commit`` would record."""
    out = run_git(
        repo, "diff", "--cached", "--raw", "-z", "--no-abbrev", "--diff-filter=ACMR", "--no-renames"
    )
    fields = out.split(b"\0")
    result: list[tuple[str, str]] = []
    for meta, path in zip(fields[0::2], fields[1::2], strict=False):
        parts = meta.split()
        if len(parts) >= 4:
            result.append((parts[3].decode(), path.decode()))
    return result


class BlobReader:
    """A ``git cat-file --batch`` process: ask for a blob id, stream its bytes back."""

    def __init__(self, repo: Path) -> None:
        self._proc = subprocess.Popen(
            ["git", "-C", str(repo), "cat-file", "--batch"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )

    @property
    def stdin(self) -> IO[bytes]:
        assert self._proc.stdin is not None
        return self._proc.stdin

    def read_all(self, shas: Sequence[str]) -> Iterator[tuple[str, int, IO[bytes]]]:
        """Yield (sha, size, stream) for each blob; the caller must read exactly ``size`` bytes."""
        import threading

        def feed() -> None:
            try:
                for sha in shas:
                    self.stdin.write(sha.encode() + b"\n")
                self.stdin.close()
            except BrokenPipeError:
                pass

        writer = threading.Thread(target=feed, daemon=True)
        writer.start()
        out = self._proc.stdout
        assert out is not None
        for _ in shas:
            header = out.readline().split()
            if len(header) != 3:
                continue  # "<sha> missing"
            size = int(header[2])
            yield header[0].decode(), size, out
            out.read(1)  # the newline after each object
        writer.join()

    def close(self) -> None:
        if self._proc.stdin and not self._proc.stdin.closed:
            with contextlib.suppress(BrokenPipeError):
                self._proc.stdin.close()
        self._proc.wait(timeout=_TIMEOUT_S)

    def abort(self) -> None:
        """Stop now (the scan was cancelled): kill git rather than drain what it still has to say."""
        self._proc.kill()
        self._proc.wait(timeout=_TIMEOUT_S)
