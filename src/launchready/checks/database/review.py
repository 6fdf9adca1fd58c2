"""Turn a ``DatabaseSnapshot`` into findings: one per offender (table, index, session), or one pass.

A pass says what it read (``exercised``: statements, tables, foreign keys, indexes, sessions counted). A
rule with nothing to read is ``not_assessed``, not a pass: "no slow statement" over zero recorded
statements, or "every foreign key is indexed" in a database with no foreign keys, would be credit for
nothing. Thresholds are a frozen value with roadmap-minded defaults, overridable from ``launchready db``.
"""

from __future__ import annotations

from dataclasses import dataclass

from launchready.checks.database import hotspots
from launchready.checks.database import rules as r
from launchready.checks.database.snapshot import DatabaseSnapshot, Session
from launchready.findings import Finding, Fix, RuleSpec, Severity

_GIB = 1024**3


@dataclass(frozen=True)
class ReviewThresholds:
    slow_mean_ms: float = 100.0
    """A statement slower than this on average is a slow query."""
    dominant_share: float = 0.5
    """One statement taking this share of all statement time (and at least a second) dominates."""
    min_seq_rows: int = 10_000
    """Tables with fewer live rows, or scans reading fewer rows each, are not heavy."""
    long_running_s: float = 60.0
    idle_in_transaction_s: float = 30.0
    connections_warn: float = 0.7
    connections_fail: float = 0.9
    big_table_bytes: int = 10 * _GIB
    bloat_min_dead_rows: int = 10_000
    bloat_dead_ratio: float = 0.2
    """A table with this many dead rows, making up this share of its rows, is bloated."""
    n_plus_one_calls: int = 1000
    n_plus_one_rows_per_call: float = 1.5
    """A one-parameter SELECT called this often returning about one row a call is an N+1 loop."""
    hot_calls: int = 100
    """A statement called this often is on the hot path (for sequential scans of big tables)."""
    lock_wait_s: float = 5.0


def _with_sql(rule: RuleSpec, sql: str) -> Fix:
    """The rule's fix, with the exact SQL for this offender first."""
    return rule.fix.model_copy(
        update={"snippets": {"sql": sql, **{k: v for k, v in rule.fix.snippets.items() if k != "sql"}}}
    )


def _quote_ident(name: str) -> str:
    return name if name.replace("_", "").isalnum() and name.islower() else '"' + name.replace('"', '""') + '"'


def review(snapshot: DatabaseSnapshot, target: str, limits: ReviewThresholds) -> list[Finding]:
    """Every rule's findings; with the second-round reads, the hotspots and the visibility gate too."""
    findings = _first_round(snapshot, target, limits)
    extras = snapshot.extras
    if extras is None:
        return findings
    findings += [
        *hotspots.bloat(snapshot, extras, target, limits.bloat_min_dead_rows, limits.bloat_dead_ratio),
        *hotspots.n_plus_one(
            snapshot, extras, target, limits.n_plus_one_calls, limits.n_plus_one_rows_per_call
        ),
        *hotspots.hot_seq_scans(snapshot, extras, target, limits.hot_calls),
        *hotspots.lock_waits(extras, target, limits.lock_wait_s),
    ]
    return hotspots.visibility(findings, extras, target)


def _first_round(snapshot: DatabaseSnapshot, target: str, limits: ReviewThresholds) -> list[Finding]:
    return [
        r.CONNECTION_FAILED.passed(
            target,
            f"connected read-only to PostgreSQL {snapshot.server_version} and read its statistics views",
            exercised={"connections": 1, "statistics_views_read": 1},
        ),
        *_statements(snapshot, target, limits),
        *_seq_scans(snapshot, target),
        *_foreign_keys(snapshot, target),
        *_unused(snapshot, target),
        _connections(snapshot, target, limits),
        *_sessions(snapshot, target, limits),
        _biggest(snapshot, target, limits),
    ]


