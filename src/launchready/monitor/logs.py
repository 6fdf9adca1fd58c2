"""Log-based alerts (roadmap stage 6: "log-based alerts for spikes in errors or failed LLM calls"): read
JSON-lines events from a tailed file or the ``/api/logs`` ingest endpoint, count them per minute in the
database (so several instances and restarts see one total), and judge the last window.

An event is an *error* when its level is error/critical/fatal (``level``, ``severity`` or ``levelname``) or
its HTTP ``status``/``status_code`` is 5xx; it is a *failed LLM call* when it names the LLM (``event``,
``type`` or ``kind`` containing "llm") and failed (``ok: false``, an ``error`` key, or an error level).
Lines that are not JSON objects are counted as neither and skipped.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ERROR_LEVELS = frozenset({"error", "err", "critical", "crit", "fatal", "alert", "emerg", "emergency"})
MAX_LINE = 64 * 1024


@dataclass
class LogCounts:
    total: int = 0
    errors: int = 0
    llm_failures: int = 0

    def add(self, other: LogCounts) -> None:
        self.total += other.total
        self.errors += other.errors
        self.llm_failures += other.llm_failures


def classify(event: dict[str, Any]) -> tuple[bool, bool]:
    """(is an error, is a failed LLM call)."""
    level = str(event.get("level") or event.get("severity") or event.get("levelname") or "").lower()
    status = event.get("status", event.get("status_code"))
    error = level in ERROR_LEVELS or (isinstance(status, int) and 500 <= status <= 599)
    name = " ".join(str(event.get(key, "")) for key in ("event", "type", "kind")).lower()
    failed = event.get("ok") is False or bool(event.get("error")) or level in ERROR_LEVELS
    return error, "llm" in name and failed


def count_lines(lines: Iterable[str | bytes]) -> LogCounts:
    counts = LogCounts()
    for line in lines:
        if len(line) > MAX_LINE:
            continue
        try:
            event = json.loads(line)
        except ValueError:
            continue
        if not isinstance(event, dict):
            continue
        error, llm_failed = classify(event)
        counts.total += 1
        counts.errors += error
        counts.llm_failures += llm_failed
    return counts


class LogTail:
    """Follow a growing file from its end (like ``tail -F``): new complete lines on each ``read()``; a
    rotated (new inode) or truncated file is read again from its start."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._inode: int | None = None
        self._offset = 0
        self._partial = b""
        try:
            stat = path.stat()
            self._inode, self._offset = stat.st_ino, stat.st_size
        except OSError:
            pass

    def read(self, max_bytes: int = 4 * 1024 * 1024) -> list[bytes]:
        try:
            stat = self.path.stat()
        except OSError:
            return []
        if stat.st_ino != self._inode or stat.st_size < self._offset:
            self._inode, self._offset, self._partial = stat.st_ino, 0, b""
        if stat.st_size == self._offset:
            return []
        fd = os.open(self.path, os.O_RDONLY)
        try:
            os.lseek(fd, self._offset, os.SEEK_SET)
            chunk = os.read(fd, max_bytes)
        finally:
            os.close(fd)
        self._offset += len(chunk)
        data = self._partial + chunk
        lines = data.split(b"\n")
        self._partial = lines.pop()
        if len(self._partial) > MAX_LINE:
            self._partial = b""
        return [line for line in lines if line.strip()]
