"""The audit engine: context, observer, and the bounded concurrent runner."""

from launchready.engine.context import CheckContext, utc_now
from launchready.engine.observer import RunObserver, SilentObserver
from launchready.engine.runner import (
    AttemptOutcome,
    AuditRun,
    CheckAttempt,
    RunOptions,
    Selection,
    run_audit,
    run_checks,
)

__all__ = [
    "AttemptOutcome",
    "AuditRun",
    "CheckAttempt",
    "CheckContext",
    "RunObserver",
    "RunOptions",
    "Selection",
    "SilentObserver",
    "run_audit",
    "run_checks",
    "utc_now",
]
