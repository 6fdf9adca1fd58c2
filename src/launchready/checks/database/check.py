"""The database review as an audit check: runs when ``[database] dsn`` is set, and as ``launchready db``.

Without a DSN there is nothing to look at: each rule is ``not_assessed``, with the config to add, so the
report says the database was not reviewed instead of dropping its rules. A DSN that cannot be reached is
ONE problem: ``db.connection.failed`` is the root cause, and every other rule is ``unverifiable`` with
``blocked_by`` naming it, so ten findings with unrelated fixes ("add an index", "enable
pg_stat_statements") do not appear for a database nobody saw. The target is the DSN's host, port and
database name: the DSN is parsed and redacted in ``dsn.py`` before anything else sees it.
"""

from __future__ import annotations

import psycopg

from launchready.checks.database.dsn import DsnError, SafeDsn, parse_dsn
from launchready.checks.database.review import ReviewThresholds, review
from launchready.checks.database.rules import CONNECTION_FAILED, DATABASE_RULES
from launchready.checks.database.snapshot import take_snapshot
from launchready.checks.interface import Check
from launchready.engine.context import CheckContext
from launchready.findings import Finding

QUERY_TIMEOUT_S = 5.0
NO_DSN_REASON = (
    'no [database] dsn in the config: add [database] dsn = "postgresql://launchready@<host>/<db>" '
    "(a read-only role with pg_monitor) or run `launchready db --dsn ...` to review the database"
)


async def review_database(
    dsn: str | SafeDsn, thresholds: ReviewThresholds | None = None, timeout_s: float = QUERY_TIMEOUT_S
) -> list[Finding]:
    """Read-only review of the database at ``dsn``; never raises for an unreachable or refusing server.

    A raw DSN is parsed first (``dsn.parse_dsn``); a malformed one is the connection's root cause, with a
    message that names no part of it. Every driver message is redacted before it reaches a finding."""
    thresholds = thresholds or ReviewThresholds()
    if isinstance(dsn, str):
        try:
            dsn = parse_dsn(dsn)
        except DsnError as exc:
            return connection_failed("postgresql (malformed DSN)", str(exc))
    target = dsn.target
    try:
        snapshot = await take_snapshot(
            dsn,
            min_seq_rows=thresholds.min_seq_rows,
            timeout_s=timeout_s,
            min_dead_rows=thresholds.bloat_min_dead_rows,
            dead_ratio=thresholds.bloat_dead_ratio,
        )
    except (psycopg.OperationalError, OSError) as exc:
        return connection_failed(target, dsn.redact(f"{type(exc).__name__}: {_first_line(str(exc))}"))
    except psycopg.Error as exc:  # connected, then a statistics query failed: say so, not "cannot connect"
        cause = dsn.redact(f"{type(exc).__name__}: {_first_line(str(exc))}")
        return connection_failed(target, cause, connected=True)
    return review(snapshot, target, thresholds)


def connection_failed(target: str, cause: str, *, connected: bool = False) -> list[Finding]:
    """One root cause, and every other rule unverifiable under it."""
    what = (
        f"connected to {target}, but reading its statistics failed"
        if connected
        else f"cannot connect to {target}"
    )
    root = CONNECTION_FAILED.unverifiable(target, f"{what}: {cause}")
    blocked = f"not checked: {what} ({cause})"
    return [
        root,
        *(
            spec.unverifiable(target, blocked, blocked_by=root.key)
            for spec in DATABASE_RULES
            if spec is not CONNECTION_FAILED
        ),
    ]


def not_configured(target: str) -> list[Finding]:
    return [spec.not_assessed(target, NO_DSN_REASON) for spec in DATABASE_RULES]


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
            return not_configured(f"{ctx.config.apex} database")
        return await review_database(dsn)
