"""One progress interface for every front end: the CLI's progress bar, the monitor, and tests."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from launchready.engine.runner import AuditRun, CheckAttempt


class RunObserver(Protocol):
    def run_started(self, check_names: list[str]) -> None: ...
    def check_started(self, name: str) -> None: ...
    def check_finished(self, attempt: CheckAttempt) -> None: ...
    def run_finished(self, run: AuditRun) -> None: ...


class SilentObserver:
    def run_started(self, check_names: list[str]) -> None:
        return None

    def check_started(self, name: str) -> None:
        return None

    def check_finished(self, attempt: CheckAttempt) -> None:
        return None

    def run_finished(self, run: AuditRun) -> None:
        return None
