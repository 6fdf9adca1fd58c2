"""Log-based alerts: events classified, a tailed JSON-lines file (with rotation) and the authenticated
ingest endpoint feed one count; a spike of errors or failed LLM calls alerts, too few events judge nothing."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

import pytest
from alert_sink import AlertSink
from monitor_process import wait_for

from launchready.config import LaunchConfig, load_config
from launchready.config.model import LogAlertConfig, MonitorConfig
from launchready.engine import RunOptions, Selection
from launchready.monitor.alerts import AlertPolicy
from launchready.monitor.logs import LogTail, classify, count_lines
from launchready.monitor.model import CheckState
from launchready.monitor.once import monitor_once, probe_context
from launchready.monitor.plan import monitor_plan
from launchready.monitor.service import Scheduler
from launchready.monitor.store import Store


def _line(**event: object) -> str:
    return json.dumps(event) + "\n"


def test_classify_errors_and_failed_llm_calls() -> None:
    assert classify({"level": "ERROR", "msg": "boom"}) == (True, False)
    assert classify({"status": 503}) == (True, False)
    assert classify({"event": "llm_call", "ok": False, "level": "warning"}) == (False, True)
    assert classify({"event": "llm_call", "ok": True, "level": "info"}) == (False, False)
    assert classify({"level": "info", "status": 200}) == (False, False)
    assert count_lines(["not json", "[1]", _line(level="error"), _line(level="info")]).total == 2


def test_the_tail_reads_only_new_lines_and_follows_rotation(tmp_path: Path) -> None:
    path = tmp_path / "app.jsonl"
    path.write_text(_line(level="error") * 5, encoding="utf-8")
    tail = LogTail(path)
    assert tail.read() == []  # what was there before the monitor started is not counted
    with path.open("a", encoding="utf-8") as handle:
        handle.write(_line(level="error") + '{"level": "in')  # a half-written line waits
    assert len(tail.read()) == 1
    with path.open("a", encoding="utf-8") as handle:
        handle.write('fo"}\n')
    assert [json.loads(line)["level"] for line in tail.read()] == ["info"]
    path.rename(tmp_path / "app.jsonl.1")
    path.write_text(_line(level="info") * 3, encoding="utf-8")
    assert len(tail.read()) == 3


def _config(tmp_path: Path, sink: AlertSink, log_file: Path | None) -> LaunchConfig:
    path = tmp_path / "launchready.toml"
    path.write_text('[product]\nname = "Logs"\ndomain = "chatbot.test"\n', encoding="utf-8")
    logs = LogAlertConfig(
        enabled=True, file=log_file, window_s=60, min_events=10, error_rate=0.2, llm_failures=3
    )
    monitor = MonitorConfig(interval_s=1, down_after=1, alert_urls=(sink.url,), listen="", logs=logs)
    return load_config(path).model_copy(update={"monitor": monitor})


def test_an_error_spike_in_a_tailed_file_alerts_and_a_quiet_log_does_not(tmp_path: Path) -> None:
    log_file = tmp_path / "app.jsonl"
    log_file.write_text("", encoding="utf-8")
    with AlertSink() as sink:
        config = _config(tmp_path, sink, log_file)
        store = Store(f"sqlite:///{tmp_path}/m.db", policy=AlertPolicy.from_config(config.monitor))
        store.migrate()
        plan = [c for c in monitor_plan(config) if c.check_id.startswith("logs:")]
        assert [c.check_id for c in plan] == ["logs:errors", "logs:llm"]

        async def run() -> None:
            stop = asyncio.Event()
            async with probe_context(config, RunOptions(deadline_s=30), store, store) as ctx:
                task = asyncio.create_task(Scheduler(config, store, plan).run(ctx, stop))
                await asyncio.sleep(1.0)  # the tail starts at the file's end, like tail -F
                with log_file.open("a", encoding="utf-8") as handle:  # healthy traffic first
                    handle.write(_line(level="info", status=200) * 30 + _line(level="error"))
                await asyncio.sleep(2.5)
                assert sink.received == []
                with log_file.open("a", encoding="utf-8") as handle:  # then the provider fails
                    handle.write(_line(event="llm_call", ok=False, level="error", status=502) * 12)
                await asyncio.to_thread(wait_for, lambda: len(sink.received) >= 2, 15, "two alerts")
                stop.set()
                await asyncio.wait_for(task, 15)

        asyncio.run(run())
    assert sorted(sink.titles()) == ["DOWN logs:errors", "DOWN logs:llm"]
    bodies = " ".join(str(item["message"]) for item in sink.received)
    assert "13 of 43 events" in bodies and "12 failed LLM calls" in bodies


def test_too_few_events_give_no_verdict_and_once_without_a_store_says_so(tmp_path: Path) -> None:
    with AlertSink() as sink:
        config = _config(tmp_path, sink, None)
        store = Store(f"sqlite:///{tmp_path}/m.db")
        store.migrate()
        store.add_log_counts(int(time.time() // 60), 4, 4, 0)
        options = RunOptions(deadline_s=30, selection=Selection(only=("monitor.logs",)))
        _, results = asyncio.run(monitor_once(config, options, store, store))
        by_id = {r.check_id: r for r in results}
        assert by_id["logs:errors"].state is CheckState.UNKNOWN and "too few" in by_id["logs:errors"].message
        assert by_id["logs:llm"].state is CheckState.UP
        _, bare = asyncio.run(monitor_once(config, options))
        assert {r.state for r in bare} == {CheckState.UNKNOWN}


@pytest.mark.parametrize("body", ["lines", "array"])
async def test_the_ingest_endpoint_counts_events_with_the_token(
    tmp_path: Path, body: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from aiohttp.test_utils import TestClient, TestServer

    from launchready.monitor.web import MonitorWeb

    with AlertSink() as sink:
        config = _config(tmp_path, sink, None)
    monkeypatch.setenv(config.monitor.token_env, "tok")
    store = Store(f"sqlite:///{tmp_path}/m.db")
    store.migrate()
    events: list[dict[str, object]] = [{"level": "error"}, {"event": "llm", "ok": False}, {"level": "info"}]
    data = json.dumps(events) if body == "array" else "".join(_line(**e) for e in events)
    async with TestClient(TestServer(MonitorWeb(config, store).app())) as client:
        assert (await client.post("/api/logs", data=data)).status == 401
        response = await client.post("/api/logs", data=data, headers={"Authorization": "Bearer tok"})
        assert response.status == 200
        assert await response.json() == {"events": 3, "errors": 1, "llm_failures": 1}
    assert store.log_window(time.time() - 60) == (3, 1, 1)
