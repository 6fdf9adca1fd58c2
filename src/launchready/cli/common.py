"""What every report-producing command shares at run time: config loading, the bounded run, progress,
output and exit status.

Imported inside command functions, never at start-up: it pulls in the engine, the config model and (when
rendering) the report package. The options themselves live in ``cli.options``, which is light.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from launchready.cli.exit_status import ExitStatus
from launchready.cli.group import echo_error
from launchready.cli.options import SUFFIX_FORMAT, FailOn, OutputFormat
from launchready.cli.runtime import run_async
from launchready.config import ConfigError, LaunchConfig, load_config
from launchready.engine import AuditRun, CheckAttempt, RunOptions, Selection, utc_now
from launchready.findings import Finding, Severity

if TYPE_CHECKING:
    from rich.console import Console

    from launchready.checks.interface import Check
    from launchready.engine.context import CheckContext

__all__ = [
    "DeadlineGuard",
    "FailOn",
    "OutputFormat",
    "ProgressObserver",
    "bounded_audit",
    "console",
    "echo_error",
    "emit",
    "exit_status",
    "fail_usage",
    "load_config_or_exit",
    "print_debug",
    "resolve_format",
    "run_async",
    "run_options",
    "stderr_console",
    "write_text",
]


def console(*, stderr: bool = False) -> Console:
    """A Rich console whose broken pipe (``| head``) exits 141, not Rich's 1, which CI reads as blockers."""
    from rich.console import Console

    class _CliConsole(Console):
        def on_broken_pipe(self) -> None:
            self.quiet = True
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, (sys.stderr if self.stderr else sys.stdout).fileno())
            raise SystemExit(ExitStatus.OUTPUT_CLOSED)

    return _CliConsole(stderr=stderr, no_color=bool(os.environ.get("NO_COLOR")), highlight=False)


def stderr_console() -> Console:
    return console(stderr=True)


def fail_usage(message: str) -> typer.Exit:
    """Print ``error: message`` (one line, no markup) and return the exit-2 exception to raise."""
    echo_error(message)
    return typer.Exit(ExitStatus.USAGE)


def load_config_or_exit(path: Path) -> LaunchConfig:
    """Load the config, or print one clear error (file, line, key) and exit 2 — never a traceback."""
    try:
        return load_config(path)
    except ConfigError as exc:
        echo_error(str(exc), label="config error")
        raise typer.Exit(ExitStatus.USAGE) from None


def run_options(
    *,
    deadline: float,
    nameserver: str | None,
    ca_bundle: Path | None,
    only: Sequence[str] | None,
    skip: Sequence[str] | None,
    with_groups: Sequence[str] | None,
) -> RunOptions:
    from launchready.net import Limits

    return RunOptions(
        deadline_s=deadline,
        limits=Limits(),
        nameserver=nameserver,
        ca_bundle=str(ca_bundle) if ca_bundle else None,
        selection=Selection(
            only=tuple(only or ()), skip=tuple(skip or ()), with_groups=frozenset(with_groups or ())
        ),
    )


class DeadlineGuard:
    """Keeps each check's findings as it returns, so a run cut at the CLI's deadline still reports them.

    ``checks`` are stand-ins that run the real checks and record what they return; ``cut_run()`` is the
    report of a run the CLI stopped waiting for: what finished, and every other selected rule unverifiable.
    """

    def __init__(self, config: LaunchConfig, checks: Sequence[Check], options: RunOptions) -> None:
        self._config = config
        self._options = options
        self._started_at = utc_now()
        self._selected = [c for c in checks if options.selection.wants_check(c)]
        self._found: dict[str, tuple[float, list[Finding]]] = {}
        self.checks: list[Check] = [self._recording(check) for check in checks]

    def _recording(self, check: Check) -> Check:
        from launchready.checks.interface import Check as CheckBase

        found = self._found

        class Recording(CheckBase):
            async def run(self, ctx: CheckContext) -> list[Finding]:
                begun = time.monotonic()
                findings = await check.run(ctx)
                found[check.name] = (time.monotonic() - begun, list(findings))
                return findings

        for attribute in CheckBase.__annotations__:  # name, rules, timeout_s… and any added later
            if hasattr(check, attribute):
                setattr(Recording, attribute, getattr(check, attribute))
        Recording.__name__ = Recording.__qualname__ = type(check).__name__
        return Recording()

    def cut_run(self) -> AuditRun:
        from launchready.engine import AttemptOutcome
        from launchready.engine.rootcause import attach_root_causes
        from launchready.engine.runner import complete_findings

        apex = self._config.apex
        deadline = self._options.deadline_s
        reason = (
            f"launchready stopped waiting at the run's deadline ({deadline:g}s) before this check finished"
        )
        findings: list[Finding] = []
        attempts: list[CheckAttempt] = []
        for check in self._selected:
            if check.name in self._found:
                duration, found = self._found[check.name]
                findings += complete_findings(check, found, apex)
                outcome, why = AttemptOutcome.COMPLETED, None
            else:
                duration = deadline
                findings += [spec.unverifiable(apex, reason) for spec in check.rules]
                outcome, why = AttemptOutcome.TIMED_OUT, reason
            attempts.append(CheckAttempt(check=check.name, outcome=outcome, duration_s=duration, reason=why))
        selection = self._options.selection
        kept = [f for f in findings if selection.wants_rule(f.rule_id, f.stage)]
        return AuditRun(
            product=self._config.product.name,
            domain=apex,
            started_at=self._started_at,
            finished_at=utc_now(),
            deadline_s=deadline,
            findings=tuple(attach_root_causes(kept)),
            attempts=tuple(attempts),
        )


