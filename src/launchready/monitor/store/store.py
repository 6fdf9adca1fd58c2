"""The monitor's database: migrations, the lease-based claim of due checks, result recording with the alert
transition and the outbox in one transaction, baselines, heartbeats, deploy markers, rollups and retention.

Several instances share one PostgreSQL: ``claim_due`` selects due, unleased checks ``FOR UPDATE SKIP
LOCKED`` and, in the same transaction, leases them and moves ``next_due`` one interval on — so a check runs
once per interval whichever instance takes it, and a lease left by a killed instance expires and the check
is run again. SQLite (one machine) gets the same guarantee from ``BEGIN IMMEDIATE``: one writer at a time,
in WAL mode so readers (the dashboard) never wait for it.
"""

from __future__ import annotations

import dataclasses
import json
import random
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

from launchready.monitor.alerts import Alert, AlertPolicy, CheckAlertState, transition
from launchready.monitor.model import CheckResult, MonitorCheck
from launchready.monitor.store.schema import (
    baselines,
    checks,
    deploys,
    heartbeats,
    incidents,
    log_counts,
    outbox,
    results,
    settings,
    users,
)


def engine_url(database: str, base: Path | None = None) -> str:
    """``sqlite:///relative.db`` is taken relative to ``base`` (the config's folder); a libpq DSN
    (``host=... dbname=...``) or ``postgresql://`` URL uses psycopg 3."""
    if database.startswith("sqlite:///") and base is not None:
        path = Path(database.removeprefix("sqlite:///"))
        if not path.is_absolute() and str(path) != ":memory:":
            return f"sqlite:///{base / path}"
    if database.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + database.split("://", 1)[1]
    return database


