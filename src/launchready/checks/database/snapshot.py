"""Read what PostgreSQL already knows about its own health, read-only, with psycopg 3.

Every query reads the statistics views and catalogs (``pg_stat_statements``, ``pg_stat_user_tables``,
``pg_stat_user_indexes``, ``pg_stat_activity``, ``pg_constraint``/``pg_index``) in a session that is
``default_transaction_read_only`` with a ``statement_timeout``: launchready never writes to a production
database and never holds it up. Query texts from ``pg_stat_activity`` carry literals (possibly secrets), so
string literals are masked before anything leaves this module.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import psycopg
from psycopg.rows import dict_row

from launchready.checks.database.dsn import DsnError, SafeDsn, parse_dsn

if TYPE_CHECKING:
    from launchready.checks.database.extras import Extras

_LITERAL = re.compile(r"'(?:[^']|'')*'")


def mask_literals(sql: str, limit: int = 160) -> str:
    """``WHERE token = '…'``: string literals out, whitespace folded, cut to ``limit`` characters."""
    text = " ".join(_LITERAL.sub("'…'", sql).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe_dsn(dsn: str) -> str:
    """``host:port/dbname`` — the password (and any other option) never appears in a report."""
    try:
        return parse_dsn(dsn).target
    except DsnError:
        return "postgresql (unparsable DSN)"


@dataclass(frozen=True)
class Statement:
    query: str
    calls: int
    total_ms: float
    mean_ms: float
    rows: int


@dataclass(frozen=True)
class SeqScanTable:
    table: str
    seq_scan: int
    seq_rows_read: int
    idx_scan: int
    live_rows: int


@dataclass(frozen=True)
class UnindexedForeignKey:
    table: str
    constraint: str
    columns: tuple[str, ...]
    references: str
    table_rows: int


@dataclass(frozen=True)
class UnusedIndex:
    table: str
    index: str
    bytes: int
    definition: str


@dataclass(frozen=True)
class Session:
    pid: int
    user: str
    application: str
    state: str
    query_s: float
    state_s: float
    xact_s: float
    query: str


@dataclass(frozen=True)
class TableSize:
    table: str
    total_bytes: int
    live_rows: int


@dataclass(frozen=True)
class DatabaseSnapshot:
    server_version: str
    statements_available: bool
    statements_problem: str | None
    top_by_mean: tuple[Statement, ...]
    top_by_total: tuple[Statement, ...]
    all_statements_ms: float
    seq_scans: tuple[SeqScanTable, ...]
    unindexed_fks: tuple[UnindexedForeignKey, ...]
    unused_indexes: tuple[UnusedIndex, ...]
    connections_in_use: int
    max_connections: int
    reserved_connections: int
    sessions: tuple[Session, ...]
    biggest_tables: tuple[TableSize, ...]
    stats_reset: str | None = None
    notes: tuple[str, ...] = field(default=())
    user_tables: int = 0
    """Tables the statistics views describe: the seq-scan and size rules read this many."""
    user_indexes: int = 0
    foreign_keys: int = 0
    statements_seen: int = 0
    """Statements pg_stat_statements has recorded for this database (0 right after a reset)."""
    extras: Extras | None = None
    """Visibility, bloat, call counts and lock waits (``extras.py``); None when not read."""


APP_STATEMENTS = _APP_STATEMENTS = """
FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
WHERE d.datname = current_database() AND s.calls > 0
  AND s.query !~* '^\\s*(begin|commit|rollback|set|show|reset|discard|deallocate)\\b'
  AND s.query !~* 'pg_stat_statements|pg_stat_activity|pg_stat_user_|pg_catalog\\.|pg_extension'
"""
"""The application's statements: this database's, without transaction control and without the review's own."""
_STATEMENTS = (
    "SELECT s.query, s.calls, s.{total} AS total_ms, s.{mean} AS mean_ms, s.rows"
    + _APP_STATEMENTS
    + "ORDER BY {order} DESC LIMIT 10"
)
_NEW_COLUMNS = 130_000
"""PostgreSQL 13 renamed pg_stat_statements' total_time/mean_time to total_exec_time/mean_exec_time."""

_SEQ_SCANS = """
SELECT format('%%I.%%I', schemaname, relname) AS table, seq_scan, seq_tup_read AS seq_rows_read,
       coalesce(idx_scan, 0) AS idx_scan, n_live_tup AS live_rows
FROM pg_stat_user_tables
WHERE seq_scan > 0 AND n_live_tup >= %(min_rows)s AND seq_tup_read / seq_scan >= %(min_rows)s
  AND seq_scan > coalesce(idx_scan, 0)
ORDER BY seq_tup_read DESC LIMIT 10
"""

