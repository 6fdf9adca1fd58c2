"""The foreground monitor against the lab, in-process with SQLite: a host goes down → one alert after N
failures (naming the deploy that preceded it), recovery notice when it comes back; an alert channel that is
down gets the alert once it is back; results are kept while the database is away; every check runs once
per interval."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from alert_sink import AlertSink

from launchready.config import LaunchConfig
from launchready.config.model import MonitorConfig
from launchready.lab import Lab
from launchready.lab.route_fault import broken_route
from launchready.monitor import notify
from launchready.monitor.alerts import AlertPolicy
from launchready.monitor.once import probe_context
from launchready.monitor.plan import monitor_plan
from launchready.monitor.service import Scheduler
from launchready.monitor.store import Store
from launchready.monitor.store.schema import outbox, results

API = "api.chatbot.test"


def _config(lab: Lab, sink: AlertSink, **monitor: object) -> LaunchConfig:
    settings = {"interval_s": 1.0, "down_after": 2, "alert_urls": (sink.url,), "listen": "", **monitor}
    return lab.config.model_copy(update={"monitor": MonitorConfig(**settings)})  # type: ignore[arg-type]


def _store(tmp_path: Path, config: LaunchConfig) -> Store:
    store = Store(f"sqlite:///{tmp_path}/monitor.db", policy=AlertPolicy.from_config(config.monitor))
    store.migrate()
    return store


async def _run_until(
    lab: Lab, config: LaunchConfig, store: Store, done: Callable[[], bool], timeout_s: float = 20.0
) -> Scheduler:
    plan = [c for c in monitor_plan(config) if c.check_id == "route:health"]
    scheduler = Scheduler(config, store, plan)
    stop = asyncio.Event()
    async with probe_context(config, lab.run_options(30), store, store) as ctx:
        task = asyncio.create_task(scheduler.run(ctx, stop))
        deadline = time.monotonic() + timeout_s
        while not done() and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        stop.set()
        await asyncio.wait_for(task, 15)
    return scheduler


def test_down_alert_after_n_failures_names_the_deploy_then_recovery(
    hardened_lab: Lab, tmp_path: Path
) -> None:
    with AlertSink() as sink:
        config = _config(hardened_lab, sink, public_url="https://monitor.chatbot.test/")
        store = _store(tmp_path, config)
        store.mark_deploy("v1.2.3", time.time() - 125)
        with broken_route(hardened_lab, API, "/health", status=500):
            asyncio.run(_run_until(hardened_lab, config, store, lambda: bool(sink.received)))
        asyncio.run(_run_until(hardened_lab, config, store, lambda: len(sink.received) >= 2))
    titles = sink.titles()
    assert titles == ["DOWN route:health", "RECOVERED route:health"], titles
    body = str(sink.received[0]["message"])
    assert "status 500" in body and "2 failures in a row" in body
    assert "errors started 2 minutes after deploy v1.2.3" in body
    assert body.endswith("Playbook: https://monitor.chatbot.test/playbook#route")
    with store.engine.connect() as conn:
        states = [row.state for row in conn.execute(sa.select(results.c.state).order_by(results.c.id))]
    assert states[:2] == ["down", "down"] and states[-1] == "up"


def test_a_channel_that_is_down_gets_the_alert_when_it_is_back(
    hardened_lab: Lab, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(notify, "BACKOFF_BASE_S", 0.5)
    with AlertSink() as sink:
        sink.down = True
        config = _config(hardened_lab, sink, down_after=1)
        store = _store(tmp_path, config)
        with broken_route(hardened_lab, API, "/health", status=500):
            asyncio.run(_run_until(hardened_lab, config, store, lambda: sink.refused >= 2))
            sink.down = False
            asyncio.run(_run_until(hardened_lab, config, store, lambda: bool(sink.received)))
    assert sink.refused >= 2 and sink.titles() == ["DOWN route:health"]
    with store.engine.connect() as conn:
        row = conn.execute(sa.select(outbox)).one()
    assert row.sent_at is not None and row.attempts >= 2 and row.last_error is None


def test_results_wait_in_memory_while_the_database_is_away(hardened_lab: Lab, tmp_path: Path) -> None:
    with AlertSink() as sink:
        config = _config(hardened_lab, sink)
        store = _store(tmp_path, config)
        real_record = store.record
        calls = {"refused": 0}

        def unavailable(batch: object) -> object:
            if calls["refused"] < 3:
                calls["refused"] += 1
                raise sa.exc.OperationalError("INSERT", {}, Exception("database is unavailable"))
            return real_record(batch)  # type: ignore[arg-type]

        store.record = unavailable  # type: ignore[method-assign,assignment]
        scheduler = asyncio.run(
            _run_until(hardened_lab, config, store, lambda: calls["refused"] >= 3, timeout_s=10)
        )
    assert scheduler.stats.write_errors >= 3
    with store.engine.connect() as conn:
        count = conn.execute(sa.select(sa.func.count()).select_from(results)).scalar()
    assert count == scheduler.stats.started >= 1  # every run made while the database was away is written


def test_dmarc_reject_to_none_on_the_lab_zone_raises_an_email_drift_alert(
    hardened_lab: Lab, tmp_path: Path
) -> None:
    from monitor_faults import dmarc_policy

    from launchready.monitor.model import CheckKind, MonitorCheck

    with AlertSink() as sink:
        config = _config(hardened_lab, sink, down_after=1)
        store = _store(tmp_path, config)
        email = [MonitorCheck("email", CheckKind.EMAIL, config.apex, config.apex, 1.0)]

        async def run(done: Callable[[], bool]) -> None:
            scheduler = Scheduler(config, store, email)
            stop = asyncio.Event()
            async with probe_context(config, hardened_lab.run_options(30), store, store) as ctx:
                task = asyncio.create_task(scheduler.run(ctx, stop))
                deadline = time.monotonic() + 30
                while not done() and time.monotonic() < deadline:
                    await asyncio.sleep(0.1)
                stop.set()
                await asyncio.wait_for(task, 30)

        asyncio.run(run(lambda: store.get_baseline("email.posture") is not None))
        assert sink.received == []  # the first run records the last good posture
        with dmarc_policy(hardened_lab, "none"):
            asyncio.run(run(lambda: bool(sink.received)))
    assert sink.titles() == ["DOWN email"]
    assert "DMARC policy weakened (reject -> none)" in str(sink.received[0]["message"])
