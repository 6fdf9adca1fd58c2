"""``launchready audit``: run the checks against the product named in the config."""

from __future__ import annotations

from pathlib import Path

import typer

from launchready.checks.registry import all_checks
from launchready.cli import common
from launchready.engine import run_audit


def register(app: typer.Typer) -> None:
    app.command("audit")(audit)


def audit(
    config: common.ConfigOption = Path("launchready.toml"),
    nameserver: common.NameserverOption = None,
    ca_bundle: common.CaBundleOption = None,
    deadline: common.DeadlineOption = 60.0,
    only: common.OnlyOption = None,
    skip: common.SkipOption = None,
    with_groups: common.WithOption = None,
    fmt: common.FormatOption = None,
    output: common.OutputOption = None,
    fail_on: common.FailOnOption = common.FailOn.HIGH,
    debug: common.DebugOption = False,
) -> None:
    """Audit the product's public surface, code and backend; rank the risks; exit 1 on blockers."""
    launch_config = common.load_config_or_exit(config)
    options = common.run_options(
        deadline=deadline,
        nameserver=nameserver,
        ca_bundle=ca_bundle,
        only=only,
        skip=skip,
        with_groups=with_groups,
    )
    run = common.run_async(run_audit(launch_config, all_checks(), options, common.ProgressObserver()))
    common.emit(run, fmt, output)
    if debug:
        common.print_debug(run)
    raise typer.Exit(common.exit_status(run, fail_on))
