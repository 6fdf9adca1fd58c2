"""The database review's rules (roadmap stage 5, performance: "the database is not the bottleneck").

What each rule *is* lives in ``rules/data/performance.toml``; this module only names them for the review.
A finding about a specific table gets its own snippet built in ``review.py`` (the exact ``CREATE INDEX``);
the data file holds the general forms.
"""

from __future__ import annotations

from launchready.rules import rule

CONNECTION_FAILED = rule("db.connection.failed")
"""The root cause: no connection, so no other database rule could be checked."""
STATEMENTS_MISSING = rule("db.statements.unavailable")
SLOW_STATEMENT = rule("db.statements.slow")
HEAVY_TOTAL = rule("db.statements.top-total")
SEQ_SCANS = rule("db.tables.seq-scans")
UNINDEXED_FK = rule("db.fk.unindexed")
UNUSED_INDEX = rule("db.indexes.unused")
CONNECTIONS = rule("db.connections.saturation")
LONG_RUNNING = rule("db.sessions.long-running")
IDLE_IN_TRANSACTION = rule("db.sessions.idle-in-transaction")
BIGGEST_TABLES = rule("db.tables.largest")
STATS_VISIBILITY = rule("db.stats.visibility")
BLOAT = rule("db.tables.bloat")
N_PLUS_ONE = rule("db.statements.n-plus-one")
SEQ_SCANS_HOT = rule("db.tables.seq-scans-hot")
LOCK_WAITS = rule("db.locks.waiting")

DATABASE_RULES = (
    CONNECTION_FAILED,
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
    STATS_VISIBILITY,
    BLOAT,
    N_PLUS_ONE,
    SEQ_SCANS_HOT,
    LOCK_WAITS,
)
"""Every rule the review judges; the connection rule first, as it is the others' root cause."""
