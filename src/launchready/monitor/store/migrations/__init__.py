"""Alembic migrations of the monitor's database (run by ``Store.migrate``, never by hand)."""
