"""``launchready email``: the email-authentication stage alone, optionally compared with a saved run.

``--baseline PREVIOUS.json`` (a JSON report of an earlier ``launchready email`` or ``audit``) adds one
``email.posture.changed`` finding per record added, removed, weakened or strengthened since then.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from launchready.cli import options as opt
from launchready.cli import validate


def register(app: typer.Typer) -> None:
    app.command("email")(email)


def email(
    config: opt.ConfigOption = Path("launchready.toml"),
    nameserver: opt.NameserverOption = None,
    ca_bundle: opt.CaBundleOption = None,
    baseline: Annotated[
        Path | None,
        typer.Option(
            "--baseline",
            help="Report changes since this saved JSON report.",
            callback=opt.checked(lambda path: validate.existing_file(path, what="baseline")),
        ),
    ] = None,
    deadline: opt.DeadlineOption = 60.0,
    fmt: opt.FormatOption = None,
    output: opt.OutputOption = None,
    fail_on: opt.FailOnOption = opt.FailOn.HIGH,
    show_all: opt.AllOption = False,
    debug: opt.DebugOption = False,
) -> None:
    """Check SPF, DKIM, DMARC, MX, MTA-STS and TLS-RPT; with --baseline, what changed since a saved run."""
    from launchready.checks.email import EMAIL_CHECKS
    from launchready.checks.email.revalidate import BaselineError, email_audit, load_baseline
    from launchready.cli import common

    launch_config = common.load_config_or_exit(config)
    previous = None
    if baseline is not None:
        try:
            previous = load_baseline(baseline)
        except BaselineError as exc:
            raise common.fail_usage(str(exc)) from None
    options = common.run_options(
        deadline=deadline, nameserver=nameserver, ca_bundle=ca_bundle, only=None, skip=None, with_groups=None
    )
    guard = common.DeadlineGuard(launch_config, [check() for check in EMAIL_CHECKS], options)
    observer = common.ProgressObserver()
    try:
        run = common.run_async(
            email_audit(launch_config, options, previous, observer),
            deadline_s=deadline,
            on_timeout=guard.cut_run,
        )
    finally:
        observer.stop()
    common.emit(run, fmt, output, show_all=show_all)
    if debug:
        common.print_debug(run)
    raise typer.Exit(common.exit_status(run, fail_on))