_UNINDEXED_FKS = """
SELECT c.conrelid::regclass::text AS table, c.conname AS constraint,
       array_agg(a.attname::text ORDER BY k.n) AS columns, c.confrelid::regclass::text AS references,
       coalesce(max(t.n_live_tup), 0) AS table_rows
FROM pg_constraint c
CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY AS k(attnum, n)
JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
LEFT JOIN pg_stat_user_tables t ON t.relid = c.conrelid
WHERE c.contype = 'f'
  AND c.connamespace NOT IN ('pg_catalog'::regnamespace, 'information_schema'::regnamespace)
  AND NOT EXISTS (
    SELECT 1 FROM pg_index i
    WHERE i.indrelid = c.conrelid
      AND (string_to_array(i.indkey::text, ' ')::int2[])[1:cardinality(c.conkey)] @> c.conkey
      AND (string_to_array(i.indkey::text, ' ')::int2[])[1:cardinality(c.conkey)] <@ c.conkey
  )
GROUP BY c.conrelid, c.conname, c.confrelid
ORDER BY table_rows DESC, 1, 2
"""

_UNUSED_INDEXES = """
SELECT format('%I.%I', s.schemaname, s.relname) AS table,
       format('%I.%I', s.schemaname, s.indexrelname) AS index,
       pg_relation_size(s.indexrelid) AS bytes, pg_get_indexdef(s.indexrelid) AS definition
FROM pg_stat_user_indexes s JOIN pg_index i ON i.indexrelid = s.indexrelid
WHERE s.idx_scan = 0 AND NOT i.indisunique AND NOT i.indisprimary
  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = s.indexrelid)
  AND NOT EXISTS (  -- an index that serves a foreign key is kept for deletes on the referenced table
    SELECT 1 FROM pg_constraint f
    WHERE f.contype = 'f' AND f.conrelid = i.indrelid
      AND (string_to_array(i.indkey::text, ' ')::int2[])[1:cardinality(f.conkey)] @> f.conkey
      AND (string_to_array(i.indkey::text, ' ')::int2[])[1:cardinality(f.conkey)] <@ f.conkey
  )
ORDER BY bytes DESC LIMIT 10
"""

_CONNECTIONS = """
SELECT (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend') AS in_use,
       current_setting('max_connections')::int AS max_connections,
       current_setting('superuser_reserved_connections')::int AS reserved,
       (SELECT stats_reset::text FROM pg_stat_database WHERE datname = current_database()) AS stats_reset,
       current_setting('server_version') AS version,
       current_setting('server_version_num')::int AS version_num,
       (SELECT count(*) FROM pg_stat_user_tables) AS user_tables,
       (SELECT count(*) FROM pg_stat_user_indexes) AS user_indexes,
       (SELECT count(*) FROM pg_constraint
        WHERE contype = 'f'
          AND connamespace NOT IN ('pg_catalog'::regnamespace, 'information_schema'::regnamespace)
       ) AS foreign_keys
"""

_SESSIONS = """
SELECT pid, coalesce(usename::text, '') AS user, coalesce(application_name, '') AS application,
       coalesce(state, '') AS state,
       coalesce(extract(epoch FROM now() - query_start), 0)::float8 AS query_s,
       coalesce(extract(epoch FROM now() - state_change), 0)::float8 AS state_s,
       coalesce(extract(epoch FROM now() - xact_start), 0)::float8 AS xact_s,
       coalesce(query, '') AS query
FROM pg_stat_activity
WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()
  AND state IN ('active', 'idle in transaction', 'idle in transaction (aborted)')
ORDER BY greatest(query_start, state_change) ASC NULLS LAST LIMIT 50
"""

_BIGGEST = """
SELECT format('%I.%I', schemaname, relname) AS table, pg_total_relation_size(relid) AS total_bytes,
       n_live_tup AS live_rows
FROM pg_stat_user_tables ORDER BY total_bytes DESC LIMIT 5
"""


