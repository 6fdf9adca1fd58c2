"""``launchready redteam``: the red-team pass against the product's chat (issue 12), alone.

The same check as ``launchready audit --with redteam`` (``checks.redteam.RedTeamPass``), run on its own:
the estimate of calls and cost goes to stderr first, the report to stdout or ``--output``, and the exit
status follows ``--fail-on`` like the audit's.
"""

from __future__ import annotations

from pathlib import Path

import typer

from launchready.cli import options as opt


def register(app: typer.Typer) -> None:
    app.command("redteam")(redteam)


def redteam(
    config: opt.ConfigOption = Path("launchready.toml"),
    nameserver: opt.NameserverOption = None,
    ca_bundle: opt.CaBundleOption = None,
    deadline: opt.DeadlineOption = 180.0,
    fmt: opt.FormatOption = None,
    output: opt.OutputOption = None,
    fail_on: opt.FailOnOption = opt.FailOn.HIGH,
    debug: opt.DebugOption = False,
) -> None:
    """Red-team the chat: prompt injection, prompt leakage, tool misuse, secrets, long input, failures."""
    from launchready.chat.client import estimate_run
    from launchready.checks.redteam import RedTeamPass
    from launchready.cli import common
    from launchready.redteam.passes import planned_calls

    launch_config = common.load_config_or_exit(config)
    calls, chars = planned_calls(launch_config)
    common.stderr_console().print(
        f"red team: {estimate_run(launch_config.chat, calls, chars).describe()}", markup=False
    )
    options = common.run_options(
        deadline=deadline, nameserver=nameserver, ca_bundle=ca_bundle,
        only=None, skip=None, with_groups=["redteam"],
    )  # fmt: skip
    run = common.bounded_audit(launch_config, [RedTeamPass()], options)
    common.emit(run, fmt, output)
    if debug:
        common.print_debug(run)
    raise typer.Exit(common.exit_status(run, fail_on))
