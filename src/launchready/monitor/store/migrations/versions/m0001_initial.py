"""The monitor's first schema: checks with leases, results, hourly rollups, incidents, the alert outbox,
deploy markers, baselines, heartbeats, users and settings.

Revision ID: m0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "m0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "checks",
        sa.Column("id", sa.String(300), primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("target", sa.Text, nullable=False),
        sa.Column("interval_s", sa.Float, nullable=False),
        sa.Column("next_due", sa.Float, nullable=False),
        sa.Column("lease_owner", sa.String(100)),
        sa.Column("lease_until", sa.Float),
        sa.Column("state", sa.String(20), nullable=False, server_default="unknown"),
        sa.Column("since", sa.Float),
        sa.Column("fails", sa.Integer, nullable=False, server_default="0"),
        sa.Column("last_at", sa.Float),
        sa.Column("last_message", sa.Text),
        sa.Column("last_latency_ms", sa.Float),
        sa.Column("last_ttft_ms", sa.Float),
        sa.Column("alerted", sa.String(20)),
        sa.Column("incident_id", sa.Integer),
        sa.Column("reminders", sa.Integer, nullable=False, server_default="0"),
        sa.Column("last_alert_at", sa.Float),
        sa.Column("changes", sa.Text, nullable=False, server_default="[]"),
        sa.Column("active", sa.Integer, nullable=False, server_default="1"),
    )
    op.create_index("ix_checks_due", "checks", ["next_due"])
    op.create_table(
        "results",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("check_id", sa.String(300), nullable=False),
        sa.Column("at", sa.Float, nullable=False),
        sa.Column("due", sa.Float),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("latency_ms", sa.Float),
        sa.Column("ttft_ms", sa.Float),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("instance", sa.String(100), nullable=False),
    )
    op.create_index("ix_results_check_at", "results", ["check_id", "at"])
    op.create_table(
        "rollups",
        sa.Column("check_id", sa.String(300), primary_key=True),
        sa.Column("hour", sa.Integer, primary_key=True),
        sa.Column("total", sa.Integer, nullable=False),
        sa.Column("up", sa.Integer, nullable=False),
        sa.Column("degraded", sa.Integer, nullable=False),
        sa.Column("down", sa.Integer, nullable=False),
        sa.Column("latency_p50", sa.Float),
        sa.Column("latency_p95", sa.Float),
        sa.Column("ttft_p95", sa.Float),
    )
    op.create_table(
        "incidents",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("check_id", sa.String(300), nullable=False),
        sa.Column("started_at", sa.Float, nullable=False),
        sa.Column("ended_at", sa.Float),
        sa.Column("message", sa.Text, nullable=False),
    )
    op.create_index("ix_incidents_started", "incidents", ["started_at"])
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("key", sa.String(400), nullable=False),
        sa.Column("check_id", sa.String(300)),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("next_attempt_at", sa.Float, nullable=False),
        sa.Column("sent_at", sa.Float),
        sa.Column("last_error", sa.Text),
        sa.UniqueConstraint("key", name="uq_outbox_key"),
    )
    op.create_index("ix_outbox_pending", "outbox", ["sent_at", "next_attempt_at"])
    op.create_table(
        "deploys",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("version", sa.String(200), nullable=False),
        sa.Column("at", sa.Float, nullable=False),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
    )
    op.create_table(
        "baselines",
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("updated_at", sa.Float, nullable=False),
    )
    op.create_table(
        "heartbeats",
        sa.Column("name", sa.String(200), primary_key=True),
        sa.Column("last_ping_at", sa.Float, nullable=False),
    )
    op.create_table(
        "users",
        sa.Column("name", sa.String(200), primary_key=True),
        sa.Column("password_hash", sa.Text, nullable=False),
    )
    op.create_table(
        "settings",
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )


def downgrade() -> None:
    for table in (
        "settings", "users", "heartbeats", "baselines", "deploys", "outbox", "incidents", "rollups", "results",
        "checks",
    ):  # fmt: skip
        op.drop_table(table)
