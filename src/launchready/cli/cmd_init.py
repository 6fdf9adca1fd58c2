"""``launchready init``: write a commented starter ``launchready.toml``.

Prompts on a terminal; takes flags otherwise (CI, scripts), so it never blocks on a missing stdin.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from launchready.cli import common
from launchready.config import CanonicalHost, ConfigError, parse_config
from launchready.config.starter import starter_config


def register(app: typer.Typer) -> None:
    app.command("init")(init)


def init(
    path: Annotated[Path, typer.Argument(help="Where to write the file.")] = Path("launchready.toml"),
    name: Annotated[str | None, typer.Option("--name", help="Product name.")] = None,
    domain: Annotated[
        str | None, typer.Option("--domain", help="Primary domain, e.g. chatbot.example.")
    ] = None,
    canonical: Annotated[
        CanonicalHost | None, typer.Option("--canonical", help="Which host is canonical: apex or www.")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented starter config to fill in."""
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
        canonical = (
            CanonicalHost(typer.prompt("Canonical host (apex or www)", default="apex"))
            if interactive
            else CanonicalHost.APEX
        )
    text = starter_config(name, domain, canonical)
    try:
        parse_config(text, path)
    except ConfigError as exc:
        raise common.fail_usage(str(exc)) from None
    path.write_text(text, encoding="utf-8")
    common.stderr_console().print(
        f"wrote {path}; edit it, then run `launchready audit --config {path}`", markup=False
    )