async def take_snapshot(
    dsn: SafeDsn, *, min_seq_rows: int, timeout_s: float, min_dead_rows: int = 10_000, dead_ratio: float = 0.2
) -> DatabaseSnapshot:
    """Connect read-only and read every view once. Raises ``psycopg.Error`` when that is not possible.

    The driver gets the DSN's parsed parameters, never the raw string (libpq quotes a raw string it
    cannot parse in its error message, password included)."""
    ms = int(timeout_s * 1000)
    own_timeout = max(1, int(timeout_s))
    given = dsn.params.get("connect_timeout", "")
    params: dict[str, Any] = {
        **dsn.params,  # the review's own settings win: read-only and bounded whatever the DSN asks
        "connect_timeout": min(own_timeout, int(given))
        if given.isdigit() and int(given) > 0
        else own_timeout,
        "application_name": "launchready-db-review",
        "options": f"-c default_transaction_read_only=on -c statement_timeout={ms} -c lock_timeout={ms}",
    }
    async with await psycopg.AsyncConnection.connect(
        "", autocommit=True, row_factory=dict_row, **params
    ) as conn:
        from launchready.checks.database.extras import read_extras  # it imports this module

        info = await _one(conn, _CONNECTIONS)
        by_mean, by_total, total_ms, problem, seen = await _statements(conn, int(info["version_num"]))
        extras = await read_extras(
            conn,
            int(info["version_num"]),
            problem is None,
            min_dead_rows=min_dead_rows,
            dead_ratio=dead_ratio,
        )
        return DatabaseSnapshot(
            extras=extras,
            server_version=str(info["version"]),
            statements_available=problem is None,
            statements_problem=problem,
            top_by_mean=by_mean,
            top_by_total=by_total,
            all_statements_ms=total_ms,
            seq_scans=tuple(
                SeqScanTable(**r) for r in await _all(conn, _SEQ_SCANS, {"min_rows": min_seq_rows})
            ),
            unindexed_fks=tuple(
                UnindexedForeignKey(**{**r, "columns": tuple(r["columns"])})
                for r in await _all(conn, _UNINDEXED_FKS)
            ),
            unused_indexes=tuple(UnusedIndex(**r) for r in await _all(conn, _UNUSED_INDEXES)),
            connections_in_use=int(info["in_use"]),
            max_connections=int(info["max_connections"]),
            reserved_connections=int(info["reserved"]),
            sessions=tuple(
                Session(**{**r, "query": mask_literals(str(r["query"]))}) for r in await _all(conn, _SESSIONS)
            ),
            biggest_tables=tuple(TableSize(**r) for r in await _all(conn, _BIGGEST)),
            stats_reset=info["stats_reset"],
            user_tables=int(info["user_tables"]),
            user_indexes=int(info["user_indexes"]),
            foreign_keys=int(info["foreign_keys"]),
            statements_seen=seen,
        )


async def _statements(
    conn: psycopg.AsyncConnection[dict[str, Any]], version_num: int
) -> tuple[tuple[Statement, ...], tuple[Statement, ...], float, str | None, int]:
    total, mean = (
        ("total_exec_time", "mean_exec_time") if version_num >= _NEW_COLUMNS else ("total_time", "mean_time")
    )
    installed = await _one(
        conn, "SELECT count(*) AS n FROM pg_extension WHERE extname = 'pg_stat_statements'"
    )
    if not installed["n"]:
        return (), (), 0.0, "the pg_stat_statements extension is not created in this database", 0
    try:
        by_mean = await _all(conn, _STATEMENTS.format(total=total, mean=mean, order=f"s.{mean}"))
        by_total = await _all(conn, _STATEMENTS.format(total=total, mean=mean, order=f"s.{total}"))
        everything = await _one(
            conn,
            f"SELECT coalesce(sum(s.{total}), 0)::float8 AS ms, count(*) AS n" + _APP_STATEMENTS,
        )
    except psycopg.errors.ObjectNotInPrerequisiteState:
        return (), (), 0.0, "pg_stat_statements is created but not loaded (shared_preload_libraries)", 0
    except psycopg.errors.InsufficientPrivilege:
        return (), (), 0.0, "this role may not read pg_stat_statements (grant pg_read_all_stats)", 0

    def statement(row: dict[str, Any]) -> Statement:
        return Statement(
            query=mask_literals(str(row["query"])),
            calls=int(row["calls"]),
            total_ms=round(float(row["total_ms"]), 3),
            mean_ms=round(float(row["mean_ms"]), 3),
            rows=int(row["rows"]),
        )

    return (
        tuple(map(statement, by_mean)),
        tuple(map(statement, by_total)),
        float(everything["ms"]),
        None,
        int(everything["n"]),
    )


async def _all(
    conn: psycopg.AsyncConnection[dict[str, Any]], sql: str, params: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    async with conn.cursor() as cursor:
        await cursor.execute(sql.encode(), params)
        return await cursor.fetchall()


async def _one(
    conn: psycopg.AsyncConnection[dict[str, Any]], sql: str, params: dict[str, Any] | None = None
) -> dict[str, Any]:
    rows = await _all(conn, sql, params)
    return rows[0]
