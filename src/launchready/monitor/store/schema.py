"""The monitor's tables (SQLAlchemy Core): the one definition Alembic's migrations are checked against.

Times are Unix seconds (floats): the same on SQLite and PostgreSQL, cheap to compare in the claim query,
and no time-zone conversions between instances. ``checks`` carries the schedule and the lease (who runs a
check now, until when) and the alert state machine; ``results`` the raw history (kept
``retention_days``); ``rollups`` one row per check and hour (kept a year: 8,760 rows per check, small and
fast to chart); ``outbox`` every alert before it is sent, keyed so the same alert is never queued twice.
"""

from __future__ import annotations

from sqlalchemy import Column, Float, Index, Integer, MetaData, String, Table, Text, UniqueConstraint

metadata = MetaData()

checks = Table(
    "checks",
    metadata,
    Column("id", String(300), primary_key=True),
    Column("kind", String(20), nullable=False),
    Column("name", String(300), nullable=False),
    Column("target", Text, nullable=False),
    Column("interval_s", Float, nullable=False),
    Column("next_due", Float, nullable=False),
    Column("lease_owner", String(100)),
    Column("lease_until", Float),
    Column("state", String(20), nullable=False, server_default="unknown"),
    Column("since", Float),
    Column("fails", Integer, nullable=False, server_default="0"),
    Column("last_at", Float),
    Column("last_message", Text),
    Column("last_latency_ms", Float),
    Column("last_ttft_ms", Float),
    Column("alerted", String(20)),
    Column("incident_id", Integer),
    Column("reminders", Integer, nullable=False, server_default="0"),
    Column("last_alert_at", Float),
    Column("changes", Text, nullable=False, server_default="[]"),
    Column("active", Integer, nullable=False, server_default="1"),
)
Index("ix_checks_due", checks.c.next_due)

results = Table(
    "results",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("check_id", String(300), nullable=False),
    Column("at", Float, nullable=False),
    Column("due", Float),
    Column("state", String(20), nullable=False),
    Column("latency_ms", Float),
    Column("ttft_ms", Float),
    Column("message", Text, nullable=False),
    Column("instance", String(100), nullable=False),
)
Index("ix_results_check_at", results.c.check_id, results.c.at)

rollups = Table(
    "rollups",
    metadata,
    Column("check_id", String(300), primary_key=True),
    Column("hour", Integer, primary_key=True),
    Column("total", Integer, nullable=False),
    Column("up", Integer, nullable=False),
    Column("degraded", Integer, nullable=False),
    Column("down", Integer, nullable=False),
    Column("latency_p50", Float),
    Column("latency_p95", Float),
    Column("ttft_p95", Float),
)

incidents = Table(
    "incidents",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("check_id", String(300), nullable=False),
    Column("started_at", Float, nullable=False),
    Column("ended_at", Float),
    Column("message", Text, nullable=False),
)
Index("ix_incidents_started", incidents.c.started_at)

outbox = Table(
    "outbox",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String(400), nullable=False),
    Column("check_id", String(300)),
    Column("kind", String(20), nullable=False),
    Column("title", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("created_at", Float, nullable=False),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("next_attempt_at", Float, nullable=False),
    Column("sent_at", Float),
    Column("last_error", Text),
    Column("claimed_by", String(100)),
    UniqueConstraint("key", name="uq_outbox_key"),
)
Index("ix_outbox_pending", outbox.c.sent_at, outbox.c.next_attempt_at)

deploys = Table(
    "deploys",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("version", String(200), nullable=False),
    Column("at", Float, nullable=False),
    Column("note", Text, nullable=False, server_default=""),
)

baselines = Table(
    "baselines",
    metadata,
    Column("key", String(200), primary_key=True),
    Column("value", Text, nullable=False),
    Column("updated_at", Float, nullable=False),
)

heartbeats = Table(
    "heartbeats",
    metadata,
    Column("name", String(200), primary_key=True),
    Column("last_ping_at", Float, nullable=False),
)

users = Table(
    "users",
    metadata,
    Column("name", String(200), primary_key=True),
    Column("password_hash", Text, nullable=False),
)

settings = Table(
    "settings",
    metadata,
    Column("key", String(200), primary_key=True),
    Column("value", Text, nullable=False),
)

log_counts = Table(
    "log_counts",
    metadata,
    Column("minute", Integer, primary_key=True),
    Column("total", Integer, nullable=False),
    Column("errors", Integer, nullable=False),
    Column("llm_failures", Integer, nullable=False),
)
