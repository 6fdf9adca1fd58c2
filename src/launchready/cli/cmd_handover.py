"""``launchready handover``: the handover pack (Markdown, HTML, JSON) from the config and saved reports.

Thin: load the config, gather the latest saved reports beside it (``.launchready/*.json``, or the files
given), build the pack, render. ``--pack-dir DIR`` writes all three formats at once. Reads files only:
``--nameserver`` and ``--ca-bundle`` are accepted like every command's, and unused (the DNS facts come
from the saved audit, which used them).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from launchready.cli import options as opt


def register(app: typer.Typer) -> None:
    app.command("handover")(handover)


def handover(
    config: opt.ConfigOption = Path("launchready.toml"),
    nameserver: opt.NameserverOption = None,
    ca_bundle: opt.CaBundleOption = None,
    fmt: opt.FormatOption = None,
    output: opt.OutputOption = None,
    reports: Annotated[
        Path | None,
        typer.Option(
            "--reports", help="Folder of saved reports to read (default: .launchready beside the config)."
        ),
    ] = None,
    report: Annotated[
        Path | None,
        typer.Option(
            "--report",
            help="The audit report (JSON) to use instead of the newest found.",
            callback=opt.existing_file("report"),
        ),
    ] = None,
    load: Annotated[
        Path | None,
        typer.Option("--load", help="A saved load run (JSON).", callback=opt.existing_file("load results")),
    ] = None,
    monitor: Annotated[
        Path | None,
        typer.Option(
            "--monitor",
            help="A saved monitor run (JSON report).",
            callback=opt.existing_file("monitor report"),
        ),
    ] = None,
    cost: Annotated[
        Path | None,
        typer.Option(
            "--cost",
            help="A saved cost estimate (launchready cost -f json).",
            callback=opt.existing_file("cost estimate"),
        ),
    ] = None,
    pack_dir: Annotated[
        Path | None,
        typer.Option(
            "--pack-dir", help="Write handover.md, handover.html and handover.json into this folder."
        ),
    ] = None,
) -> None:
    """Build the handover pack: where things live, owners, secret rotation, email checks, alerts, rollback, risks, scale."""
    from launchready.cli import common
    from launchready.cli.options import OutputFormat
    from launchready.handover import build_pack, gather, render_html, render_json, render_markdown
    from launchready.report import ReportFormat, render

    resolved = common.resolve_format(fmt, output, OutputFormat.MARKDOWN)
    launch_config = common.load_config_or_exit(config)
    if reports is not None and not reports.is_dir():
        raise common.fail_usage(f"--reports {reports}: no such folder")
    try:
        inputs = gather(
            launch_config, config, reports_dir=reports, audit=report, load=load, monitor=monitor, cost=cost
        )
    except ValueError as exc:
        raise common.fail_usage(str(exc)) from None
    if pack_dir is not None:
        if pack_dir.exists() and not pack_dir.is_dir():
            raise common.fail_usage(f"--pack-dir {pack_dir}: not a folder")
        pack, run = build_pack(inputs, output_dir=pack_dir)
        for name, text in (
            ("handover.md", render_markdown(pack, run)),
            ("handover.html", render_html(pack, run)),
            ("handover.json", render_json(run)),
        ):
            common.write_text(text, pack_dir / name)
        common.stderr_console().print(f"handover pack written to {pack_dir}", markup=False)
        if output is None:
            return
    pack, run = build_pack(inputs, output_dir=output.parent if output is not None else None)
    match resolved:
        case OutputFormat.HTML:
            text = render_html(pack, run)
        case OutputFormat.JSON:
            text = render_json(run)
        case OutputFormat.SARIF:
            text = render(run, ReportFormat.SARIF)
        case _:
            text = render_markdown(pack, run)
    common.write_text(text, output)
    if output is not None:
        common.stderr_console().print(f"handover pack written to {output}", markup=False)
