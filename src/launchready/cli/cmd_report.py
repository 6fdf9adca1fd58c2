"""``launchready report FILE.json``: re-render a saved run in another format."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from launchready.cli import options as opt
from launchready.cli import validate


def register(app: typer.Typer) -> None:
    app.command("report")(report)


def report(
    saved: Annotated[
        Path,
        typer.Argument(
            help="A JSON report written by --format json.",
            callback=opt.checked(lambda path: validate.existing_file(path, what="report")),
        ),
    ],
    fmt: opt.FormatOption = None,
    output: opt.OutputOption = None,
    fail_on: opt.FailOnOption = opt.FailOn.NEVER,
    show_all: opt.AllOption = False,
) -> None:
    """Re-render a saved JSON report as terminal, Markdown, HTML, SARIF or JSON."""
    from launchready.cli import common
    from launchready.report import load_report_json

    try:
        run = load_report_json(saved.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise common.fail_usage(f"{saved}: not a launchready JSON report: {first[:200]}") from None
    common.emit(run, fmt, output, show_all=show_all)
    raise typer.Exit(common.exit_status(run, fail_on))
