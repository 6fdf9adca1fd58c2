"""The database review as an audit check: runs when ``[database] dsn`` is set, and as ``launchready db``.

Without a DSN the check has nothing to look at and returns no findings (there is no database to judge,
which is not a failure). With one it can't reach, every rule is ``unverifiable`` with the reason.
"""

from __future__ import annotations

import psycopg

from launchready.checks.database.review import ReviewThresholds, review
from launchready.checks.database.rules import DATABASE_RULES
from launchready.checks.database.snapshot import describe_dsn, take_snapshot
from launchready.checks.interface import Check
from launchready.engine.context import CheckContext
from launchready.findings import Finding

QUERY_TIMEOUT_S = 5.0


async def review_database(
    dsn: str, thresholds: ReviewThresholds | None = None, timeout_s: float = QUERY_TIMEOUT_S
) -> list[Finding]:
    """Read-only review of the database at ``dsn``; never raises for an unreachable or refusing server."""
    thresholds = thresholds or ReviewThresholds()
    target = describe_dsn(dsn)
    try:
        snapshot = await take_snapshot(dsn, min_seq_rows=thresholds.min_seq_rows, timeout_s=timeout_s)
    except psycopg.Error as exc:
        reason = f"cannot review {target}: {type(exc).__name__}: {_first_line(str(exc))}"
        return [rule.unverifiable(target, reason) for rule in DATABASE_RULES]
    return review(snapshot, target, thresholds)


def _first_line(text: str) -> str:
    """psycopg messages can quote the connection string; keep the first line, which does not."""
    return text.strip().splitlines()[0][:300] if text.strip() else "no detail"


class DatabaseReview(Check):
    name = "db.review"
    needs_network = False
    rules = DATABASE_RULES
    timeout_s = 30.0

    async def run(self, ctx: CheckContext) -> list[Finding]:
        dsn = ctx.config.database.dsn
        if not dsn:
            return []
        return await review_database(dsn)
