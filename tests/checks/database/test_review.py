"""The database review against a real, seeded PostgreSQL: it must find what was planted, and only that."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import psycopg
import pytest

from launchready.checks.database import DatabaseReview, ReviewThresholds, review_database
from launchready.checks.database.snapshot import describe_dsn, mask_literals
from launchready.findings import Finding, Status

THRESHOLDS = ReviewThresholds(slow_mean_ms=100, idle_in_transaction_s=1, min_seq_rows=5_000)

SCHEMA = """
DROP TABLE IF EXISTS orders, customers, audit_log CASCADE;
CREATE EXTENSION IF NOT EXISTS pg_stat_statements;
CREATE TABLE customers (id int PRIMARY KEY, email text NOT NULL);
CREATE TABLE orders (id int PRIMARY KEY, customer_id int NOT NULL REFERENCES customers (id), total numeric);
CREATE TABLE audit_log (id int PRIMARY KEY, customer_id int REFERENCES customers (id), note text);
CREATE INDEX audit_log_customer_id_idx ON audit_log (customer_id);
CREATE INDEX orders_total_idx ON orders (total);
INSERT INTO customers SELECT g, 'c' || g || '@example.test' FROM generate_series(1, 1000) g;
INSERT INTO orders SELECT g, 1 + g % 1000, g % 97 FROM generate_series(1, 20000) g;
INSERT INTO audit_log SELECT g, 1 + g % 1000, 'n' FROM generate_series(1, 100) g;
ANALYZE;
"""


def by_rule(findings: list[Finding]) -> dict[str, list[Finding]]:
    grouped: dict[str, list[Finding]] = {}
    for finding in findings:
        grouped.setdefault(finding.rule_id, []).append(finding)
    return grouped


@pytest.fixture
async def seeded(pg_cluster: Any) -> AsyncIterator[psycopg.AsyncConnection[object]]:
    """Planted: a slow query, an FK without an index, seq scans, a session idle in a transaction."""
    async with await psycopg.AsyncConnection.connect(pg_cluster.dsn, autocommit=True) as admin:
        await admin.execute(SCHEMA.encode())
        await admin.execute(b"SELECT pg_stat_statements_reset()")
        for customer in (7, 8, 9):
            await admin.execute(
                b"SELECT pg_sleep(0.35), count(*) FROM orders WHERE customer_id = %s", (customer,)
            )
        for _ in range(5):
            await admin.execute(b"SELECT count(*) FROM orders WHERE total > 50")
    idle = await psycopg.AsyncConnection.connect(pg_cluster.dsn, application_name="forgetful-app")
    await idle.execute(b"SELECT email FROM customers WHERE email = 'secret-token-value'")
    await asyncio.sleep(THRESHOLDS.idle_in_transaction_s + 0.5)
    try:
        yield idle
    finally:
        await idle.close()


async def test_review_finds_the_slow_query_the_missing_fk_index_and_the_idle_transaction(
    seeded: object, pg_cluster: Any
) -> None:
    found = by_rule(await review_database(pg_cluster.dsn, THRESHOLDS))
    slow = [f for f in found["db.statements.slow"] if f.status is Status.FAIL]
    assert len(slow) == 1 and "pg_sleep" in slow[0].evidence
    fks = [f for f in found["db.fk.unindexed"] if f.status is Status.FAIL]
    assert [f.details["foreign_key"]["columns"] for f in fks] == [["customer_id"]]  # type: ignore[index]
    assert "orders_customer_id_fkey" in fks[0].target
    assert (
        "CREATE INDEX CONCURRENTLY" in fks[0].fix.snippets["sql"]
        and "(customer_id)" in fks[0].fix.snippets["sql"]
    )
    idle = [f for f in found["db.sessions.idle-in-transaction"] if f.status is Status.FAIL]
    assert len(idle) == 1 and "forgetful-app" in idle[0].target
    assert "secret-token-value" not in idle[0].evidence and "'…'" in idle[0].evidence
    seq = [f for f in found["db.tables.seq-scans"] if f.status is Status.WARN]
    assert any("orders" in f.target for f in seq)
    unused = [f for f in found["db.indexes.unused"] if f.status is Status.WARN]
    assert [f.details["index"]["index"] for f in unused] == ["public.orders_total_idx"]  # type: ignore[index]
    dominant = found["db.statements.top-total"]
    assert [f.status for f in dominant] == [Status.WARN] and "pg_sleep" in dominant[
        0
    ].evidence  # ~1 s of ~1 s
    largest = found["db.tables.largest"]
    assert largest[0].status is Status.PASS and largest[0].evidence.startswith(
        "biggest tables: public.orders"
    )
    assert found["db.connections.saturation"][0].status is Status.PASS
    assert found["db.statements.unavailable"][0].status is Status.PASS
    assert found["db.sessions.long-running"][0].status is Status.PASS


async def test_without_a_dsn_every_rule_is_not_assessed_and_names_the_config(pg_cluster: Any) -> None:
    """Negative test: without ``[database] dsn`` the check used to return nothing, so its rules vanished."""
    from launchready.config.model import LaunchConfig
    from launchready.engine import RunOptions, run_audit

    base = {"product": {"name": "P", "domain": "p.test"}}
    without = await run_audit(
        LaunchConfig.model_validate(base), [DatabaseReview()], RunOptions(deadline_s=20)
    )
    assert {f.rule_id for f in without.findings} == {rule.rule_id for rule in DatabaseReview.rules}
    assert {f.status for f in without.findings} == {Status.NOT_ASSESSED}
    assert all("[database] dsn" in (f.reason or "") for f in without.findings)
    with_dsn = LaunchConfig.model_validate({**base, "database": {"dsn": pg_cluster.dsn}})
    run = await run_audit(with_dsn, [DatabaseReview()], RunOptions(deadline_s=20))
    assert {f.rule_id for f in run.findings} == {rule.rule_id for rule in DatabaseReview.rules}
    assert all(f.status is not Status.UNVERIFIABLE for f in run.findings)
    assert all(f.exercised for f in run.findings if f.status is Status.PASS)


async def test_an_unreachable_database_is_one_root_cause_without_leaking_the_password(
    pg_cluster: Any,
) -> None:
    """Negative test: a refused connection used to give ten unrelated unverifiable risks, none marked as one."""
    dsn = f"host={pg_cluster.host} port=1 user=app password=hunter2-very-secret dbname=app connect_timeout=2"
    findings = await review_database(dsn, THRESHOLDS, timeout_s=2)
    assert findings and all(f.status is Status.UNVERIFIABLE for f in findings)
    assert all("hunter2" not in (f.reason or "") + f.target + f.evidence for f in findings)
    root, *rest = findings
    assert root.rule_id == "db.connection.failed" and root.blocked_by is None
    assert root.target == f"postgresql://{pg_cluster.host}:1/app"
    assert rest and {f.blocked_by for f in rest} == {root.key}
    assert len({f.rule_id for f in findings}) == len(DatabaseReview.rules)


async def test_an_empty_database_earns_no_pass_for_what_it_does_not_have(pg_cluster: Any) -> None:
    """Negative test: no tables, no foreign keys, no recorded statement used to read as four passes."""
    async with await psycopg.AsyncConnection.connect(pg_cluster.dsn, autocommit=True) as admin:
        await admin.execute(b"DROP DATABASE IF EXISTS empty")
        await admin.execute(b"CREATE DATABASE empty")
    empty_dsn = pg_cluster.dsn.replace("dbname=postgres", "dbname=empty")
    async with await psycopg.AsyncConnection.connect(empty_dsn, autocommit=True) as admin:
        await admin.execute(b"CREATE EXTENSION pg_stat_statements")
        await admin.execute(b"SELECT pg_stat_statements_reset()")
    found = by_rule(await review_database(empty_dsn, THRESHOLDS))
    for rule_id in (
        "db.tables.seq-scans",
        "db.fk.unindexed",
        "db.indexes.unused",
        "db.tables.largest",
        "db.statements.slow",
        "db.statements.top-total",
    ):
        [finding] = found[rule_id]
        assert finding.status is Status.NOT_ASSESSED, (rule_id, finding.evidence)
        assert finding.reason
    assert found["db.connection.failed"][0].status is Status.PASS
    assert found["db.connection.failed"][0].exercised == {"connections": 1, "statistics_views_read": 1}


async def test_without_pg_stat_statements_says_how_to_enable_it(pg_cluster: Any) -> None:
    async with await psycopg.AsyncConnection.connect(pg_cluster.dsn, autocommit=True) as admin:
        await admin.execute(b"DROP DATABASE IF EXISTS plain")
        await admin.execute(b"CREATE DATABASE plain")
    found = by_rule(
        await review_database(pg_cluster.dsn.replace("dbname=postgres", "dbname=plain"), THRESHOLDS)
    )
    missing = found["db.statements.unavailable"][0]
    assert missing.status is Status.WARN
    assert "shared_preload_libraries" in missing.fix.snippets["postgresql.conf"]
    assert found["db.statements.slow"][0].status is Status.UNVERIFIABLE


def test_literals_are_masked() -> None:
    assert mask_literals("SELECT 1 WHERE t = 'sk-abc''def' AND n = 2") == "SELECT 1 WHERE t = '…' AND n = 2"
    assert describe_dsn("postgresql://u:pw@db.internal:6543/app") == "postgresql://db.internal:6543/app"


def _db_command() -> Any:
    """The ``db`` command module, or None while the CLI app or the report renderer is not assembled."""
    import importlib

    try:
        importlib.import_module("launchready.report").render  # noqa: B018 - presence check
        return importlib.import_module("launchready.cli.cmd_db")
    except (ImportError, AttributeError):
        return None


@pytest.mark.skipif(_db_command() is None, reason="the CLI app or the report renderer is not assembled yet")
def test_db_command_reports_and_exits_1_on_the_idle_transaction(seeded: object, pg_cluster: Any) -> None:
    import typer
    from typer.testing import CliRunner

    app = typer.Typer()
    app.callback()(lambda: None)
    _db_command().register(app)
    args = ["db", "--dsn", pg_cluster.dsn, "--idle-in-transaction-s", "1", "--format", "json"]
    outcome = CliRunner().invoke(app, args)
    assert outcome.exit_code == 1, outcome.output
    assert "db.sessions.idle-in-transaction" in outcome.output


async def test_a_busy_database_shows_long_running_queries_and_connection_pressure(pg_cluster: Any) -> None:
    """The cluster allows 20 connections (3 reserved): 13 open clients are 76 %, past the 70 % warning."""
    clients = [await psycopg.AsyncConnection.connect(pg_cluster.dsn, autocommit=True) for _ in range(12)]
    sleeper = asyncio.create_task(clients[0].execute(b"SELECT pg_sleep(3)"))
    try:
        await asyncio.sleep(1.0)
        limits = ReviewThresholds(long_running_s=0.5)
        found = by_rule(
            await review_database(pg_cluster.dsn, limits)
        )  # the review's own connection is the 13th
    finally:
        await clients[0].cancel_safe()  # end the pg_sleep server-side instead of waiting for it
        with contextlib.suppress(psycopg.errors.QueryCanceled):
            await sleeper
        for client in clients:
            await client.close()
    long = found["db.sessions.long-running"]
    assert [f.status for f in long] == [Status.WARN] and "pg_sleep" in long[0].evidence
    assert "pg_cancel_backend" in long[0].fix.snippets["sql"]
    saturation = found["db.connections.saturation"][0]
    assert saturation.status is Status.WARN and "of 17 usable" in saturation.evidence