def _engine(database: str) -> Engine:
    if "=" in database and "://" not in database:  # a libpq keyword DSN
        import psycopg

        return sa.create_engine(
            "postgresql+psycopg://", creator=lambda: psycopg.connect(database, connect_timeout=5),
            pool_size=5, pool_pre_ping=True,
        )  # fmt: skip
    if database.startswith("sqlite"):
        path = database.removeprefix("sqlite:///")
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(database, connect_args={"timeout": 30, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.isolation_level = None  # SQLAlchemy's begin hook below issues BEGIN
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _begin(conn: Connection) -> None:
            # writers take the write lock up front (no lock upgrade deadlock between two writers);
            # readers (the dashboard) start a plain transaction and, in WAL mode, never wait for a writer
            conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.info.get("write") else "BEGIN")

        return engine
    return sa.create_engine(database, pool_size=5, pool_pre_ping=True)


@dataclass(frozen=True)
class Claim:
    check_id: str
    due: float


class Store:
    def __init__(self, database: str, instance: str = "", policy: AlertPolicy | None = None) -> None:
        self.engine = _engine(database)
        self.instance = instance or f"i{random.getrandbits(40):x}"
        self.policy = policy or AlertPolicy()
        self.is_postgres = self.engine.dialect.name == "postgresql"

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def tx(self) -> Iterator[Connection]:
        """A write transaction (``BEGIN IMMEDIATE`` on SQLite)."""
        with self.engine.connect() as conn:
            conn.info["write"] = True
            try:
                with conn.begin():
                    yield conn
            finally:
                conn.info["write"] = False

    # --- schema ----------------------------------------------------------------------------------------
    def migrate(self) -> None:
        """Bring the schema to the newest Alembic revision (idempotent; safe for concurrent instances on
        PostgreSQL thanks to an advisory lock)."""
        from alembic import command
        from alembic.config import Config

        folder = resources.files("launchready.monitor.store") / "migrations"
        cfg = Config()
        cfg.set_main_option("script_location", str(folder))
        with self.engine.begin() as conn:
            if self.is_postgres:
                conn.exec_driver_sql("SELECT pg_advisory_xact_lock(7413001)")
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")

    # --- checks and leases -----------------------------------------------------------------------------
    def sync_checks(
        self, plan: Sequence[MonitorCheck], now: float, jitter: float, rng: random.Random
    ) -> None:
        """Insert new checks with a spread first due time (no thundering herd), update changed ones,
        deactivate checks gone from the config (their history stays)."""
        with self.tx() as conn:
            existing = {row.id: row for row in conn.execute(sa.select(checks.c.id, checks.c.interval_s))}
            wanted = {c.check_id for c in plan}
            for check in plan:
                values = {"kind": check.kind.value, "name": check.name, "target": check.target, "active": 1,
                          "interval_s": check.interval_s}  # fmt: skip
                if check.check_id in existing:
                    conn.execute(checks.update().where(checks.c.id == check.check_id).values(**values))
                    continue
                first = now + rng.uniform(0, check.interval_s * jitter)
                self._insert_ignore(conn, checks, {"id": check.check_id, "next_due": first, **values})
            gone = set(existing) - wanted
            if gone:
                conn.execute(checks.update().where(checks.c.id.in_(gone)).values(active=0))

    def _insert_ignore(self, conn: Connection, table: sa.Table, values: dict[str, Any]) -> int:
        if self.is_postgres:
            from sqlalchemy.dialects.postgresql import insert as pg_insert

            done = conn.execute(pg_insert(table).values(**values).on_conflict_do_nothing())
        else:
            from sqlalchemy.dialects.sqlite import insert as sqlite_insert

            done = conn.execute(sqlite_insert(table).values(**values).on_conflict_do_nothing())
        return done.rowcount

    def claim_due(self, now: float, limit: int, lease_s: float) -> list[Claim]:
        """Lease up to ``limit`` due checks to this instance and move each one's next run an interval on."""
        if limit <= 0:
            return []
        with self.tx() as conn:
            rows = conn.execute(
                sa.select(checks.c.id, checks.c.next_due, checks.c.interval_s)
                .where(checks.c.active == 1, checks.c.next_due <= now)
                .where(sa.or_(checks.c.lease_until.is_(None), checks.c.lease_until < now))
                .order_by(checks.c.next_due)
                .limit(limit)
                .with_for_update(skip_locked=True)
            ).all()
            claims = []
            for row in rows:
                due = row.next_due
                if due + row.interval_s <= now:  # far behind (a restart, an overload): run the latest slot
                    due += int((now - due) // row.interval_s) * row.interval_s
                conn.execute(
                    checks.update().where(checks.c.id == row.id)
                    .values(lease_owner=self.instance, lease_until=now + lease_s, next_due=due + row.interval_s)
                )  # fmt: skip
                claims.append(Claim(row.id, due))
        return claims

    def release_own_leases(self) -> int:
        """At start-up: check leases and alert claims this instance name still holds are from its previous,
        dead process: release them now rather than wait for them to lapse."""
        with self.tx() as conn:
            done = conn.execute(
                checks.update()
                .where(checks.c.lease_owner == self.instance)
                .values(lease_owner=None, lease_until=None)
            )
            conn.execute(  # alerts its dead process claimed and never marked sent: due again now
                outbox.update()
                .where(outbox.c.claimed_by == self.instance, outbox.c.sent_at.is_(None))
                .values(next_attempt_at=time.time())
            )
        return int(done.rowcount)

    def next_due(self) -> float | None:
        with self.engine.connect() as conn:
            return conn.execute(
                sa.select(sa.func.min(checks.c.next_due)).where(checks.c.active == 1)
            ).scalar()

    # --- results ---------------------------------------------------------------------------------------
    def record(self, batch: Sequence[tuple[CheckResult, float | None]]) -> list[Alert]:
        """Write results, apply each alert transition and queue its alerts — all in one transaction."""
        queued: list[Alert] = []
        if not batch:
            return queued
        with self.tx() as conn:
            for result, due in batch:
                conn.execute(
                    results.insert().values(
                        check_id=result.check_id, at=result.at, due=due, state=result.state.value,
                        latency_ms=result.latency_ms, ttft_ms=result.ttft_ms, message=result.message[:2000],
                        instance=self.instance,
                    )
                )  # fmt: skip
                row = conn.execute(sa.select(checks).where(checks.c.id == result.check_id)).first()
                if row is None:
                    continue
                hint = None
                if row.incident_id is None:
                    hint = conn.execute(
                        incidents.insert().values(
                            check_id=result.check_id, started_at=result.at, message=result.message[:2000]
                        )
                    ).inserted_primary_key[0]  # type: ignore[index]
                confirmed = self._quorum(conn, result, row.interval_s)
                move = transition(CheckAlertState.from_row(row), result, self.policy, hint, confirmed)
                if hint is not None and not move.open_incident:
                    conn.execute(incidents.delete().where(incidents.c.id == hint))
                if move.close_incident and row.incident_id is not None:
                    conn.execute(
                        incidents.update().where(incidents.c.id == row.incident_id).values(ended_at=result.at)
                    )
                lease = {"lease_owner": None, "lease_until": None} if row.lease_owner == self.instance else {}
                conn.execute(
                    checks.update().where(checks.c.id == result.check_id).values(
                        **move.state.columns(), last_at=result.at, last_message=result.message[:2000],
                        last_latency_ms=result.latency_ms, last_ttft_ms=result.ttft_ms, **lease
                    )
                )  # fmt: skip
                for alert in move.alerts:
                    if alert.kind == "down":
                        alert = self._with_deploy(conn, alert, move.state.since or result.at)
                    if self.enqueue(conn, alert, result.at):
                        queued.append(alert)
        return queued

    def _quorum(self, conn: Connection, result: CheckResult, interval_s: float) -> bool:
        """M of K: do enough instances' latest results (within two intervals) see this check down?"""
        if self.policy.quorum <= 1 or result.state.value != "down":
            return True
        latest: dict[str, str] = {}
        for row in conn.execute(
            sa.select(results.c.instance, results.c.state)
            .where(results.c.check_id == result.check_id, results.c.at >= result.at - 2 * interval_s)
            .order_by(results.c.at.desc())
        ):  # fmt: skip
            latest.setdefault(row.instance, row.state)
            if len(latest) >= self.policy.quorum_of:
                break
        return sum(state == "down" for state in latest.values()) >= self.policy.quorum

    def _with_deploy(self, conn: Connection, alert: Alert, started: float) -> Alert:
        """ "errors started 2 minutes after deploy v1.2.3": the last deploy in the day before the failure."""
        row = conn.execute(
            sa.select(deploys.c.version, deploys.c.at).where(deploys.c.at <= started, deploys.c.at > started - 86_400)
            .order_by(deploys.c.at.desc()).limit(1)
        ).first()  # fmt: skip
        if row is None:
            return alert
        minutes = max(0, round((started - row.at) / 60))
        note = f"errors started {minutes} minute{'s' if minutes != 1 else ''} after deploy {row.version}"
        return dataclasses.replace(alert, body=f"{alert.body}. {note}")

    def enqueue(self, conn: Connection, alert: Alert, now: float) -> bool:
        values = {"key": alert.key, "check_id": alert.check_id, "kind": alert.kind, "title": alert.title,
                  "body": alert.body, "created_at": now, "next_attempt_at": now}  # fmt: skip
        return self._insert_ignore(conn, outbox, values) > 0

    # --- outbox ----------------------------------------------------------------------------------------
    def claim_outbox(self, now: float, limit: int, lease_s: float) -> list[Any]:
        with self.tx() as conn:
            rows = conn.execute(
                sa.select(outbox).where(outbox.c.sent_at.is_(None), outbox.c.next_attempt_at <= now)
                .order_by(outbox.c.id).limit(limit).with_for_update(skip_locked=True)
            ).all()  # fmt: skip
            for row in rows:
                conn.execute(
                    outbox.update().where(outbox.c.id == row.id)
                    .values(next_attempt_at=now + lease_s, claimed_by=self.instance)
                )  # fmt: skip
        return list(rows)

    def mark_sent(self, alert_id: int, now: float) -> None:
        with self.tx() as conn:
            conn.execute(outbox.update().where(outbox.c.id == alert_id).values(sent_at=now, last_error=None))

    def mark_failed(self, alert_id: int, attempts: int, retry_at: float, error: str) -> None:
        with self.tx() as conn:
            conn.execute(
                outbox.update().where(outbox.c.id == alert_id)
                .values(attempts=attempts, next_attempt_at=retry_at, last_error=error[:500])
            )  # fmt: skip

    def queue_alert(self, alert: Alert, now: float) -> bool:
        with self.tx() as conn:
            return self.enqueue(conn, alert, now)

    # --- baselines and heartbeats (the probes' state) --------------------------------------------------
    def get_baseline(self, key: str) -> dict[str, Any] | None:
        with self.engine.connect() as conn:
            value = conn.execute(sa.select(baselines.c.value).where(baselines.c.key == key)).scalar()
        return json.loads(value) if value else None

    def put_baseline(self, key: str, value: dict[str, Any]) -> None:
        with self.tx() as conn:
            text, now = json.dumps(value, sort_keys=True, default=str), time.time()
            if not self._insert_ignore(conn, baselines, {"key": key, "value": text, "updated_at": now}):
                conn.execute(
                    baselines.update().where(baselines.c.key == key).values(value=text, updated_at=now)
                )

    def last_ping(self, name: str) -> float | None:
        with self.engine.connect() as conn:
            value = conn.execute(
                sa.select(heartbeats.c.last_ping_at).where(heartbeats.c.name == name)
            ).scalar()
        return float(value) if value is not None else None

    def ping(self, name: str, now: float) -> None:
        with self.tx() as conn:
            if not self._insert_ignore(conn, heartbeats, {"name": name, "last_ping_at": now}):
                conn.execute(heartbeats.update().where(heartbeats.c.name == name).values(last_ping_at=now))

    # --- log counts ------------------------------------------------------------------------------------
    def add_log_counts(self, minute: int, total: int, errors: int, llm_failures: int) -> None:
        with self.tx() as conn:
            values = {"minute": minute, "total": total, "errors": errors, "llm_failures": llm_failures}
            if not self._insert_ignore(conn, log_counts, values):
                conn.execute(
                    log_counts.update().where(log_counts.c.minute == minute).values(
                        total=log_counts.c.total + total, errors=log_counts.c.errors + errors,
                        llm_failures=log_counts.c.llm_failures + llm_failures,
                    )
                )  # fmt: skip

    def log_window(self, since: float) -> tuple[int, int, int]:
        """(events, errors, failed LLM calls) counted since ``since`` (whole minutes)."""
        with self.engine.connect() as conn:
            row = conn.execute(
                sa.select(sa.func.sum(log_counts.c.total), sa.func.sum(log_counts.c.errors),
                          sa.func.sum(log_counts.c.llm_failures))
                .where(log_counts.c.minute >= int(since // 60))
            ).one()  # fmt: skip
        return int(row[0] or 0), int(row[1] or 0), int(row[2] or 0)

    # --- deploy markers --------------------------------------------------------------------------------
    def mark_deploy(self, version: str, now: float, note: str = "") -> int:
        with self.tx() as conn:
            done = conn.execute(deploys.insert().values(version=version, at=now, note=note))
            key = done.inserted_primary_key
            assert key is not None
            return int(key[0])

    def deploys(self, since: float = 0.0, limit: int = 100) -> list[Any]:
        with self.engine.connect() as conn:
            return list(
                conn.execute(
                    sa.select(deploys).where(deploys.c.at >= since).order_by(deploys.c.at.desc()).limit(limit)
                )
            )

    def deploy_before(self, at: float) -> Any | None:
        with self.engine.connect() as conn:
            return conn.execute(
                sa.select(deploys).where(deploys.c.at <= at).order_by(deploys.c.at.desc()).limit(1)
            ).first()

    # --- settings and users ----------------------------------------------------------------------------
    def setting(self, key: str, default: str) -> str:
        """A stored setting, created with ``default`` the first time (e.g. the cookie signing key)."""
        with self.tx() as conn:
            self._insert_ignore(conn, settings, {"key": key, "value": default})
            return str(conn.execute(sa.select(settings.c.value).where(settings.c.key == key)).scalar())

    def set_user(self, name: str, password_hash: str) -> None:
        with self.tx() as conn:
            if not self._insert_ignore(conn, users, {"name": name, "password_hash": password_hash}):
                conn.execute(users.update().where(users.c.name == name).values(password_hash=password_hash))

    def password_hash(self, name: str) -> str | None:
        with self.engine.connect() as conn:
            value = conn.execute(sa.select(users.c.password_hash).where(users.c.name == name)).scalar()
        return str(value) if value is not None else None

    # --- aggregation and retention ---------------------------------------------------------------------
    def roll_up(self, now: float, retention_days: int) -> int:
        """Fold finished hours into ``rollups`` and prune (``store/rollup.py``)."""
        from launchready.monitor.store.rollup import roll_up

        return roll_up(self, now, retention_days)


def percentile(values: Sequence[float], pct: float) -> float | None:
    """Nearest-rank percentile of sorted ``values``."""
    if not values:
        return None
    rank = max(1, min(len(values), round(pct / 100 * len(values) + 0.5)))
    return float(values[rank - 1])
