"""``launchready init``: write a commented starter ``launchready.toml``.

Prompts on a terminal; takes flags otherwise (CI, scripts), so it never blocks on a missing stdin.
``--full`` adds every key of every section, commented, with its default.
"""

from __future__ import annotations

import enum
import sys
from pathlib import Path
from typing import Annotated

import typer

from launchready.cli import options as opt
from launchready.cli import validate


class Canonical(enum.StrEnum):
    """``config.CanonicalHost``'s values, without importing the config model at start-up."""

    APEX = "apex"
    WWW = "www"


def register(app: typer.Typer) -> None:
    app.command("init")(init)


def init(
    path: Annotated[
        Path,
        typer.Argument(help="Where to write the file.", callback=opt.checked(validate.writable_path)),
    ] = Path("launchready.toml"),
    name: Annotated[
        str | None,
        typer.Option(
            "--name", help="Product name.", callback=opt.checked(lambda v: validate.text(v, what="name"))
        ),
    ] = None,
    domain: Annotated[
        str | None,
        typer.Option(
            "--domain",
            help="Primary domain, e.g. chatbot.example.",
            callback=opt.checked(lambda v: validate.hostname(v, what="domain")),
        ),
    ] = None,
    canonical: Annotated[
        Canonical | None, typer.Option("--canonical", help="Which host is canonical: apex or www.")
    ] = None,
    full: Annotated[
        bool, typer.Option("--full", help="Also write every other key, commented, with its default.")
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented starter config to fill in."""
    from launchready.cli import common
    from launchready.config import CanonicalHost, ConfigError, parse_config
    from launchready.config.starter import starter_config

    if path.exists() and not force:
        raise common.fail_usage(f"{path} already exists; use --force to overwrite it")
    interactive = sys.stdin.isatty()
    if name is None:
        name = typer.prompt("Product name", default="My Chatbot") if interactive else "My Chatbot"
    if domain is None:
        if not interactive:
            raise common.fail_usage("--domain is required when not on a terminal")
        domain = typer.prompt("Primary domain (e.g. chatbot.example)")
    if canonical is None:
        answer = typer.prompt("Canonical host (apex or www)", default="apex") if interactive else "apex"
        canonical = Canonical(answer) if answer in {c.value for c in Canonical} else Canonical.APEX
    text = starter_config(name, domain, CanonicalHost(canonical.value), full=full)
    try:
        parse_config(text, path)
    except ConfigError as exc:
        raise common.fail_usage(str(exc)) from None
    common.write_text(text, path)
    common.stderr_console().print(
        f"wrote {path}; edit it, then run `launchready audit --config {path}`", markup=False
    )
