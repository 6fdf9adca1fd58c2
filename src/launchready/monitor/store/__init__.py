"""The monitor's storage: SQLAlchemy 2 Core over SQLite (WAL, the default) or PostgreSQL (by DSN)."""

from launchready.monitor.store.store import Store, engine_url

__all__ = ["Store", "engine_url"]
