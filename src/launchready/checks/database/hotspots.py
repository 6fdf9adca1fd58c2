"""Judge the second-round reads (``extras.py``): bloat, N+1 loops, hot sequential scans, lock waits — and
whether the role could see enough for any session or statement rule to pass.

The visibility gate is the important part: a role without ``pg_read_all_stats`` sees only its own sessions
and statement texts, so "no idle transaction" or "no slow query" from it is a pass on a partial view. Such
passes become ``unverifiable`` with the one GRANT that fixes it (blocked by ``db.stats.visibility``);
failures it did see stay failures (what was seen is real).
"""

from __future__ import annotations

import re

from launchready.checks.database import rules as r
from launchready.checks.database.extras import Extras, FrequentStatement
from launchready.checks.database.snapshot import DatabaseSnapshot
from launchready.findings import Finding, Fix, RuleSpec, Status
from launchready.rules import rule as rule_of

_PARAM = re.compile(r"\$(\d+)")

NEEDS_VISIBILITY = frozenset(
    spec.rule_id
    for spec in (
        r.CONNECTIONS,
        r.LONG_RUNNING,
        r.IDLE_IN_TRANSACTION,
        r.SLOW_STATEMENT,
        r.HEAVY_TOTAL,
        r.N_PLUS_ONE,
        r.SEQ_SCANS_HOT,
    )
)
"""Rules whose pass needs every session's and statement's row, not only the role's own."""


def grant_for(role: str) -> str:
    quoted = (
        role if role.replace("_", "").isalnum() and role.islower() else '"' + role.replace('"', '""') + '"'
    )
    return f"GRANT pg_read_all_stats TO {quoted};"


def _with_sql(rule: RuleSpec, sql: str) -> Fix:
    return rule.fix.model_copy(
        update={"snippets": {"sql": sql, **{k: v for k, v in rule.fix.snippets.items() if k != "sql"}}}
    )


def visibility(findings: list[Finding], extras: Extras, target: str) -> list[Finding]:
    """The visibility finding first, and every pass of a rule that needs visibility made unverifiable."""
    if extras.sees_all:
        seen = extras.role
        return [
            r.STATS_VISIBILITY.passed(
                target,
                f"role {seen} reads every session and statement (superuser or pg_read_all_stats member)",
                exercised={"role_checks": 1},
            ),
            *findings,
        ]
    grant = grant_for(extras.role)
    root = r.STATS_VISIBILITY.failed(
        target,
        f"role {extras.role} is not a member of pg_read_all_stats or pg_monitor: pg_stat_activity and "
        f"pg_stat_statements show it only its own sessions and statements. Run: {grant}",
        fix=_with_sql(r.STATS_VISIBILITY, grant + "  -- as a superuser; read-only, statistics only"),
    )
    reason = (
        f"role {extras.role} sees only its own sessions and statements, so a pass here would describe a "
        f"partial view; run {grant} and review again"
    )
    gated = [
        rule_of(f.rule_id).unverifiable(f.target, reason, blocked_by=root.key)
        if f.rule_id in NEEDS_VISIBILITY and f.status is Status.PASS
        else f
        for f in findings
    ]
    return [root, *gated]


def n_plus_one(
    snapshot: DatabaseSnapshot, extras: Extras, target: str, calls: int, per_call: float
) -> list[Finding]:
    if not snapshot.statements_available:
        reason = f"{snapshot.statements_problem}; enable it to see call counts"
        return [r.N_PLUS_ONE.unverifiable(target, reason)]
    if not extras.frequent:
        return [r.N_PLUS_ONE.not_assessed(target, "pg_stat_statements has recorded no statement yet")]
    loops = [
        s for s in extras.frequent if _is_lookup(s) and s.calls >= calls and s.rows <= per_call * s.calls
    ]
    if not loops:
        busiest = extras.frequent[0]
        return [
            r.N_PLUS_ONE.passed(
                target,
                f"no one-parameter statement called {calls:,}+ times at about one row a call (busiest: "
                f"{busiest.calls:,} calls, {busiest.rows / max(1, busiest.calls):.1f} rows a call)",
                exercised={"statements_read": len(extras.frequent)},
            )
        ]
    return [
        r.N_PLUS_ONE.failed(
            f"{target} :: {s.query[:80]}",
            f"called {s.calls:,} times returning {s.rows:,} rows ({s.rows / s.calls:.2f} a call, mean "
            f"{s.mean_ms:.2f} ms): one query per row of a loop. {s.query}",
            details={"statement": s.__dict__},
        )
        for s in loops
    ]


def _is_lookup(statement: FrequentStatement) -> bool:
    """A SELECT with exactly one distinct parameter: ``... WHERE id = $1`` run once per row."""
    params = set(_PARAM.findall(statement.query))
    return statement.query.lstrip().lower().startswith("select") and len(params) == 1


