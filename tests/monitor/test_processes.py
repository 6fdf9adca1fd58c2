"""``launchready monitor`` as real processes: kill -9 during checks and a restart lose no recorded result and
send no alert twice (the outbox); two instances on one PostgreSQL run each check once per interval."""

from __future__ import annotations

import signal
import time
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa
from alert_sink import AlertSink
from monitor_process import TargetServer, start_monitor, stop, wait_for, write_config

from launchready.monitor.store import Store
from launchready.monitor.store.schema import outbox, results


def _count(store: Store, query: sa.Select[int]) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(query).scalar() or 0)


def _duplicate_slots(store: Store) -> list[tuple[str, float, int]]:
    with store.engine.connect() as conn:
        rows = conn.execute(
            sa.select(results.c.check_id, results.c.due, sa.func.count().label("n"))
            .group_by(results.c.check_id, results.c.due).having(sa.func.count() > 1)
        ).all()  # fmt: skip
    return [(r.check_id, r.due, r.n) for r in rows]


def test_kill_9_during_checks_then_restart_loses_nothing_and_alerts_once(tmp_path: Path) -> None:
    with TargetServer(status=500) as target, AlertSink() as sink:
        sink.down = True  # the alerts are queued but cannot leave before the kill
        database = f"sqlite:///{tmp_path}/monitor.db"
        config = write_config(tmp_path, target.port, 3, database, interval_s=1, down_after=2, timeout_s=2,
                              alert_urls=[sink.url])  # fmt: skip
        store = Store(database)
        first = start_monitor(config, "host-1", tmp_path / "first.log")
        try:
            wait_for(lambda: sink.refused >= 1, 30, "a refused alert")
            wait_for(
                lambda: _count(store, sa.select(sa.func.count()).select_from(outbox)) >= 3,
                15,
                "3 alerts queued",
            )
        finally:
            stop(first, signal.SIGKILL)
        with store.engine.connect() as conn:
            before = {row.id for row in conn.execute(sa.select(results.c.id))}
        assert len(before) >= 6
        sink.down = False
        second = start_monitor(config, "host-1", tmp_path / "second.log")
        try:
            wait_for(lambda: len(sink.received) >= 3, 40, "the queued alerts after the restart")
            wait_for(
                lambda: _count(store, sa.select(sa.func.count()).select_from(results)) >= len(before) + 6,
                15,
                "new results",
            )
        finally:
            assert stop(second) == 0, (tmp_path / "second.log").read_text()
    titles = sorted(sink.titles())
    assert titles == ["DOWN route:r0", "DOWN route:r1", "DOWN route:r2"], (
        titles
    )  # each once: none lost, none twice
    with store.engine.connect() as conn:
        after = {row.id for row in conn.execute(sa.select(results.c.id))}
    assert before <= after  # every result recorded before the kill is still there
    assert _duplicate_slots(store) == []  # no check ran twice for one slot across the restart


@pytest.fixture
def pg_database(pg_cluster: object) -> str:
    dsn = str(pg_cluster.dsn)  # type: ignore[attr-defined]
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS monitor_two")
        conn.execute("CREATE DATABASE monitor_two")
    return dsn.replace("dbname=postgres", "dbname=monitor_two")


def test_two_instances_on_one_postgresql_run_each_check_once_per_interval(
    tmp_path: Path, pg_database: str
) -> None:
    with TargetServer(status=200) as target:
        config = write_config(tmp_path, target.port, 20, pg_database, interval_s=2, timeout_s=2)
        store = Store(pg_database)
        store.migrate()
        processes = [start_monitor(config, name, tmp_path / f"{name}.log") for name in ("a", "b")]
        try:
            wait_for(
                lambda: _count(store, sa.select(sa.func.count()).select_from(results)) >= 100,
                40,
                "100 results",
            )
        finally:
            codes = [stop(process) for process in processes]
        assert codes == [0, 0], [(tmp_path / f"{n}.log").read_text()[-2000:] for n in ("a", "b")]
        requests = sum(target.hits.values())
    assert _duplicate_slots(store) == []
    with store.engine.connect() as conn:
        total = int(conn.execute(sa.select(sa.func.count()).select_from(results)).scalar() or 0)
        per_instance: dict[str, int] = dict(
            conn.execute(sa.select(results.c.instance, sa.func.count()).group_by(results.c.instance)).all()
        )
    assert requests == total  # every request the targets saw is one recorded result: no run twice, none lost
    assert set(per_instance) == {"a", "b"} and min(per_instance.values()) > 0, per_instance


