"""``launchready drill``: deploy, roll back, and time it (issue 14); ``--dry-run`` prints the plan.

Thin: parse, load the config, build the plan (a config without commands or a version endpoint is a usage
error, exit 2), run ``launchready.deploy.drill``, append the record to the history beside the config,
render the one ``deploy.rollback.drill`` finding, exit 1 when the drill failed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from launchready.cli import options as opt


def register(app: typer.Typer) -> None:
    app.command("drill")(drill)


def drill(
    config: opt.ConfigOption = Path("launchready.toml"),
    nameserver: opt.NameserverOption = None,
    ca_bundle: opt.CaBundleOption = None,
    fmt: opt.FormatOption = None,
    output: opt.OutputOption = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print the plan; run nothing.")] = False,
    smoke: Annotated[
        bool,
        typer.Option(
            "--smoke", help="Also smoke-test the new version (launchready smoke) before rolling back."
        ),
    ] = False,
) -> None:
    """Time a real rollback: deploy, wait for the new version, roll back, wait for the old one."""
    from launchready.cli import common
    from launchready.cli.exit_status import ExitStatus
    from launchready.cli.runtime import run_async
    from launchready.deploy.drill import DrillConfigError, drill_finding, drill_plan, drill_run, run_drill
    from launchready.deploy.history import append_record, history_path
    from launchready.deploy.smoke import SmokeSettings, smoke_hook

    launch_config = common.load_config_or_exit(config)
    try:
        plan = drill_plan(launch_config)
    except DrillConfigError as exc:
        raise common.fail_usage(str(exc)) from None
    if not plan.workdir.is_dir():
        raise common.fail_usage(f"[deploy] workdir {plan.workdir} is not a directory")
    if dry_run:
        common.write_text(plan.describe(smoke) + f"\n  history: {history_path(launch_config)}", output)
        raise typer.Exit(ExitStatus.READY)
    bundle = str(ca_bundle) if ca_bundle else None
    hook = (
        smoke_hook(launch_config, SmokeSettings(nameserver=nameserver, ca_bundle=bundle)) if smoke else None
    )
    record = run_async(  # the drill bounds each phase and the whole drill itself
        run_drill(plan, nameserver=nameserver, ca_bundle=bundle, smoke=hook)
    )
    history = history_path(launch_config)
    try:
        append_record(history, record)
    except OSError as exc:
        common.stderr_console().print(f"warning: drill history not written to {history}: {exc}", markup=False)
    finding = drill_finding(plan, record)
    common.emit(drill_run(launch_config, record, finding), fmt, output)
    raise typer.Exit(ExitStatus.READY if record.ok else ExitStatus.BLOCKERS)
