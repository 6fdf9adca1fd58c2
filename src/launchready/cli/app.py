"""The Typer application and its explicit list of commands.

Each command lives in its own ``cmd_*.py`` module with a ``register(app)`` function; adding a command is
one module and one line in ``COMMAND_MODULES``.
"""

from __future__ import annotations

import os
from types import ModuleType

import typer

from launchready import __version__

app = typer.Typer(
    name="launchready",
    help="Can this AI chatbot product survive real users without embarrassing failures? Audit it and find out.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
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
        cmd_db,
        cmd_demo,
        cmd_dns,
        cmd_email,
        cmd_init,
        cmd_lab,
        cmd_load,
        cmd_report,
        cmd_secrets,
        cmd_spf,
    )

    return [
        cmd_init,
        cmd_audit,
        cmd_secrets,
        cmd_dns,
        cmd_demo,
        cmd_checks,
        cmd_report,
        cmd_lab,
        cmd_load,
        cmd_db,
        cmd_spf,
        cmd_email,
    ]


for _module in _command_modules():
    _module.register(app)


def main() -> None:
    if os.environ.get("NO_COLOR"):
        os.environ.setdefault("TERM", "dumb")
    app(prog_name="launchready")


if __name__ == "__main__":  # pragma: no cover
    main()
