"""What the user chose not to hear about again: the ignore file, inline allows, and a baseline report.

Keyed by fingerprint, never by line number: moving code does not un-ignore a secret, and a *new* secret on
an ignored line is still found. Every ignore entry needs a reason, so a reviewer can see why. A baseline is
any earlier launchready JSON report: every ``fp:`` fingerprint in it is treated as already known, so CI on a
legacy repository fails only on new secrets. (Inline ``launchready:allow`` is handled by the matcher.)
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

_FINGERPRINT = re.compile(r"fp:[0-9a-f]{16}")


class SuppressionError(ValueError):
    """The ignore file or baseline cannot be read; the message names the file and the entry."""


@dataclass(frozen=True)
class Suppressions:
    ignored: dict[str, str] = field(default_factory=dict)
    """fingerprint → reason."""
    baseline: frozenset[str] = frozenset()

    def suppresses(self, fingerprint: str) -> bool:
        return fingerprint in self.ignored or fingerprint in self.baseline


def load_ignore_file(path: Path) -> dict[str, str]:
    """``[[ignore]] fingerprint = "fp:…" reason = "…"`` entries; a missing file ignores nothing."""
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise SuppressionError(f"{path}: {exc}") from None
    ignored: dict[str, str] = {}
    for index, entry in enumerate(data.get("ignore", [])):
        fingerprint = str(entry.get("fingerprint", ""))
        reason = str(entry.get("reason", "")).strip()
        if not _FINGERPRINT.fullmatch(fingerprint):
            raise SuppressionError(f"{path}: ignore[{index}] needs a fingerprint like fp:0123456789abcdef")
        if not reason:
            raise SuppressionError(f"{path}: ignore[{index}] ({fingerprint}) needs a reason")
        ignored[fingerprint] = reason
    return ignored


def load_baseline(path: Path) -> frozenset[str]:
    try:
        text = path.read_text(encoding="utf-8")
        json.loads(text)
    except (OSError, ValueError) as exc:
        raise SuppressionError(
            f"baseline {path}: not a readable JSON report ({type(exc).__name__})"
        ) from None
    return frozenset(_FINGERPRINT.findall(text))


def load_suppressions(ignore_file: Path | None, baseline: Path | None = None) -> Suppressions:
    return Suppressions(
        ignored=load_ignore_file(ignore_file) if ignore_file else {},
        baseline=load_baseline(baseline) if baseline else frozenset(),
    )
