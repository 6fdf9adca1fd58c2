"""What the user chose not to hear about again: the ignore file, inline allows, and a baseline report.

Keyed by fingerprint, never by line number: moving code does not un-ignore a secret, and a *new* secret on
an ignored line is still found. Every ignore entry needs a reason, so a reviewer can see why. A baseline is
any earlier launchready JSON report: every fingerprint in it is treated as already known, so CI on a legacy
repository fails only on new secrets. (Inline ``launchready:allow`` is handled by the matcher.)

Format migration: fingerprints are now keyed (``fp2:`` + 16 hex, see ``redaction``). Ignore files and
baselines written by older versions hold unkeyed ``fp:`` fingerprints; they keep matching (compared with the
in-memory ``legacy_fingerprint`` of each secret found), and the report shows the ``fp2:`` value to write
instead. New entries must use ``fp2:``.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from launchready.secrets.redaction import RedactedSecret

_FINGERPRINT = re.compile(r"\bfp2?:[0-9a-f]{16}\b")


class SuppressionError(ValueError):
    """The ignore file or baseline cannot be read; the message names the file and the entry."""


@dataclass(frozen=True)
class Suppressions:
    ignored: dict[str, str] = field(default_factory=dict)
    """fingerprint → reason."""
    baseline: frozenset[str] = frozenset()

    def suppresses(self, fingerprint: str) -> bool:
        return fingerprint in self.ignored or fingerprint in self.baseline

    def suppresses_secret(self, secret: RedactedSecret) -> bool:
        """By the keyed fingerprint, or by the unkeyed one an older ignore file or baseline holds."""
        legacy = secret.legacy_fingerprint
        return self.suppresses(secret.fingerprint) or bool(legacy and self.suppresses(legacy))


def load_ignore_file(path: Path) -> dict[str, str]:
    """``[[ignore]] fingerprint = "fp2:…" reason = "…"`` entries; a missing file ignores nothing."""
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
            raise SuppressionError(f"{path}: ignore[{index}] needs a fingerprint like fp2:0123456789abcdef")
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