def hot_seq_scans(snapshot: DatabaseSnapshot, extras: Extras, target: str, hot_calls: int) -> list[Finding]:
    if not snapshot.user_tables:
        return [r.SEQ_SCANS_HOT.not_assessed(target, "the database has no user tables yet")]
    if not snapshot.statements_available:
        reason = f"{snapshot.statements_problem}; enable it to link scans to queries"
        return [r.SEQ_SCANS_HOT.unverifiable(target, reason)]
    found: list[Finding] = []
    for table in snapshot.seq_scans:
        name = table.table.split(".")[-1].strip('"')
        pattern = re.compile(rf"\b{re.escape(name)}\b", re.IGNORECASE)
        for s in extras.frequent:
            if s.calls >= hot_calls and pattern.search(s.query):
                found.append(
                    r.SEQ_SCANS_HOT.failed(
                        f"{target} :: {table.table} :: {s.query[:60]}",
                        f"{table.table} ({table.live_rows:,} rows) is read by sequential scans "
                        f"({table.seq_scan:,} scans, {table.seq_rows_read:,} rows read) and this statement "
                        f"ran {s.calls:,} times (mean {s.mean_ms:.1f} ms): {s.query}",
                        fix=_with_sql(
                            r.SEQ_SCANS_HOT,
                            f"EXPLAIN (ANALYZE, BUFFERS) {s.query};  -- with real values; then\n"
                            f"CREATE INDEX CONCURRENTLY ON {table.table} (<the column it filters on>);",
                        ),
                        details={"table": table.__dict__, "statement": s.__dict__},
                    )
                )
    if found:
        return found
    return [
        r.SEQ_SCANS_HOT.passed(
            target,
            f"no statement called {hot_calls}+ times reads a sequentially scanned big table "
            f"({len(snapshot.seq_scans)} such tables, {len(extras.frequent)} busiest statements read)",
            exercised={"statements_read": len(extras.frequent), "tables_read": snapshot.user_tables},
        )
    ]


def bloat(
    snapshot: DatabaseSnapshot, extras: Extras, target: str, min_dead: int, ratio: float
) -> list[Finding]:
    if not snapshot.user_tables:
        return [r.BLOAT.not_assessed(target, "the database has no user tables yet")]
    if not extras.bloated:
        return [
            r.BLOAT.passed(
                target,
                f"no table has {min_dead:,}+ dead rows making up {ratio:.0%}+ of it "
                f"({snapshot.user_tables} tables read)",
                exercised={"tables_read": snapshot.user_tables},
            )
        ]
    return [
        r.BLOAT.failed(
            f"{target} :: {t.table}",
            f"{t.table}: {t.dead_rows:,} dead rows vs {t.live_rows:,} live "
            f"({t.dead_rows / max(1, t.dead_rows + t.live_rows):.0%} dead), {t.bytes / 1024**2:,.1f} MiB on disk; "
            f"last vacuum: {t.last_vacuum or 'never'}",
            fix=_with_sql(
                r.BLOAT,
                f"VACUUM (ANALYZE, VERBOSE) {t.table};\n"
                f"ALTER TABLE {t.table} SET (autovacuum_vacuum_scale_factor = 0.02, "
                "autovacuum_vacuum_threshold = 1000);",
            ),
            details={"table": t.__dict__},
        )
        for t in extras.bloated
    ]


def lock_waits(extras: Extras, target: str, wait_s: float) -> list[Finding]:
    long = [w for w in extras.lock_waits if w.waiting_s >= wait_s]
    if long:
        return [
            r.LOCK_WAITS.failed(
                f"{target} :: pid {w.pid}",
                f"pid {w.pid} has waited {w.waiting_s:.1f} s for a {w.mode} on {w.object}, blocked by "
                f"pid {', '.join(map(str, w.blockers)) or '?'}",
                fix=_with_sql(
                    r.LOCK_WAITS,
                    f"SELECT pid, state, query FROM pg_stat_activity WHERE pid = ANY(pg_blocking_pids({w.pid}));",
                ),
                details={"wait": {**w.__dict__, "blockers": list(w.blockers)}},
            )
            for w in long
        ]
    if extras.lock_waits and not extras.lock_wait_known:
        return [
            r.LOCK_WAITS.warned(
                target,
                f"{len(extras.lock_waits)} sessions wait on locks; how long is unknown before PostgreSQL 14",
            )
        ]
    return [
        r.LOCK_WAITS.passed(
            target,
            f"no session has waited {wait_s:g} s for a lock ({len(extras.lock_waits)} waiting now, pg_locks read)",
            exercised={"lock_table_reads": 1},
        )
    ]
