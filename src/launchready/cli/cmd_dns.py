"""``launchready dns``: print the DNS map (every record at the apex and each configured name, with notes)."""

from __future__ import annotations

import enum
import json
from pathlib import Path
from typing import Annotated

import typer

from launchready.cli import options as opt


class DnsFormat(enum.StrEnum):
    MARKDOWN = "markdown"
    JSON = "json"


def register(app: typer.Typer) -> None:
    app.command("dns")(dns)


def dns(
    config_path: opt.ConfigOption = Path("launchready.toml"),
    fmt: Annotated[DnsFormat, typer.Option("--format", "-f", help="markdown or json.")] = DnsFormat.MARKDOWN,
    output: opt.PlainOutputOption = None,
    nameserver: opt.NameserverOption = None,
    deadline: opt.DeadlineOption = 60.0,
) -> None:
    """Print the DNS map of the product's domain, each record with a note on its role."""
    from launchready.checks.dns_edge.dns_map import build_dns_map
    from launchready.checks.dns_edge.dns_map_render import render_dns_map_markdown
    from launchready.cli import common
    from launchready.cli.runtime import DeadlineExceeded
    from launchready.net import DnsResolver, Limits

    config = common.load_config_or_exit(config_path)
    resolver = DnsResolver(Limits(), nameserver=nameserver)
    try:
        data = common.run_async(build_dns_map(resolver, config), deadline_s=deadline).as_dict()
    except DeadlineExceeded as exc:
        common.echo_error(f"the DNS map {exc}")
        raise typer.Exit(1) from None
    text = json.dumps(data, indent=2) + "\n" if fmt is DnsFormat.JSON else render_dns_map_markdown(data)
    common.write_text(text, output)
    if output is not None:
        common.stderr_console().print(f"DNS map written to {output}", markup=False)
    if data["errors"]:
        raise typer.Exit(1)
