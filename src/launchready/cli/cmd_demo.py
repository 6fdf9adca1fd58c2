"""``launchready demo``: start the lab, audit it, print the ranked risks, write the report, stop the lab.

The first thing a new user runs: no network and no setup beyond the install.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from launchready.checks.registry import all_checks
from launchready.cli import common
from launchready.engine import Selection, run_audit

DEFAULT_REPORT = Path("launchready-report.html")


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)


def demo(
    hardened: Annotated[bool, typer.Option("--hardened", help="Audit the hardened twin instead.")] = False,
    with_groups: common.WithOption = None,
    deadline: common.DeadlineOption = 120.0,
    fmt: common.FormatOption = None,
    output: common.OutputOption = None,
    fail_on: common.FailOnOption = common.FailOn.NEVER,
) -> None:
    """Run the whole audit against the built-in lab product (flawed by default) and write the report."""
    from launchready.lab import Lab, LabVariant  # the lab pulls in servers: load it only when asked

    variant = LabVariant.HARDENED if hardened else LabVariant.FLAWED
    console = common.stderr_console()
    console.print(f"Starting the {variant.value} lab (a chatbot product on loopback)…", markup=False)
    with Lab(variant) as lab:
        options = lab.run_options(
            deadline_s=deadline, selection=Selection(with_groups=frozenset(with_groups or ()))
        )
        run = common.run_async(run_audit(lab.config, all_checks(), options, common.ProgressObserver()))
    report_format = common.resolve_format(fmt, output, common.OutputFormat.HTML)
    if fmt is not None and output is None:
        common.emit(run, report_format, None)  # e.g. --format json: the report itself goes to stdout
    else:
        common.emit(run, common.OutputFormat.TERMINAL, None)
        common.emit(run, report_format, output or DEFAULT_REPORT)
    raise typer.Exit(common.exit_status(run, fail_on))
