"""Exit codes, documented in the README (httpie's ``ExitStatus`` pattern)."""

from __future__ import annotations

import enum


class ExitStatus(enum.IntEnum):
    READY = 0
    """No finding at or above the --fail-on level."""
    BLOCKERS = 1
    """At least one fail (or unverifiable) finding at or above the --fail-on level."""
    USAGE = 2
    """Bad arguments or a bad config file."""
