"""``launchready audit``: run the checks against the product named in the config."""

from __future__ import annotations

from pathlib import Path

import typer

from launchready.cli import options as opt


def register(app: typer.Typer) -> None:
    app.command("audit")(audit)


def audit(
    config: opt.ConfigOption = Path("launchready.toml"),
    nameserver: opt.NameserverOption = None,
    ca_bundle: opt.CaBundleOption = None,
    deadline: opt.DeadlineOption = 60.0,
    only: opt.OnlyOption = None,
    skip: opt.SkipOption = None,
    with_groups: opt.WithOption = None,
    fmt: opt.FormatOption = None,
    output: opt.OutputOption = None,
    fail_on: opt.FailOnOption = opt.FailOn.HIGH,
    show_all: opt.AllOption = False,
    debug: opt.DebugOption = False,
) -> None:
    """Audit the product's public surface, code and backend; rank the risks; exit 1 on blockers."""
    from launchready.checks.registry import all_checks
    from launchready.cli import common

    launch_config = common.load_config_or_exit(config)
    options = common.run_options(
        deadline=deadline,
        nameserver=nameserver,
        ca_bundle=ca_bundle,
        only=only,
        skip=skip,
        with_groups=with_groups,
    )
    run = common.bounded_audit(launch_config, all_checks(), options)
    common.emit(run, fmt, output, show_all=show_all)
    if debug:
        common.print_debug(run)
    raise typer.Exit(common.exit_status(run, fail_on))