def _statements(snapshot: DatabaseSnapshot, target: str, limits: ReviewThresholds) -> list[Finding]:
    if not snapshot.statements_available:
        reason = f"{snapshot.statements_problem}; enable it to see query times"
        return [
            r.STATEMENTS_MISSING.warned(
                target, snapshot.statements_problem or "pg_stat_statements unavailable"
            ),
            r.SLOW_STATEMENT.unverifiable(target, reason),
            r.HEAVY_TOTAL.unverifiable(target, reason),
        ]
    seen = snapshot.statements_seen
    found = [
        r.STATEMENTS_MISSING.passed(
            target,
            f"pg_stat_statements is loaded and readable ({seen} statements recorded)",
            exercised={"extension_queries": 1},
        )
    ]
    if not snapshot.top_by_mean:
        reason = (
            "pg_stat_statements has recorded no statement for this database yet (fresh server or a "
            "recent reset): run the review after real traffic"
        )
        return [
            *found,
            r.SLOW_STATEMENT.not_assessed(target, reason),
            r.HEAVY_TOTAL.not_assessed(target, reason),
        ]
    slow = [s for s in snapshot.top_by_mean if s.mean_ms > limits.slow_mean_ms]
    top_mean = [s.__dict__ for s in snapshot.top_by_mean[:5]]
    for statement in slow:
        found.append(
            r.SLOW_STATEMENT.failed(
                f"{target} :: {statement.query[:80]}",
                f"mean {statement.mean_ms:.1f} ms over {statement.calls} calls "
                f"(threshold {limits.slow_mean_ms:g} ms): "
                f"{statement.query}",
                details={"statement": statement.__dict__},
            )
        )
    if not slow:
        worst = snapshot.top_by_mean[0].mean_ms
        found.append(
            r.SLOW_STATEMENT.passed(
                target,
                f"slowest mean {worst:.1f} ms over {seen} statements (threshold {limits.slow_mean_ms:g} ms)",
                details={"top_by_mean": top_mean},
                exercised={"statements_read": seen},
            )
        )
    top = snapshot.top_by_total[0] if snapshot.top_by_total else None
    share = top.total_ms / snapshot.all_statements_ms if top and snapshot.all_statements_ms else 0.0
    details: dict[str, object] = {"top_by_total": [s.__dict__ for s in snapshot.top_by_total[:5]]}
    if top is not None and share >= limits.dominant_share and top.total_ms >= 1000:
        found.append(
            r.HEAVY_TOTAL.warned(
                f"{target} :: {top.query[:80]}",
                f"{share:.0%} of all statement time ({top.total_ms / 1000:.1f} s, {top.calls} calls): "
                f"{top.query}",
                details=details,
            )
        )
    else:
        found.append(
            r.HEAVY_TOTAL.passed(
                target,
                f"the top statement takes {share:.0%} of statement time",
                details=details,
                exercised={"statements_read": seen},
            )
        )
    return found


def _seq_scans(snapshot: DatabaseSnapshot, target: str) -> list[Finding]:
    if not snapshot.seq_scans:
        if not snapshot.user_tables:
            return [r.SEQ_SCANS.not_assessed(target, "the database has no user tables yet")]
        return [
            r.SEQ_SCANS.passed(
                target,
                f"no big table is read mostly by sequential scans ({snapshot.user_tables} tables read)",
                exercised={"tables_read": snapshot.user_tables},
            )
        ]
    return [
        r.SEQ_SCANS.warned(
            f"{target} :: {t.table}",
            f"{t.table}: {t.seq_scan} sequential scans read {t.seq_rows_read:,} rows "
            f"(~{t.seq_rows_read // max(1, t.seq_scan):,} each, {t.live_rows:,} live rows) "
            f"vs {t.idx_scan} index scans",
            details={"table": t.__dict__},
        )
        for t in snapshot.seq_scans
    ]


def _foreign_keys(snapshot: DatabaseSnapshot, target: str) -> list[Finding]:
    if not snapshot.unindexed_fks:
        if not snapshot.foreign_keys:
            return [r.UNINDEXED_FK.not_assessed(target, "the database declares no foreign key")]
        return [
            r.UNINDEXED_FK.passed(
                target,
                f"each of {snapshot.foreign_keys} foreign keys is covered by an index",
                exercised={"foreign_keys_checked": snapshot.foreign_keys},
            )
        ]
    found = []
    for fk in snapshot.unindexed_fks:
        columns = ", ".join(_quote_ident(c) for c in fk.columns)
        name = f"{fk.table.split('.')[-1].strip(chr(34))}_{'_'.join(fk.columns)}_idx"
        sql = f"CREATE INDEX CONCURRENTLY {_quote_ident(name)} ON {fk.table} ({columns});"
        found.append(
            r.UNINDEXED_FK.failed(
                f"{target} :: {fk.table}.{fk.constraint}",
                f"{fk.table}({', '.join(fk.columns)}) references {fk.references} "
                f"with no index leading on those "
                f"columns ({fk.table_rows:,} rows)",
                fix=_with_sql(r.UNINDEXED_FK, sql),
                details={"foreign_key": {**fk.__dict__, "columns": list(fk.columns)}},
            )
        )
    return found