def test_with_the_database_away_checks_keep_running_and_every_result_is_written_after(
    tmp_path: Path, pg_cluster: object
) -> None:
    admin = str(pg_cluster.dsn)  # type: ignore[attr-defined]
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS monitor_outage")
        conn.execute("CREATE DATABASE monitor_outage")
    dsn = admin.replace("dbname=postgres", "dbname=monitor_outage")
    with TargetServer(status=200) as target:
        config = write_config(tmp_path, target.port, 5, dsn, interval_s=1, timeout_s=2)
        store = Store(dsn)
        store.migrate()
        monitor = start_monitor(config, "solo", tmp_path / "solo.log")
        try:
            wait_for(
                lambda: _count(store, sa.select(sa.func.count()).select_from(results)) >= 10, 30, "10 results"
            )
            store.close()
            with psycopg.connect(admin, autocommit=True) as conn:  # the database goes away for its clients
                conn.execute("ALTER DATABASE monitor_outage ALLOW_CONNECTIONS false")
                conn.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'monitor_outage'"
                )
            before = sum(target.hits.values())
            time.sleep(8)
            during = sum(target.hits.values()) - before
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute("ALTER DATABASE monitor_outage ALLOW_CONNECTIONS true")
            store = Store(dsn)
            wait_for(
                lambda: _count(store, sa.select(sa.func.count()).select_from(results)) >= sum(target.hits.values()),
                30, "the results of the outage written",
            )  # fmt: skip
        finally:
            code = stop(monitor)
        assert code == 0, (tmp_path / "solo.log").read_text()[-3000:]
        requests = sum(target.hits.values())
    assert during >= 5 * 5, during  # 5 checks a second kept running for 8 s without their database
    assert _count(store, sa.select(sa.func.count()).select_from(results)) == requests  # none lost
    assert "scheduling locally" in (tmp_path / "solo.log").read_text()


def test_two_instances_on_one_postgresql_send_each_alert_once(tmp_path: Path, pg_cluster: object) -> None:
    admin = str(pg_cluster.dsn)  # type: ignore[attr-defined]
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS monitor_alerts")
        conn.execute("CREATE DATABASE monitor_alerts")
    dsn = admin.replace("dbname=postgres", "dbname=monitor_alerts")
    with TargetServer(status=500) as target, AlertSink() as sink:
        config = write_config(
            tmp_path, target.port, 6, dsn, interval_s=1, down_after=2, timeout_s=2, alert_urls=[sink.url]
        )
        store = Store(dsn)
        store.migrate()
        processes = [start_monitor(config, name, tmp_path / f"{name}.log") for name in ("a", "b")]
        try:
            wait_for(lambda: len(sink.received) >= 6, 40, "six down alerts")
            time.sleep(3)  # both dispatchers keep polling the outbox: nothing may be sent twice
        finally:
            codes = [stop(process) for process in processes]
        assert codes == [0, 0]
    assert sorted(sink.titles()) == [f"DOWN route:r{i}" for i in range(6)]
    with store.engine.connect() as conn:
        senders = conn.execute(
            sa.select(sa.func.count()).select_from(outbox).where(outbox.c.sent_at.is_not(None))
        ).scalar()
    assert senders == 6
