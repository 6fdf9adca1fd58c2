"""What every report-producing command shares: options, config loading, progress, output and exit status."""

from __future__ import annotations

import asyncio
import enum
import os
import sys
from collections.abc import Coroutine, Sequence
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn

from launchready.cli.exit_status import ExitStatus
from launchready.config import ConfigError, LaunchConfig, load_config
from launchready.engine import AuditRun, CheckAttempt, RunOptions, Selection
from launchready.findings import Severity
from launchready.net import Limits
from launchready.report import ReportFormat

T = TypeVar("T")


OutputFormat = ReportFormat
"""The report formats every report-producing command offers (one enum, owned by ``report``)."""


class FailOn(enum.StrEnum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"
    NEVER = "never"


_SUFFIX_FORMAT = {
    ".json": OutputFormat.JSON,
    ".md": OutputFormat.MARKDOWN,
    ".markdown": OutputFormat.MARKDOWN,
    ".html": OutputFormat.HTML,
    ".htm": OutputFormat.HTML,
    ".sarif": OutputFormat.SARIF,
    ".txt": OutputFormat.TERMINAL,
}

ConfigOption = Annotated[
    Path, typer.Option("--config", "-c", help="The launchready.toml to use.", show_default=True)
]
FormatOption = Annotated[
    OutputFormat | None,
    typer.Option(
        "--format", "-f", help="Report format (default: terminal, or from the --output file's suffix)."
    ),
]
OutputOption = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write the report to this file instead of stdout.")
]
FailOnOption = Annotated[
    FailOn,
    typer.Option(
        "--fail-on",
        help="Exit 1 when a fail or unverifiable finding is at or above this severity ('never' to always exit 0).",
    ),
]
NameserverOption = Annotated[
    str | None, typer.Option("--nameserver", help="Send every DNS query to HOST[:PORT].", show_default=False)
]
CaBundleOption = Annotated[
    Path | None,
    typer.Option("--ca-bundle", help="Also trust the CA certificates in this PEM file.", exists=True),
]
DeadlineOption = Annotated[
    float,
    typer.Option("--deadline", min=1.0, max=3600.0, help="Global deadline for the whole run, in seconds."),
]
OnlyOption = Annotated[
    list[str] | None, typer.Option("--only", help="Run only these rule ids, id prefixes (tls) or stages.")
]
SkipOption = Annotated[
    list[str] | None, typer.Option("--skip", help="Skip these rule ids, id prefixes or stages.")
]
WithOption = Annotated[
    list[str] | None,
    typer.Option("--with", help="Also run an opt-in group of checks, e.g. 'performance' (sends load)."),
]
DebugOption = Annotated[bool, typer.Option("--debug", help="Print internal tracebacks of crashed checks.")]


def stderr_console() -> Console:
    return Console(stderr=True, no_color=bool(os.environ.get("NO_COLOR")), highlight=False)


def fail_usage(message: str) -> typer.Exit:
    stderr_console().print(f"[bold red]error:[/] {message}", markup=True, soft_wrap=True)
    return typer.Exit(ExitStatus.USAGE)


def load_config_or_exit(path: Path) -> LaunchConfig:
    """Load the config, or print one clear error (file, line, key) and exit 2 — never a traceback."""
    try:
        return load_config(path)
    except ConfigError as exc:
        console = stderr_console()
        console.print(f"[bold red]config error:[/] {exc}", markup=False, soft_wrap=True)
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
    return RunOptions(
        deadline_s=deadline,
        limits=Limits(),
        nameserver=nameserver,
        ca_bundle=str(ca_bundle) if ca_bundle else None,
        selection=Selection(
            only=tuple(only or ()), skip=tuple(skip or ()), with_groups=frozenset(with_groups or ())
        ),
    )


def run_async(coroutine: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coroutine)


class ProgressObserver:
    """Rich progress on stderr while checks run; invisible when stderr is not a terminal."""

    def __init__(self) -> None:
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


def resolve_format(fmt: OutputFormat | None, output: Path | None, default: OutputFormat) -> OutputFormat:
    if fmt is not None:
        return fmt
    if output is not None:
        return _SUFFIX_FORMAT.get(output.suffix.lower(), default)
    return default


def render_run(run: AuditRun, fmt: OutputFormat) -> str:
    from launchready.report import render

    no_color = bool(os.environ.get("NO_COLOR")) or fmt is not OutputFormat.TERMINAL or not sys.stdout.isatty()
    return render(run, fmt, no_color=no_color)


def emit(
    run: AuditRun,
    fmt: OutputFormat | None,
    output: Path | None,
    default: OutputFormat = OutputFormat.TERMINAL,
) -> None:
    """Write the report to ``output`` (creating folders) or stdout, in ``fmt``, else the output file's
    suffix's format, else ``default``."""
    text = render_run(run, resolve_format(fmt, output, default))
    if output is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise fail_usage(f"cannot write {output}: {exc.strerror or exc}") from None
    stderr_console().print(f"report written to {output}", markup=False)


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
