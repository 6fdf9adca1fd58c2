"""The store on its own: Alembic brings an empty database to the newest revision (and is idempotent), SQLite
runs in WAL mode, hourly roll-ups and retention, and a claim moves a check one interval on."""

from __future__ import annotations

import random
from pathlib import Path

import sqlalchemy as sa

from launchready.monitor.model import CheckKind, CheckResult, CheckState, MonitorCheck
from launchready.monitor.store import Store
from launchready.monitor.store.schema import results, rollups

HOUR = 3600.0


def _store(tmp_path: Path) -> Store:
    store = Store(f"sqlite:///{tmp_path}/m.db", instance="me")
    store.migrate()
    store.migrate()  # a second start changes nothing
    return store


def test_migrations_reach_the_newest_revision_in_wal_mode(tmp_path: Path) -> None:
    store = _store(tmp_path)
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == "m0003"
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        tables = set(sa.inspect(conn).get_table_names())
    assert {"checks", "results", "rollups", "incidents", "outbox", "deploys", "log_counts"} <= tables


def test_finished_hours_roll_up_and_old_raw_results_are_pruned(tmp_path: Path) -> None:
    store = _store(tmp_path)
    now = 1000 * HOUR + 600  # ten minutes into hour 1000
    batch = []
    for minute in range(60):  # hour 999: 57 up, 3 down, latencies 10..69 ms
        state = CheckState.DOWN if minute < 3 else CheckState.UP
        at = 999 * HOUR + minute * 60
        batch.append(
            (CheckResult("route:a", CheckKind.ROUTE, "t", state, "m", at, latency_ms=10.0 + minute), None)
        )
    batch.append(
        (CheckResult("route:a", CheckKind.ROUTE, "t", CheckState.UP, "m", now - 60, latency_ms=5.0), None)
    )
    batch.append((CheckResult("route:a", CheckKind.ROUTE, "t", CheckState.UP, "m", now - 40 * 86_400), None))
    store.record(batch)
    assert store.roll_up(now, retention_days=30) == 2  # hour 999 and the 40-day-old hour; not the open hour
    assert store.roll_up(now, retention_days=30) == 0  # nothing twice
    with store.engine.connect() as conn:
        row = conn.execute(sa.select(rollups).where(rollups.c.hour == 999)).one()
        raw = conn.execute(sa.select(sa.func.count()).select_from(results)).scalar()
    assert (row.total, row.up, row.down) == (60, 57, 3)
    assert row.latency_p50 == 39.5 and row.latency_p95 == 67.0  # nearest rank: the 58th of 60
    assert raw == 61  # the 40-day-old raw result is gone, its rollup kept


def test_a_claim_leases_the_check_and_moves_it_one_interval_on(tmp_path: Path) -> None:
    store = _store(tmp_path)
    check = MonitorCheck("route:a", CheckKind.ROUTE, "a", "t", 60.0)
    store.sync_checks([check], 100.0, 0.0, random.Random(1))  # jitter 0: due at once
    first = store.claim_due(100.0, 10, 30)
    assert [c.check_id for c in first] == ["route:a"] and first[0].due == 100.0
    assert store.claim_due(101.0, 10, 30) == []  # leased, and not due again before 160
    assert store.claim_due(131.0, 10, 30) == []  # lease expired, still not due
    assert [c.due for c in store.claim_due(160.5, 10, 30)] == [160.0]
    assert [c.due for c in store.claim_due(500.0, 10, 30)] == [460.0]  # far behind: missed slots skipped


def test_m_of_k_instances_must_agree_before_a_down_alert(tmp_path: Path) -> None:
    from launchready.monitor.alerts import AlertPolicy

    policy = AlertPolicy(down_after=1, quorum=2, quorum_of=3)
    a = Store(f"sqlite:///{tmp_path}/m.db", instance="a", policy=policy)
    a.migrate()
    b = Store(f"sqlite:///{tmp_path}/m.db", instance="b", policy=policy)
    a.sync_checks([MonitorCheck("route:x", CheckKind.ROUTE, "x", "t", 60.0)], 1000.0, 0.0, random.Random(1))

    def result(state: CheckState, at: float) -> list[tuple[CheckResult, float | None]]:
        return [(CheckResult("route:x", CheckKind.ROUTE, "t", state, str(state), at), None)]

    assert b.record(result(CheckState.UP, 1000.0)) == []
    assert a.record(result(CheckState.DOWN, 1010.0)) == []  # only a sees it down: a's network, maybe
    assert [x.kind for x in b.record(result(CheckState.DOWN, 1060.0))] == ["down"]  # now two agree
    assert [x.kind for x in a.record(result(CheckState.UP, 1070.0))] == ["recovered"]


def test_a_restarted_instance_takes_back_its_own_unsent_alert_claims_at_once(tmp_path: Path) -> None:
    from launchready.monitor.alerts import Alert

    first = _store(tmp_path)
    assert first.queue_alert(Alert("k", "down", "route:a", "DOWN route:a", "b"), 100.0)
    assert [row.key for row in first.claim_outbox(100.0, 10, 60)] == ["k"]  # then the process dies
    other = Store(f"sqlite:///{tmp_path}/m.db", instance="someone-else")
    other.release_own_leases()
    assert other.claim_outbox(101.0, 10, 60) == []  # another instance's claim is respected
    again = Store(f"sqlite:///{tmp_path}/m.db", instance="me")
    again.release_own_leases()
    assert [row.key for row in again.claim_outbox(time_now(), 10, 60)] == ["k"]


def time_now() -> float:
    import time

    return time.time() + 1
