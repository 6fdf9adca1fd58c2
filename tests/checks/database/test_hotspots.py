"""Bloat, an N+1 loop, a hot sequential scan, a lock wait and an idle transaction, planted on a real
PostgreSQL and reviewed twice: as a monitoring role (pg_monitor) that must find each one, and as a
SELECT-only role that must not hand out a pass for what it cannot see."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import psycopg
import pytest

from launchready.checks.database import ReviewThresholds, review_database
from launchready.findings import Finding, Status

LIMITS = ReviewThresholds(
    idle_in_transaction_s=1, min_seq_rows=5_000, n_plus_one_calls=1000, hot_calls=100, lock_wait_s=0.5
)

SCHEMA = """
CREATE EXTENSION IF NOT EXISTS pg_stat_statements;
CREATE TABLE customers (id int PRIMARY KEY, email text NOT NULL);
INSERT INTO customers SELECT g, 'c' || g || '@example.test' FROM generate_series(1, 1000) g;
CREATE TABLE events (id int, kind text);
INSERT INTO events SELECT g, 'k' || (g % 50) FROM generate_series(1, 20000) g;
CREATE TABLE chat_log (id int PRIMARY KEY, note text) WITH (autovacuum_enabled = false);
INSERT INTO chat_log SELECT g, repeat('x', 40) FROM generate_series(1, 100000) g;
DELETE FROM chat_log WHERE id > 5000;
ANALYZE customers, events;
"""

ROLES = """
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'lr_monitor') THEN CREATE ROLE lr_monitor LOGIN; END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'lr_reader') THEN CREATE ROLE lr_reader LOGIN; END IF;
END $$;
GRANT pg_monitor TO lr_monitor;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO lr_reader, lr_monitor;
"""


def _dsn(pg_cluster: Any, user: str) -> str:
    return f"host={pg_cluster.host} port={pg_cluster.port} user={user} dbname=hot"


def by_rule(findings: list[Finding]) -> dict[str, list[Finding]]:
    grouped: dict[str, list[Finding]] = {}
    for finding in findings:
        grouped.setdefault(finding.rule_id, []).append(finding)
    return grouped


@pytest.fixture
async def planted(pg_cluster: Any) -> AsyncIterator[None]:
    async with await psycopg.AsyncConnection.connect(pg_cluster.dsn, autocommit=True) as admin:
        await admin.execute(b"DROP DATABASE IF EXISTS hot WITH (FORCE)")
        await admin.execute(b"CREATE DATABASE hot")
    owner = _dsn(pg_cluster, "postgres")
    async with await psycopg.AsyncConnection.connect(owner, autocommit=True) as admin:
        await admin.execute(SCHEMA.encode())
        await admin.execute(ROLES.encode())
        await admin.execute(b"SELECT pg_stat_statements_reset()")
        async with admin.cursor() as cursor:  # the N+1 loop: one query per customer of a page, 1,200 times
            await cursor.executemany(
                b"SELECT email FROM customers WHERE id = %s", [(1 + i % 1000,) for i in range(1200)]
            )
        for i in range(120):  # a hot query on an unindexed 20,000-row table
            await admin.execute(b"SELECT count(*) FROM events WHERE kind = %s", (f"k{i % 50}",))
    holder = await psycopg.AsyncConnection.connect(owner, application_name="forgetful-app")
    await holder.execute(b"SELECT email FROM customers WHERE id = 1 FOR UPDATE")  # then idle in transaction
    waiter = await psycopg.AsyncConnection.connect(owner, autocommit=True)
    blocked = asyncio.create_task(waiter.execute(b"UPDATE customers SET email = 'w' WHERE id = 1"))
    await asyncio.sleep(1.5)  # past the idle and lock-wait thresholds; the statistics are flushed
    try:
        yield
    finally:
        await holder.rollback()
        with contextlib.suppress(psycopg.Error):
            await blocked
        await holder.close()
        await waiter.close()


async def test_a_monitoring_role_finds_every_planted_problem(planted: None, pg_cluster: Any) -> None:
    found = by_rule(await review_database(_dsn(pg_cluster, "lr_monitor"), LIMITS))
    assert found["db.stats.visibility"][0].status is Status.PASS
    [bloat] = found["db.tables.bloat"]
    assert bloat.status is Status.FAIL and "chat_log" in bloat.target and "95,000 dead rows" in bloat.evidence
    [loop] = found["db.statements.n-plus-one"]
    assert loop.status is Status.FAIL and "customers" in loop.evidence and "1,200 times" in loop.evidence
    [hot] = found["db.tables.seq-scans-hot"]
    assert hot.status is Status.FAIL and "events" in hot.target and "120 times" in hot.evidence
    [lock] = found["db.locks.waiting"]
    assert lock.status is Status.FAIL and "blocked by pid" in lock.evidence
    idle = found["db.sessions.idle-in-transaction"]
    assert [f.status for f in idle] == [Status.FAIL] and "forgetful-app" in idle[0].target


async def test_a_select_only_role_gets_unverifiable_with_the_grant_not_a_false_green(
    planted: None, pg_cluster: Any
) -> None:
    """Negative test: with only SELECT grants, db.sessions.idle-in-transaction passed with an idle
    transaction open (other sessions' state is hidden from the role)."""
    found = by_rule(await review_database(_dsn(pg_cluster, "lr_reader"), LIMITS))
    [visibility] = found["db.stats.visibility"]
    assert visibility.status is Status.FAIL
    assert "GRANT pg_read_all_stats TO lr_reader;" in visibility.fix.snippets["sql"]
    for rule_id in (
        "db.sessions.idle-in-transaction",
        "db.sessions.long-running",
        "db.connections.saturation",
        "db.statements.n-plus-one",
    ):
        statuses = {f.status for f in found[rule_id]}
        assert Status.PASS not in statuses, (rule_id, found[rule_id])
        for finding in found[rule_id]:
            if finding.status is Status.UNVERIFIABLE:
                assert finding.blocked_by == visibility.key
                assert "GRANT pg_read_all_stats TO lr_reader;" in (finding.reason or "")
    # what every role can see is still judged
    assert found["db.tables.bloat"][0].status is Status.FAIL
    assert found["db.locks.waiting"][0].status is Status.FAIL
