"""Scan one file or blob with bounded memory: skip binaries by content, window large ones.

A blob is read in windows of at most ``WINDOW`` bytes with an overlap longer than any secret format, so a
200 MB log or a minified bundle costs 8 MB of memory, and a secret across a window boundary is still seen
once (matches are de-duplicated by absolute offset).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

from launchready.secrets.matcher import Matcher, SecretMatch

WINDOW = 8 * 1024 * 1024
OVERLAP = 16 * 1024
BINARY_SNIFF = 8000
"""Git's own heuristic (``buffer_is_binary``): a NUL byte in the first 8000 bytes means binary."""


def is_binary(head: bytes) -> bool:
    return b"\0" in head[:BINARY_SNIFF]


def scan_stream(matcher: Matcher, read: Callable[[int], bytes], size: int) -> list[SecretMatch]:
    """Scan ``size`` bytes delivered by ``read`` (which returns up to n bytes); [] for binary content."""
    results: list[SecretMatch] = []
    seen: set[int] = set()
    carry = b""
    offset = 0  # absolute offset of carry[0]
    lines_before = 0  # newlines before carry[0]
    remaining = size
    first = True
    while remaining > 0 or first:
        chunk = read(min(WINDOW, remaining)) if remaining > 0 else b""
        remaining -= len(chunk)
        if first and is_binary(chunk):
            if remaining > 0:
                _drain(read, remaining)
            return []
        first = False
        window = carry + chunk
        for match in matcher.scan(window):
            absolute = offset + match.start
            if absolute not in seen:
                seen.add(absolute)
                results.append(dataclasses.replace(match, start=absolute, line=match.line + lines_before))
        if remaining <= 0 or not chunk:
            break
        keep = min(OVERLAP, len(window))
        dropped = window[: len(window) - keep]
        lines_before += dropped.count(b"\n")
        offset += len(dropped)
        carry = window[len(window) - keep :]
    return results


def _drain(read: Callable[[int], bytes], remaining: int) -> None:
    while remaining > 0:
        got = read(min(WINDOW, remaining))
        if not got:
            return
        remaining -= len(got)


def scan_file(matcher: Matcher, path: Path) -> list[SecretMatch]:
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            return scan_stream(matcher, handle.read, size)
    except OSError:
        return []
