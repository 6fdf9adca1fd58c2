"""Read-only PostgreSQL review: slow statements, scans, missing FK indexes, unused indexes, sessions."""

from launchready.checks.database.check import DatabaseReview, review_database
from launchready.checks.database.review import ReviewThresholds
from launchready.checks.database.rules import DATABASE_RULES

__all__ = ["DATABASE_RULES", "DatabaseReview", "ReviewThresholds", "review_database"]
