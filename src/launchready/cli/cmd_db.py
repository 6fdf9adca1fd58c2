"""``launchready db``: a read-only review of the product's PostgreSQL (slow queries, indexes, sessions)."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from launchready.checks.database import DatabaseReview, ReviewThresholds, review_database
from launchready.cli import common
from launchready.engine import AttemptOutcome, AuditRun, CheckAttempt


def register(app: typer.Typer) -> None:
    app.command("db")(db)


def db(
    dsn: Annotated[
        str | None,
        typer.Option(
            "--dsn",
            help="PostgreSQL DSN (else $LAUNCHREADY_DSN, else [database] dsn of --config). Only reads.",
            show_default=False,
        ),
    ] = None,
    config: Annotated[
        Path | None, typer.Option("--config", "-c", help="Take the DSN from this config.")
    ] = None,
    slow_ms: Annotated[
        float, typer.Option("--slow-ms", min=1, help="Mean time that makes a query slow.")
    ] = 100.0,
    idle_in_transaction_s: Annotated[
        float,
        typer.Option("--idle-in-transaction-s", min=0, help="Idle-in-transaction time that is a finding."),
    ] = 30.0,
    long_running_s: Annotated[
        float, typer.Option("--long-running-s", min=0, help="Active query age to flag.")
    ] = 60.0,
    fmt: common.FormatOption = None,
    output: common.OutputOption = None,
    fail_on: common.FailOnOption = common.FailOn.HIGH,
) -> None:
    """Review a PostgreSQL database, read-only: slow queries, scans, FK and unused indexes, sessions."""
    product, domain = "database review", "-"
    if dsn is None:
        dsn = os.environ.get("LAUNCHREADY_DSN")
    if dsn is None and config is not None:
        launch_config = common.load_config_or_exit(config)
        dsn = launch_config.database.dsn
        product, domain = launch_config.product.name, launch_config.apex
    if not dsn:
        raise common.fail_usage(
            "no database: pass --dsn, set LAUNCHREADY_DSN, or set [database] dsn in --config"
        )
    thresholds = ReviewThresholds(
        slow_mean_ms=slow_ms, idle_in_transaction_s=idle_in_transaction_s, long_running_s=long_running_s
    )
    started = datetime.now(UTC)
    findings = common.run_async(review_database(dsn, thresholds))
    finished = datetime.now(UTC)
    run = AuditRun(
        product=product,
        domain=domain,
        started_at=started,
        finished_at=finished,
        deadline_s=30.0,
        findings=tuple(findings),
        attempts=(
            CheckAttempt(
                check=DatabaseReview.name,
                outcome=AttemptOutcome.COMPLETED,
                duration_s=(finished - started).total_seconds(),
            ),
        ),
    )
    common.emit(run, fmt, output)
    raise typer.Exit(common.exit_status(run, fail_on))
