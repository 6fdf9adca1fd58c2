"""The database review's rules (roadmap stage 5, performance: "the database is not the bottleneck").

Each rule's fix carries SQL to paste; ``{placeholders}`` are never used — a finding about a specific table
gets its own snippet built in ``review.py`` (the exact ``CREATE INDEX``), these are the general forms.
"""

from __future__ import annotations

from launchready.findings import Fix, Impact, RuleSpec, Severity, Stage

STATEMENTS_MISSING = RuleSpec(
    rule_id="db.statements.unavailable",
    title="pg_stat_statements is not enabled",
    stage=Stage.PERFORMANCE,
    severity=Severity.LOW,
    description="The pg_stat_statements extension is loaded and created, so slow queries can be found.",
    impact=Impact(launch_delay=0, support_load=2, customer_trust=0),
    fix=Fix(
        summary="Load pg_stat_statements at server start and create the extension in the app's database.",
        steps=(
            "Add pg_stat_statements to shared_preload_libraries (postgresql.conf or provider parameters).",
            "Restart PostgreSQL (managed services: apply the parameter group and reboot).",
            "Run CREATE EXTENSION in the app's database; grant pg_read_all_stats to the reviewing role.",
        ),
        snippets={
            "postgresql.conf": (
                "shared_preload_libraries = 'pg_stat_statements'\npg_stat_statements.track = top"
            ),
            "sql": (
                "CREATE EXTENSION IF NOT EXISTS pg_stat_statements;\nGRANT pg_read_all_stats TO launchready;"
            ),
        },
        references=("https://www.postgresql.org/docs/current/pgstatstatements.html",),
    ),
)

SLOW_STATEMENT = RuleSpec(
    rule_id="db.statements.slow",
    title="A query is slow on average",
    stage=Stage.PERFORMANCE,
    severity=Severity.MEDIUM,
    description="No statement's mean execution time (pg_stat_statements) is above the slow-query threshold.",
    impact=Impact(launch_delay=1, support_load=2, customer_trust=1),
    fix=Fix(
        summary="EXPLAIN the slow statement and give it an index, a smaller result, or a cache.",
        steps=(
            "Run EXPLAIN (ANALYZE, BUFFERS) on the statement with realistic parameters.",
            "A Seq Scan on a big table with a selective WHERE wants an index on those columns.",
            "Paginate big results; cache results that many users read.",
        ),
        snippets={
            "sql": (
                "EXPLAIN (ANALYZE, BUFFERS) <the statement>;\n"
                "CREATE INDEX CONCURRENTLY ON <table> (<filtered columns>);\n"
                "SELECT pg_stat_statements_reset();  -- then measure again"
            ),
        },
    ),
)

HEAVY_TOTAL = RuleSpec(
    rule_id="db.statements.top-total",
    title="One query takes most of the database's time",
    stage=Stage.PERFORMANCE,
    severity=Severity.LOW,
    description="No single statement takes a dominant share of all statement execution time.",
    impact=Impact(launch_delay=0, support_load=1, customer_trust=1),
    fix=Fix(
        summary="Make the dominant statement cheaper or call it less (batch it, cache it, drop an N+1 loop).",
        snippets={
            "sql": (
                "SELECT calls, round(total_exec_time) AS total_ms,\n"
                "       round(mean_exec_time::numeric, 2) AS mean_ms, query\n"
                "FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 10;"
            ),
        },
    ),
)

SEQ_SCANS = RuleSpec(
    rule_id="db.tables.seq-scans",
    title="A big table is read by sequential scans",
    stage=Stage.PERFORMANCE,
    severity=Severity.MEDIUM,
    description="No table with many rows is read mostly by sequential scans that each read many rows.",
    impact=Impact(launch_delay=0, support_load=2, customer_trust=1),
    fix=Fix(
        summary="Find the queries that scan the table and index the columns they filter on.",
        snippets={
            "sql": (
                "SELECT query, calls, mean_exec_time FROM pg_stat_statements\n"
                "WHERE query ILIKE '%<table>%' ORDER BY total_exec_time DESC LIMIT 5;\n"
                "CREATE INDEX CONCURRENTLY ON <table> (<filtered columns>);"
            ),
        },
    ),
)

UNINDEXED_FK = RuleSpec(
    rule_id="db.fk.unindexed",
    title="A foreign key has no index",
    stage=Stage.PERFORMANCE,
    severity=Severity.MEDIUM,
    description=(
        "Every foreign key's columns lead some index: joins on them are fast, and deleting or updating a "
        "referenced row does not scan the whole referencing table under lock."
    ),
    impact=Impact(launch_delay=0, support_load=2, customer_trust=1),
    fix=Fix(
        summary="Create an index on the foreign key's columns (CONCURRENTLY, so writes go on).",
        snippets={"sql": "CREATE INDEX CONCURRENTLY <table>_<column>_idx ON <table> (<column>);"},
    ),
)