def _unused(snapshot: DatabaseSnapshot, target: str) -> list[Finding]:
    since = f" since {snapshot.stats_reset}" if snapshot.stats_reset else " since statistics began"
    if not snapshot.unused_indexes:
        if not snapshot.user_indexes:
            return [r.UNUSED_INDEX.not_assessed(target, "the database has no user indexes yet")]
        return [
            r.UNUSED_INDEX.passed(
                target,
                f"every non-unique index has been scanned{since} ({snapshot.user_indexes} indexes read)",
                exercised={"indexes_checked": snapshot.user_indexes},
            )
        ]
    return [
        r.UNUSED_INDEX.warned(
            f"{target} :: {index.index}",
            f"{index.index} on {index.table} ({index.bytes / 1024:,.0f} KiB) has 0 scans{since}",
            fix=_with_sql(
                r.UNUSED_INDEX, f"DROP INDEX CONCURRENTLY {index.index};  -- was: {index.definition}"
            ),
            details={"index": index.__dict__},
        )
        for index in snapshot.unused_indexes
    ]


def _connections(snapshot: DatabaseSnapshot, target: str, limits: ReviewThresholds) -> Finding:
    usable = max(1, snapshot.max_connections - snapshot.reserved_connections)
    share = snapshot.connections_in_use / usable
    evidence = (
        f"{snapshot.connections_in_use} client connections of {usable} usable "
        f"(max_connections {snapshot.max_connections} minus {snapshot.reserved_connections} reserved): "
        f"{share:.0%}"
    )
    details: dict[str, object] = {"in_use": snapshot.connections_in_use, "usable": usable}
    if share >= limits.connections_fail:
        return r.CONNECTIONS.failed(target, evidence, details=details)
    if share >= limits.connections_warn:
        return r.CONNECTIONS.warned(target, evidence, details=details)
    return r.CONNECTIONS.passed(
        target, evidence, details=details, exercised={"connections_counted": snapshot.connections_in_use}
    )


def _session_target(target: str, session: Session) -> str:
    return f"{target} :: pid {session.pid} ({session.user}/{session.application or '-'})"


def _sessions(snapshot: DatabaseSnapshot, target: str, limits: ReviewThresholds) -> list[Finding]:
    found: list[Finding] = []
    long = [s for s in snapshot.sessions if s.state == "active" and s.query_s >= limits.long_running_s]
    idle = [
        s
        for s in snapshot.sessions
        if s.state.startswith("idle in transaction") and s.state_s >= limits.idle_in_transaction_s
    ]
    for s in long:
        found.append(
            r.LONG_RUNNING.warned(
                _session_target(target, s),
                f"active for {s.query_s:.0f} s (threshold {limits.long_running_s:g} s): {s.query}",
                severity=Severity.HIGH if s.query_s >= 10 * limits.long_running_s else None,
                fix=_with_sql(
                    r.LONG_RUNNING,
                    f"SELECT pg_cancel_backend({s.pid});\n"
                    f"ALTER ROLE {_quote_ident(s.user)} SET statement_timeout = '30s';",
                ),
                details={"session": s.__dict__},
            )
        )
    if not long:
        found.append(
            r.LONG_RUNNING.passed(
                target,
                f"no query active longer than {limits.long_running_s:g} s "
                f"({snapshot.connections_in_use} connections read)",
                exercised={"connections_read": snapshot.connections_in_use},
            )
        )
    for s in idle:
        found.append(
            r.IDLE_IN_TRANSACTION.failed(
                _session_target(target, s),
                f"{s.state} for {s.state_s:.0f} s (transaction open {s.xact_s:.0f} s); "
                f"last statement: {s.query}",
                fix=_with_sql(
                    r.IDLE_IN_TRANSACTION,
                    f"ALTER ROLE {_quote_ident(s.user)} SET idle_in_transaction_session_timeout = '60s';\n"
                    f"SELECT pg_terminate_backend({s.pid});",
                ),
                details={"session": s.__dict__},
            )
        )
    if not idle:
        found.append(
            r.IDLE_IN_TRANSACTION.passed(
                target,
                f"no session idle in a transaction for {limits.idle_in_transaction_s:g} s "
                f"({snapshot.connections_in_use} connections read)",
                exercised={"connections_read": snapshot.connections_in_use},
            )
        )
    return found


def _biggest(snapshot: DatabaseSnapshot, target: str, limits: ReviewThresholds) -> Finding:
    listed = ", ".join(
        f"{t.table} {t.total_bytes / 1024**2:,.1f} MiB ({t.live_rows:,} rows)"
        for t in snapshot.biggest_tables
    )
    details: dict[str, object] = {"tables": [t.__dict__ for t in snapshot.biggest_tables]}
    evidence = f"biggest tables: {listed or 'none'}"
    if any(t.total_bytes >= limits.big_table_bytes for t in snapshot.biggest_tables):
        return r.BIGGEST_TABLES.warned(
            target, evidence + f" (threshold {limits.big_table_bytes / _GIB:g} GiB)", details=details
        )
    if not snapshot.biggest_tables:
        return r.BIGGEST_TABLES.not_assessed(target, "the database has no user tables yet")
    return r.BIGGEST_TABLES.passed(
        target, evidence, details=details, exercised={"tables_read": len(snapshot.biggest_tables)}
    )
