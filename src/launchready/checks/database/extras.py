"""The second round of the database snapshot: visibility, bloat, call counts, lock waits (read-only).

Kept apart from ``snapshot.py`` so each module stays one concern: this one reads what the rules in
``hotspots.py`` judge.

- **Visibility**: without ``pg_read_all_stats`` (granted by ``pg_monitor``) a role sees only its OWN rows of
  ``pg_stat_activity`` and its own query texts in ``pg_stat_statements`` (others read
  ``<insufficient privilege>``). Session and statement rules cannot pass on such a view: ``sees_all`` says
  whether they may.
- **Bloat**: ``pg_stat_user_tables.n_dead_tup`` against ``n_live_tup`` (visible to every role).
- **Calls**: the statements called most (``pg_stat_statements``), for N+1 loops and hot sequential scans.
- **Lock waits**: ``pg_locks`` rows not granted, with ``waitstart`` (PostgreSQL 14+) and
  ``pg_blocking_pids``; both are readable by every role.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import psycopg

from launchready.checks.database.snapshot import APP_STATEMENTS, mask_literals

_VISIBILITY = """
SELECT current_user::text AS role,
       coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = current_user), false)
       OR pg_has_role(current_user, 'pg_read_all_stats', 'MEMBER') AS sees_all
"""

_BLOAT = """
SELECT format('%%I.%%I', schemaname, relname) AS table, n_live_tup AS live_rows, n_dead_tup AS dead_rows,
       pg_total_relation_size(relid) AS bytes,
       coalesce(greatest(last_vacuum, last_autovacuum)::text, '') AS last_vacuum
FROM pg_stat_user_tables
WHERE n_dead_tup >= %(min_dead)s AND n_dead_tup >= %(ratio)s * (n_live_tup + n_dead_tup)
ORDER BY n_dead_tup DESC LIMIT 10
"""

_FREQUENT = (
    "SELECT s.query, s.calls, s.rows, s.{mean} AS mean_ms" + APP_STATEMENTS + "ORDER BY s.calls DESC LIMIT 20"
)

_LOCKS = """
SELECT l.pid, l.mode, coalesce(l.relation::regclass::text, l.locktype) AS object,
       {waiting} AS waiting_s, pg_blocking_pids(l.pid) AS blockers
FROM pg_locks l WHERE NOT l.granted AND l.pid <> pg_backend_pid()
ORDER BY 4 DESC LIMIT 20
"""
_WAITSTART = 140_000


@dataclass(frozen=True)
class BloatedTable:
    table: str
    live_rows: int
    dead_rows: int
    bytes: int
    last_vacuum: str


@dataclass(frozen=True)
class FrequentStatement:
    query: str
    calls: int
    rows: int
    mean_ms: float


@dataclass(frozen=True)
class LockWait:
    pid: int
    mode: str
    object: str
    waiting_s: float
    blockers: tuple[int, ...]


@dataclass(frozen=True)
class Extras:
    role: str
    sees_all: bool
    bloated: tuple[BloatedTable, ...]
    frequent: tuple[FrequentStatement, ...]
    lock_waits: tuple[LockWait, ...]
    lock_wait_known: bool
    """False before PostgreSQL 14 (no ``pg_locks.waitstart``): a wait's length is unknown."""


async def read_extras(
    conn: psycopg.AsyncConnection[dict[str, Any]],
    version_num: int,
    statements_ok: bool,
    *,
    min_dead_rows: int,
    dead_ratio: float,
) -> Extras:
    visibility = (await _all(conn, _VISIBILITY))[0]
    bloated = await _all(conn, _BLOAT, {"min_dead": min_dead_rows, "ratio": dead_ratio})
    frequent: list[dict[str, Any]] = []
    if statements_ok:
        mean = "mean_exec_time" if version_num >= 130_000 else "mean_time"
        frequent = await _all(conn, _FREQUENT.format(mean=mean))
    known = version_num >= _WAITSTART
    waiting = "coalesce(extract(epoch FROM now() - l.waitstart), 0)::float8" if known else "0::float8"
    locks = await _all(conn, _LOCKS.format(waiting=waiting))
    return Extras(
        role=str(visibility["role"]),
        sees_all=bool(visibility["sees_all"]),
        bloated=tuple(BloatedTable(**row) for row in bloated),
        frequent=tuple(
            FrequentStatement(
                query=mask_literals(str(row["query"]), limit=300),
                calls=int(row["calls"]),
                rows=int(row["rows"]),
                mean_ms=round(float(row["mean_ms"]), 3),
            )
            for row in frequent
        ),
        lock_waits=tuple(
            LockWait(**{**row, "blockers": tuple(int(pid) for pid in row["blockers"] or ())}) for row in locks
        ),
        lock_wait_known=known,
    )


async def _all(
    conn: psycopg.AsyncConnection[dict[str, Any]], sql: str, params: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    async with conn.cursor() as cursor:
        await cursor.execute(sql.encode(), params)
        return await cursor.fetchall()