def bounded_audit(config: LaunchConfig, checks: Sequence[Check], options: RunOptions) -> AuditRun:
    """``run_audit`` with progress on stderr, never waiting past ``options.deadline_s`` + 1 s."""
    from launchready.engine import run_audit

    guard = DeadlineGuard(config, checks, options)
    observer = ProgressObserver()
    try:
        return run_async(
            run_audit(config, guard.checks, options, observer),
            deadline_s=options.deadline_s,
            on_timeout=guard.cut_run,
        )
    finally:
        observer.stop()


class ProgressObserver:
    """Rich progress on stderr while checks run; invisible when stderr is not a terminal."""

    def __init__(self) -> None:
        from rich.progress import BarColumn, Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn

        console = stderr_console()
        self._enabled = console.is_terminal
        self._progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total}"),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        )
        self._task: TaskID | None = None

    def run_started(self, check_names: list[str]) -> None:
        if self._enabled:
            self._progress.start()
            self._task = self._progress.add_task("auditing", total=len(check_names))

    def check_started(self, name: str) -> None:
        if self._task is not None:
            self._progress.update(self._task, description=name)

    def check_finished(self, attempt: CheckAttempt) -> None:
        if self._task is not None:
            self._progress.advance(self._task)

    def run_finished(self, run: AuditRun) -> None:
        if self._task is not None:
            self._progress.stop()

    def stop(self) -> None:
        """Stop the bar (a run cut at the deadline never calls ``run_finished``)."""
        if self._task is not None:
            self._progress.stop()


def resolve_format(fmt: OutputFormat | None, output: Path | None, default: OutputFormat) -> OutputFormat:
    """``--format``, else the output file's suffix (validated up front by ``--output``), else ``default``."""
    if fmt is not None:
        return fmt
    if output is not None:
        return SUFFIX_FORMAT.get(output.suffix.lower(), default)
    return default


def render_run(run: AuditRun, fmt: OutputFormat, *, show_all: bool = False) -> str:
    from launchready.report import ReportFormat, render

    no_color = bool(os.environ.get("NO_COLOR")) or fmt is not OutputFormat.TERMINAL or not sys.stdout.isatty()
    return render(run, ReportFormat(fmt.value), no_color=no_color, show_all=show_all)


def emit(
    run: AuditRun,
    fmt: OutputFormat | None,
    output: Path | None,
    default: OutputFormat = OutputFormat.TERMINAL,
    *,
    show_all: bool = False,
) -> None:
    """Write the report to ``output`` (creating folders) or stdout, in ``fmt``, else the output file's
    suffix's format, else ``default``; ``show_all`` lists everything in the terminal format (``--all``)."""
    text = render_run(run, resolve_format(fmt, output, default), show_all=show_all)
    write_text(text, output)
    if output is not None:
        stderr_console().print(f"report written to {output}", markup=False)


def write_text(text: str, output: Path | None) -> None:
    """``text`` to stdout, or to ``output`` (creating folders); a write error is a usage error (exit 2)."""
    if output is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise fail_usage(f"cannot write {output}: {exc.strerror or exc}") from None


def print_debug(run: AuditRun) -> None:
    console = stderr_console()
    for attempt in run.attempts:
        if attempt.traceback:
            console.print(f"--- {attempt.check}: {attempt.reason}", markup=False)
            console.print(attempt.traceback, markup=False)


def exit_status(run: AuditRun, fail_on: FailOn) -> ExitStatus:
    """1 when a fail or unverifiable finding is at or above ``fail_on`` (an unverified check is no pass)."""
    from launchready.report import blocking

    if fail_on is FailOn.NEVER:
        return ExitStatus.READY
    return ExitStatus.BLOCKERS if blocking(run, Severity(fail_on.value)) else ExitStatus.READY