UNUSED_INDEX = RuleSpec(
    rule_id="db.indexes.unused",
    title="An index is never used",
    stage=Stage.PERFORMANCE,
    severity=Severity.LOW,
    description=(
        "No non-unique index has zero scans since statistics were reset (each one slows every write and "
        "takes disk and cache). Indexes that serve a foreign key are kept. Check replicas too: a read "
        "replica's scans are not counted here."
    ),
    impact=Impact(launch_delay=0, support_load=1, customer_trust=0),
    fix=Fix(
        summary="Drop the index after checking replicas and the stats reset date.",
        snippets={"sql": "DROP INDEX CONCURRENTLY <index>;"},
    ),
)

CONNECTIONS = RuleSpec(
    rule_id="db.connections.saturation",
    title="Connections are close to max_connections",
    stage=Stage.PERFORMANCE,
    severity=Severity.HIGH,
    description="Client connections in use stay well below max_connections (new ones fail at the limit).",
    impact=Impact(launch_delay=1, support_load=3, customer_trust=2),
    fix=Fix(
        summary="Pool connections (PgBouncer in transaction mode, or a bounded pool per app process).",
        snippets={
            "pgbouncer.ini": (
                "[pgbouncer]\npool_mode = transaction\ndefault_pool_size = 20\nmax_client_conn = 1000"
            ),
            "sqlalchemy": "engine = create_async_engine(url, pool_size=10, max_overflow=5, pool_timeout=5)",
            "sql": (
                "SELECT usename, application_name, state, count(*) FROM pg_stat_activity GROUP BY 1, 2, 3;"
            ),
        },
    ),
)

LONG_RUNNING = RuleSpec(
    rule_id="db.sessions.long-running",
    title="A query has been running for a long time",
    stage=Stage.PERFORMANCE,
    severity=Severity.MEDIUM,
    description="No query has been active longer than the long-running threshold.",
    impact=Impact(launch_delay=0, support_load=2, customer_trust=1),
    fix=Fix(
        summary="Find why it runs long; bound queries with statement_timeout for the app's role.",
        snippets={
            "sql": (
                "SELECT pid, now() - query_start AS running, query FROM pg_stat_activity\n"
                "WHERE state = 'active' ORDER BY query_start LIMIT 10;\n"
                "SELECT pg_cancel_backend(<pid>);\n"
                "ALTER ROLE app SET statement_timeout = '30s';"
            ),
        },
    ),
)

IDLE_IN_TRANSACTION = RuleSpec(
    rule_id="db.sessions.idle-in-transaction",
    title="A session sits idle inside an open transaction",
    stage=Stage.PERFORMANCE,
    severity=Severity.HIGH,
    description=(
        "No session stays 'idle in transaction': it holds its locks and its snapshot, blocks vacuum, and "
        "usually means the app forgot to commit or roll back on an error path."
    ),
    impact=Impact(launch_delay=1, support_load=2, customer_trust=1),
    fix=Fix(
        summary="Commit or roll back on every path (context managers); cap the idle time server-side.",
        snippets={
            "sql": (
                "ALTER ROLE app SET idle_in_transaction_session_timeout = '60s';\n"
                "SELECT pg_terminate_backend(<pid>);  -- for the one open now"
            ),
            "python": "async with conn.transaction():\n    ...  # commits, or rolls back on an exception",
        },
    ),
)

BIGGEST_TABLES = RuleSpec(
    rule_id="db.tables.largest",
    title="Very large tables",
    stage=Stage.PERFORMANCE,
    severity=Severity.INFO,
    description="The biggest tables (with indexes and TOAST) are listed; one past the threshold is flagged.",
    impact=Impact(launch_delay=0, support_load=1, customer_trust=0),
    fix=Fix(
        summary="Archive or partition what is not read, and check autovacuum keeps up on the biggest tables.",
        snippets={
            "sql": (
                "SELECT relname, n_dead_tup, last_autovacuum FROM pg_stat_user_tables\n"
                "ORDER BY pg_total_relation_size(relid) DESC LIMIT 5;"
            ),
        },
    ),
)

DATABASE_RULES = (
    STATEMENTS_MISSING,
    SLOW_STATEMENT,
    HEAVY_TOTAL,
    SEQ_SCANS,
    UNINDEXED_FK,
    UNUSED_INDEX,
    CONNECTIONS,
    LONG_RUNNING,
    IDLE_IN_TRANSACTION,
    BIGGEST_TABLES,
)
