"""``launchready load``: send the config's scenario at a planned rate and judge it against the targets."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from launchready.cli import options as opt
from launchready.cli import validate

if TYPE_CHECKING:
    from rich.table import Table

    from launchready.load import LoadResults


class Engine(enum.StrEnum):
    """``launchready.load.LoadEngine``'s values, without importing the load package at start-up."""

    NATIVE = "native"
    LOCUST = "locust"


def _rate(value: float) -> float:
    return validate.number(value, what="the rate", minimum=0.001, maximum=100_000, unit="requests/s")


def _duration(value: float) -> float:
    return validate.number(value, what="the duration", minimum=0.1, maximum=3600, unit="seconds")


def register(app: typer.Typer) -> None:
    app.command("load")(load)


def load(
    config: opt.ConfigOption = Path("launchready.toml"),
    nameserver: opt.NameserverOption = None,
    ca_bundle: opt.CaBundleOption = None,
    rate: Annotated[
        float | None,
        typer.Option(
            "--rate", help="Requests per second (open model); replaces a ramp.", callback=opt.checked(_rate)
        ),
    ] = None,
    duration: Annotated[
        float | None,
        typer.Option("--duration", help="Seconds to send for (0.1-3600).", callback=opt.checked(_duration)),
    ] = None,
    max_requests: Annotated[
        int | None,
        typer.Option(
            "--max-requests",
            help="Stop after this many.",
            callback=opt.checked(
                lambda v: validate.whole(v, what="--max-requests", minimum=1, maximum=10_000_000)
            ),
        ),
    ] = None,
    users: Annotated[
        int | None,
        typer.Option(
            "--users",
            help="Closed model: N users waiting for answers (1-10000).",
            callback=opt.checked(lambda v: validate.whole(v, what="--users", minimum=1, maximum=10_000)),
        ),
    ] = None,
    engine: Annotated[
        Engine, typer.Option("--engine", help="native (one process, open model) or locust (distributed).")
    ] = Engine.NATIVE,
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            help="Locust worker processes (1-64).",
            callback=opt.checked(lambda v: validate.whole(v, what="--workers", minimum=1, maximum=64)),
        ),
    ] = 2,
    connections: Annotated[
        int | None,
        typer.Option(
            "--connections",
            help="Connections per host for plain requests, opened before the run (default: from the rate).",
            callback=opt.checked(
                lambda v: validate.whole(v, what="--connections", minimum=1, maximum=10_000)
            ),
        ),
    ] = None,
    results: Annotated[
        Path | None,
        typer.Option(
            "--results",
            help="Also write the raw load results (JSON) to this file.",
            callback=opt.checked(validate.writable_path),
        ),
    ] = None,
    fmt: opt.FormatOption = None,
    output: opt.OutputOption = None,
    fail_on: opt.FailOnOption = opt.FailOn.HIGH,
    show_all: opt.AllOption = False,
) -> None:
    """Load-test the config's routes (open model, coordinated omission corrected); judge p95, errors, chat."""
    from launchready.cli import common
    from launchready.load import LoadEngine, LoadOptions, ScenarioError, audit_run_of, run_load
    from launchready.load.locust_engine import LocustError

    launch_config = common.load_config_or_exit(config)
    console = common.stderr_console()
    options = LoadOptions(
        engine=LoadEngine(engine.value),
        rate=rate,
        duration_s=duration,
        max_requests=max_requests,
        users=users,
        workers=workers,
        connections=connections,
        nameserver=nameserver,
        ca_bundle=str(ca_bundle) if ca_bundle else None,
        console=console,
    )
    try:
        outcome = common.run_async(run_load(launch_config, options))
    except (ScenarioError, LocustError) as exc:
        raise common.fail_usage(str(exc)) from None
    console.print(summary_table(outcome))
    for note in outcome.notes:
        console.print(f"note: {note}", markup=False, highlight=False)
    if results is not None:
        common.write_text(outcome.model_dump_json(indent=2), results)
    run = audit_run_of(launch_config, outcome)
    common.emit(run, fmt, output, show_all=show_all)
    raise typer.Exit(common.exit_status(run, fail_on))


def summary_table(results: LoadResults) -> Table:
    """One row per route: what a founder reads first (stderr, so stdout stays the report)."""
    from rich.markup import escape
    from rich.table import Table

    intended = f"intended {results.intended_rate:g}/s · " if results.intended_rate is not None else ""
    title = (
        f"{results.engine} · {results.model} model · {results.completed} requests in {results.duration_s:.1f}s "
        f"· {intended}sent {results.sent_rate:.1f}/s · completed {results.completed_rate:.1f}/s · "
        f"{results.dropped} not sent · latency from {results.latency_from}"
    )
    if results.generator_bound:
        title += " · GENERATOR-BOUND: sends fell behind schedule (see notes)"
    table = Table(title=title)
    for column in ("route", "req", "err %", "p50 ms", "p95 ms", "p99 ms", "max ms", "TTFT p95", "tok/s"):
        table.add_column(column, justify="left" if column == "route" else "right")
    for route in results.routes:
        table.add_row(escape(route.route), *route.summary_cells())  # a route name is not markup
    return table
