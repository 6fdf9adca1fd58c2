"""``launchready report FILE.json``: re-render a saved run in another format."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from launchready.cli import common


def register(app: typer.Typer) -> None:
    app.command("report")(report)


def report(
    saved: Annotated[
        Path, typer.Argument(help="A JSON report written by --format json.", exists=True, dir_okay=False)
    ],
    fmt: common.FormatOption = None,
    output: common.OutputOption = None,
    fail_on: common.FailOnOption = common.FailOn.NEVER,
) -> None:
    """Re-render a saved JSON report as terminal, Markdown, HTML, SARIF or JSON."""
    from launchready.report import load_report_json

    try:
        run = load_report_json(saved.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise common.fail_usage(f"{saved}: not a launchready JSON report: {exc}") from None
    common.emit(run, fmt, output)
    raise typer.Exit(common.exit_status(run, fail_on))
