"""Log-based alerts: events counted per minute (total, errors, failed LLM calls).

Revision ID: m0002
Revises: m0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "m0002"
down_revision = "m0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "log_counts",
        sa.Column("minute", sa.Integer, primary_key=True),
        sa.Column("total", sa.Integer, nullable=False),
        sa.Column("errors", sa.Integer, nullable=False),
        sa.Column("llm_failures", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("log_counts")
