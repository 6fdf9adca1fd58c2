"""``launchready dns``: print the DNS map (every record at the apex and each configured name, with notes)."""

from __future__ import annotations

import enum
import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from launchready.cli import common


class DnsFormat(enum.StrEnum):
    MARKDOWN = "markdown"
    JSON = "json"


def register(app: typer.Typer) -> None:
    app.command("dns")(dns)


def dns(
    config_path: common.ConfigOption = Path("launchready.toml"),
    fmt: Annotated[DnsFormat, typer.Option("--format", "-f", help="markdown or json.")] = DnsFormat.MARKDOWN,
    output: common.OutputOption = None,
    nameserver: common.NameserverOption = None,
) -> None:
    """Print the DNS map of the product's domain, each record with a note on its role."""
    from launchready.checks.dns_edge.dns_map import build_dns_map
    from launchready.checks.dns_edge.dns_map_render import render_dns_map_markdown
    from launchready.net import DnsResolver, Limits

    config = common.load_config_or_exit(config_path)
    resolver = DnsResolver(Limits(), nameserver=nameserver)
    data = common.run_async(build_dns_map(resolver, config)).as_dict()
    text = json.dumps(data, indent=2) + "\n" if fmt is DnsFormat.JSON else render_dns_map_markdown(data)
    if output is None:
        sys.stdout.write(text)
    else:
        try:
            output.parent.mkdir(parents=True, exist_ok=True)
            output.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise common.fail_usage(f"cannot write {output}: {exc.strerror or exc}") from None
        common.stderr_console().print(f"DNS map written to {output}", markup=False)
    if data["errors"]:
        raise typer.Exit(1)
