"""``launchready db``: a read-only review of the product's PostgreSQL (slow queries, indexes, sessions)."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from launchready.cli import options as opt
from launchready.cli import validate


def _seconds(what: str, minimum: float) -> Callable[[float], float]:
    return lambda v: validate.number(v, what=what, minimum=minimum, maximum=86_400, unit="seconds")


def _checked_dsn(value: str) -> str:
    """Parse the DSN here (never with libpq, whose errors quote it): a malformed one is a usage error whose
    message names no part of the input, so the password is never printed."""
    from launchready.checks.database.dsn import parse_dsn

    parse_dsn(value)  # DsnError is a ValueError: exit 2 with its secret-free message
    return value


def register(app: typer.Typer) -> None:
    app.command("db")(db)


def db(
    dsn: Annotated[
        str | None,
        typer.Option(
            "--dsn",
            help="PostgreSQL DSN (else $LAUNCHREADY_DSN, else [database] dsn of --config). Only reads.",
            show_default=False,
            callback=opt.checked(_checked_dsn),
        ),
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            "-c",
            help="Take the DSN from this config.",
            callback=opt.checked(validate.config_path),
        ),
    ] = None,
    slow_ms: Annotated[
        float,
        typer.Option(
            "--slow-ms",
            help="Mean time that makes a query slow.",
            callback=opt.checked(
                lambda v: validate.number(v, what="--slow-ms", minimum=1, maximum=3_600_000, unit="ms")
            ),
        ),
    ] = 100.0,
    idle_in_transaction_s: Annotated[
        float,
        typer.Option(
            "--idle-in-transaction-s",
            help="Idle-in-transaction time that is a finding.",
            callback=opt.checked(_seconds("--idle-in-transaction-s", 0)),
        ),
    ] = 30.0,
    long_running_s: Annotated[
        float,
        typer.Option(
            "--long-running-s",
            help="Active query age to flag.",
            callback=opt.checked(_seconds("--long-running-s", 0)),
        ),
    ] = 60.0,
    deadline: opt.DeadlineOption = 60.0,
    fmt: opt.FormatOption = None,
    output: opt.OutputOption = None,
    fail_on: opt.FailOnOption = opt.FailOn.HIGH,
    show_all: opt.AllOption = False,
) -> None:
    """Review a PostgreSQL database, read-only: slow queries, scans, FK and unused indexes, sessions."""
    from launchready.checks.database import DatabaseReview, ReviewThresholds, review_database
    from launchready.checks.database.dsn import DsnError, parse_dsn
    from launchready.cli import common
    from launchready.engine import AttemptOutcome, AuditRun, CheckAttempt

    product, domain = "database review", "-"
    if dsn is None and os.environ.get("LAUNCHREADY_DSN"):
        dsn = os.environ["LAUNCHREADY_DSN"]
    if dsn is None and config is not None:
        launch_config = common.load_config_or_exit(config)
        dsn = launch_config.database.dsn
        product, domain = launch_config.product.name, launch_config.apex
    if not dsn:
        raise common.fail_usage(
            "no database: pass --dsn, set LAUNCHREADY_DSN, or set [database] dsn in --config"
        )
    try:
        safe = parse_dsn(dsn)
    except DsnError as exc:  # from the environment or the config file: the same secret-free usage error
        raise common.fail_usage(f"--dsn: {exc}") from None
    thresholds = ReviewThresholds(
        slow_mean_ms=slow_ms, idle_in_transaction_s=idle_in_transaction_s, long_running_s=long_running_s
    )
    started = datetime.now(UTC)
    reason = f"launchready stopped waiting at the deadline ({deadline:g}s)"
    unreached = [spec.unverifiable(safe.target, reason) for spec in DatabaseReview.rules]
    findings = common.run_async(
        review_database(safe, thresholds), deadline_s=deadline, on_timeout=lambda: unreached
    )
    finished = datetime.now(UTC)
    run = AuditRun(
        product=product,
        domain=domain,
        started_at=started,
        finished_at=finished,
        deadline_s=deadline,
        findings=tuple(findings),
        attempts=(
            CheckAttempt(
                check=DatabaseReview.name,
                outcome=AttemptOutcome.COMPLETED,
                duration_s=(finished - started).total_seconds(),
            ),
        ),
    )
    common.emit(run, fmt, output, show_all=show_all)
    raise typer.Exit(common.exit_status(run, fail_on))
