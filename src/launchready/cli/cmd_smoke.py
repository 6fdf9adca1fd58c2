"""``launchready smoke``: post-deploy smoke tests for a pipeline (issue 14), exit 0 / 1 / 2.

Thin: parse, load the config, run ``launchready.deploy.smoke``, render with the shared report options
(``--format junit`` / ``-o smoke.xml`` for CI test reports), exit 1 when a smoke test failed or could not be verified, 2 on bad arguments or config.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from launchready.cli import options as opt
from launchready.cli import validate


def register(app: typer.Typer) -> None:
    app.command("smoke")(smoke)


def smoke(
    config: opt.ConfigOption = Path("launchready.toml"),
    nameserver: opt.NameserverOption = None,
    ca_bundle: opt.CaBundleOption = None,
    fmt: opt.FormatOption = None,
    output: opt.OutputOption = None,
    expect_version: Annotated[
        str | None, typer.Option("--expect-version", help="The version the version endpoint must answer.")
    ] = None,
    deadline: Annotated[
        float,
        typer.Option(
            "--deadline",
            help="Deadline for all smoke tests, in seconds (1-600).",
            callback=opt.checked(
                lambda v: validate.number(v, what="the deadline", minimum=1, maximum=600, unit="seconds")
            ),
        ),
    ] = 120.0,
) -> None:
    """Smoke-test a fresh deploy: routes, one real chat, the running version; exit 1 when one fails."""
    from launchready.cli import common
    from launchready.cli.exit_status import ExitStatus
    from launchready.cli.runtime import DeadlineExceeded, run_async
    from launchready.deploy.smoke import SmokeSettings, run_smoke, unknown_smoke_routes
    from launchready.findings import Status

    launch_config = common.load_config_or_exit(config)
    unknown = unknown_smoke_routes(launch_config)
    if unknown:
        raise common.fail_usage(f"[[deploy.smoke]] names routes that do not exist: {', '.join(unknown)}")
    if expect_version is not None and not expect_version.strip():
        raise common.fail_usage("--expect-version must not be empty")
    settings = SmokeSettings(
        nameserver=nameserver, ca_bundle=str(ca_bundle) if ca_bundle else None,
        expect_version=expect_version, deadline_s=deadline,
    )  # fmt: skip
    try:
        run = run_async(run_smoke(launch_config, settings), deadline_s=deadline)
    except DeadlineExceeded as exc:
        common.echo_error(f"the smoke tests {exc}")
        raise typer.Exit(ExitStatus.BLOCKERS) from None
    common.emit(run, fmt, output)
    failed = any(f.status in (Status.FAIL, Status.UNVERIFIABLE) for f in run.findings)
    raise typer.Exit(ExitStatus.BLOCKERS if failed else ExitStatus.READY)
