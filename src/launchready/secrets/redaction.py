"""Show a secret without showing it: provider, short prefix, last four, stable fingerprint.

Redaction is absolute (issue 5): the full value never leaves this module's callers, so every finding,
report, log line and exception carries a ``RedactedSecret`` instead of the value. The fingerprint is a
truncated SHA-256 of the value: stable across runs and machines (ignore files and baselines key on it), and
comparing fingerprints is how environments are compared without ever putting two values side by side.
"""

from __future__ import annotations

import hashlib

from pydantic import BaseModel, ConfigDict

_FINGERPRINT_HEX = 16
_MAX_PREFIX = 8


def fingerprint(value: str | bytes) -> str:
    """``fp:`` + 16 hex digits of SHA-256: enough to tell secrets apart, nothing to recover one."""
    raw = value.encode() if isinstance(value, str) else value
    return "fp:" + hashlib.sha256(raw).hexdigest()[:_FINGERPRINT_HEX]


def _prefix_length(value: str) -> int:
    """At most 8 characters and never more than a quarter of the value: the recognisable format prefix."""
    return min(_MAX_PREFIX, len(value) // 4)


def mask(value: str) -> str:
    """``sk-proj-…Qz9A``: a short prefix and the last four, or only ``…`` for short values."""
    if len(value) < 16:
        return "…"
    return f"{value[: _prefix_length(value)]}…{value[-4:]}"


class RedactedSecret(BaseModel):
    """Everything launchready ever says about a secret value."""

    model_config = ConfigDict(frozen=True)

    provider: str
    prefix: str
    last4: str
    fingerprint: str
    length: int

    @classmethod
    def of(cls, value: str, provider: str) -> RedactedSecret:
        long_enough = len(value) >= 16
        return cls(
            provider=provider,
            prefix=value[: _prefix_length(value)] if long_enough else "",
            last4=value[-4:] if long_enough else "",
            fingerprint=fingerprint(value),
            length=len(value),
        )

    @property
    def display(self) -> str:
        shown = f"{self.prefix}…{self.last4}" if self.last4 else "…"
        return f"{self.provider} {shown} ({self.fingerprint})"
