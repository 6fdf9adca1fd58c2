"""``launchready load``: send the config's scenario at a planned rate and judge it against the targets."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from launchready.cli import common
from launchready.load import LoadEngine, LoadOptions, LoadResults, ScenarioError, audit_run_of, run_load
from launchready.load.locust_engine import LocustError


def register(app: typer.Typer) -> None:
    app.command("load")(load)


def load(
    config: common.ConfigOption = Path("launchready.toml"),
    nameserver: common.NameserverOption = None,
    ca_bundle: common.CaBundleOption = None,
    rate: Annotated[
        float | None,
        typer.Option("--rate", min=0.001, help="Requests per second (open model); replaces a ramp."),
    ] = None,
    duration: Annotated[
        float | None, typer.Option("--duration", min=0.1, max=3600, help="Seconds to send for.")
    ] = None,
    max_requests: Annotated[
        int | None, typer.Option("--max-requests", min=1, help="Stop after this many.")
    ] = None,
    users: Annotated[
        int | None,
        typer.Option("--users", min=1, max=10_000, help="Closed model: N users waiting for answers."),
    ] = None,
    engine: Annotated[
        LoadEngine, typer.Option("--engine", help="native (one process, open model) or locust (distributed).")
    ] = LoadEngine.NATIVE,
    workers: Annotated[int, typer.Option("--workers", min=1, max=64, help="Locust worker processes.")] = 2,
    results: Annotated[
        Path | None, typer.Option("--results", help="Also write the raw load results (JSON) to this file.")
    ] = None,
    fmt: common.FormatOption = None,
    output: common.OutputOption = None,
    fail_on: common.FailOnOption = common.FailOn.HIGH,
) -> None:
    """Load-test the config's routes (open model, coordinated omission corrected); judge p95, errors, chat."""
    launch_config = common.load_config_or_exit(config)
    console = common.stderr_console()
    options = LoadOptions(
        engine=engine,
        rate=rate,
        duration_s=duration,
        max_requests=max_requests,
        users=users,
        workers=workers,
        nameserver=nameserver,
        ca_bundle=str(ca_bundle) if ca_bundle else None,
        console=console,
    )
    try:
        outcome = common.run_async(run_load(launch_config, options))
    except (ScenarioError, LocustError) as exc:
        raise common.fail_usage(str(exc)) from None
    console.print(summary_table(outcome))
    if results is not None:
        try:
            results.parent.mkdir(parents=True, exist_ok=True)
            results.write_text(outcome.model_dump_json(indent=2), encoding="utf-8")
        except OSError as exc:
            raise common.fail_usage(f"cannot write {results}: {exc.strerror or exc}") from None
    run = audit_run_of(launch_config, outcome)
    common.emit(run, fmt, output)
    raise typer.Exit(common.exit_status(run, fail_on))


def summary_table(results: LoadResults) -> Table:
    """One row per route: what a founder reads first (stderr, so stdout stays the report)."""
    title = (
        f"{results.engine} · {results.model} model · {results.completed} requests "
        f"in {results.duration_s:.1f}s "
        f"({results.achieved_rate:.1f}/s) · {results.dropped} dropped · latency from {results.latency_from}"
    )
    table = Table(title=title)
    for column in ("route", "req", "err %", "p50 ms", "p95 ms", "p99 ms", "max ms", "TTFT p95", "tok/s"):
        table.add_column(column, justify="left" if column == "route" else "right")
    for route in results.routes:
        table.add_row(route.route, *route.summary_cells())
    return table
