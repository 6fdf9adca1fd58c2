"""``launchready smoke``: post-deploy smoke tests for a pipeline (issue 14), exit 0 / 1 / 2.

Thin: parse, load the config, run ``launchready.deploy.smoke``, render (``--format junit`` for CI test
reports), exit 1 when a smoke test failed or could not be verified, 2 on bad arguments or config.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from launchready.cli import options as opt
from launchready.cli import validate
from launchready.deploy.formats import GateFormat

ConfigArg = opt.ConfigOption
NameserverArg = opt.NameserverOption
CaBundleArg = opt.CaBundleOption
GateFormatArg = Annotated[
    GateFormat | None,
    typer.Option(
        "--format", "-f", help="terminal, json, markdown, html, sarif or junit (default: from --output)."
    ),
]
OutputArg = Annotated[
    Path | None,
    typer.Option(
        "--output", "-o", help="Write the report to this file.", callback=opt.checked(validate.writable_path)
    ),
]


def register(app: typer.Typer) -> None:
    app.command("smoke")(smoke)


def checked_inputs(
    config: Path, nameserver: str | None, ca_bundle: Path | None, fmt: GateFormat | None, output: Path | None
) -> GateFormat:
    """Validate what typer cannot: a bad value exits 2 with one line, before anything runs."""
    from launchready.cli import common
    from launchready.deploy.formats import resolve
    from launchready.net import parse_nameserver

    if nameserver is not None:
        try:
            host, port = parse_nameserver(nameserver)
            if not host or not 0 < port < 65536:
                raise ValueError
        except ValueError:
            raise common.fail_usage(f"--nameserver {nameserver!r}: expected HOST[:PORT]") from None
    if ca_bundle is not None and not ca_bundle.is_file():
        raise common.fail_usage(f"--ca-bundle {ca_bundle}: no such file")
    if not config.is_file():
        raise common.fail_usage(f"--config {config}: no such file")
    try:
        return resolve(fmt, output)
    except ValueError as exc:
        raise common.fail_usage(str(exc)) from None


def write_report(text: str, output: Path | None) -> None:
    import sys

    from launchready.cli import common

    if output is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise common.fail_usage(f"cannot write {output}: {exc.strerror or exc}") from None
    common.stderr_console().print(f"report written to {output}", markup=False)


def smoke(
    config: ConfigArg = Path("launchready.toml"),
    nameserver: NameserverArg = None,
    ca_bundle: CaBundleArg = None,
    fmt: GateFormatArg = None,
    output: OutputArg = None,
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
    from launchready.deploy.formats import render_gate
    from launchready.deploy.smoke import SmokeSettings, run_smoke, unknown_smoke_routes
    from launchready.findings import Status

    resolved = checked_inputs(config, nameserver, ca_bundle, fmt, output)
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
    write_report(render_gate(run, resolved, "launchready smoke"), output)
    failed = any(f.status in (Status.FAIL, Status.UNVERIFIABLE) for f in run.findings)
    raise typer.Exit(ExitStatus.BLOCKERS if failed else ExitStatus.READY)
