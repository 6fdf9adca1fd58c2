"""``launchready demo``: start the lab, audit it, print the ranked risks, write the report, stop the lab.

The first thing a new user runs: no network and no setup beyond ``pip install 'launchready[lab]'``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from launchready.cli import options as opt

DEFAULT_REPORT = Path("launchready-report.html")
DEFAULT_DEADLINE_S = 120.0
"""The whole lab audit, performance probes included when asked for, fits well inside this."""


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)


def demo(
    hardened: Annotated[bool, typer.Option("--hardened", help="Audit the hardened twin instead.")] = False,
    with_groups: opt.WithOption = None,
    deadline: opt.DeadlineOption = DEFAULT_DEADLINE_S,
    fmt: opt.FormatOption = None,
    output: opt.OutputOption = None,
    fail_on: opt.FailOnOption = opt.FailOn.NEVER,
    show_all: opt.AllOption = False,
) -> None:
    """Run the whole audit against the built-in lab product (flawed by default) and write the report."""
    from launchready.cli.lab_extra import require_lab

    require_lab()
    from launchready.checks.registry import all_checks
    from launchready.cli import common
    from launchready.engine import Selection
    from launchready.lab import Lab, LabVariant

    variant = LabVariant.HARDENED if hardened else LabVariant.FLAWED
    common.stderr_console().print(
        f"Starting the {variant.value} lab (a chatbot product on loopback)…", markup=False
    )
    with Lab(variant) as lab:
        options = lab.run_options(
            deadline_s=deadline, selection=Selection(with_groups=frozenset(with_groups or ()))
        )
        run = common.bounded_audit(lab.config, all_checks(), options)
    report_format = common.resolve_format(fmt, output, opt.OutputFormat.HTML)
    if fmt is not None and output is None:
        common.emit(run, report_format, None, show_all=show_all)  # e.g. --format json: the report on stdout
    else:
        common.emit(run, opt.OutputFormat.TERMINAL, None, show_all=show_all)
        common.emit(run, report_format, output or DEFAULT_REPORT)
    raise typer.Exit(common.exit_status(run, fail_on))
