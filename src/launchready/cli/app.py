"""The Typer application and its explicit list of commands.

Each command lives in its own ``cmd_*.py`` module with a ``register(app)`` function; adding a command is
one module and one line in ``_command_modules``.

Start-up is part of the contract (``--version`` and ``--help`` under 0.3 s): this module and every
``cmd_*`` module import only typer, the standard library and ``cli.options``; each command imports the
engine, the checks, the report renderers or the lab inside its own function. ``rich_markup_mode=None``
makes help plain text, so bracketed words such as ``[repo] path`` are shown as written.
"""

from __future__ import annotations

import os
import sys
import threading
from types import ModuleType

import typer

from launchready import __version__
from launchready.cli.group import LaunchreadyGroup

app = typer.Typer(
    name="launchready",
    cls=LaunchreadyGroup,
    help="Can this AI chatbot product survive real users without embarrassing failures? Audit it and find out.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"launchready {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """launchready: audit, rank the risks, tell the founder what to fix first."""


def _command_modules() -> list[ModuleType]:
    from launchready.cli import (
        cmd_audit,
        cmd_checks,
        cmd_cost,
        cmd_db,
        cmd_demo,
        cmd_deploy_mark,
        cmd_dns,
        cmd_drill,
        cmd_email,
        cmd_eval,
        cmd_explain,
        cmd_handover,
        cmd_init,
        cmd_lab,
        cmd_load,
        cmd_monitor,
        cmd_redteam,
        cmd_report,
        cmd_score,
        cmd_secrets,
        cmd_smoke,
        cmd_spf,
    )

    return [
        cmd_init,
        cmd_audit,
        cmd_secrets,
        cmd_dns,
        cmd_demo,
        cmd_checks,
        cmd_explain,
        cmd_report,
        cmd_lab,
        cmd_load,
        cmd_db,
        cmd_spf,
        cmd_email,
        cmd_smoke,
        cmd_drill,
        cmd_score,
        cmd_monitor,
        cmd_cost,
        cmd_handover,
        cmd_deploy_mark,
        cmd_redteam,
        cmd_eval,
    ]


for _module in _command_modules():
    _module.register(app)


def main() -> None:
    """The console script: run the app, then leave without waiting for abandoned workers."""
    if os.environ.get("NO_COLOR"):
        os.environ.setdefault("TERM", "dumb")
    try:
        app(prog_name="launchready")
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
    else:
        code = 0
    runtime = sys.modules.get("launchready.cli.runtime")  # not imported: nothing ran, nothing abandoned
    leftovers = [
        thread
        for thread in threading.enumerate()
        if thread is not threading.main_thread() and not thread.daemon and thread.is_alive()
    ]
    if leftovers or (runtime is not None and runtime.work_abandoned()):
        # Work cut at the deadline is still running in a thread (or a pool's manager thread); the
        # interpreter would join it at exit. The report is out: flush and leave now, as the deadline promises.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


if __name__ == "__main__":  # pragma: no cover
    main()
