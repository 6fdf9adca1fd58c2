"""Alert delivery over time, with a fake clock: a channel down for five minutes gets the alert once it is
back (backoff capped at five minutes), exactly once; heartbeats judged by their age."""

from __future__ import annotations

import asyncio
from pathlib import Path

from launchready.monitor.alerts import Alert
from launchready.monitor.model import CheckKind, CheckState, MonitorCheck
from launchready.monitor.notify import BACKOFF_MAX_S, NotifyError, dispatch_once
from launchready.monitor.probes import MemoryState, ProbeContext, probe_heartbeat
from launchready.monitor.store import Store


class FlakyChannel:
    def __init__(self, down_until: float, clock: list[float]) -> None:
        self.down_until = down_until
        self.clock = clock
        self.attempts: list[float] = []
        self.delivered: list[tuple[float, str]] = []

    async def send(self, title: str, body: str) -> None:
        self.attempts.append(self.clock[0])
        if self.clock[0] < self.down_until:
            raise NotifyError("503 from the channel")
        self.delivered.append((self.clock[0], title))


def test_a_channel_down_for_five_minutes_gets_the_alert_after_exactly_once(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path}/m.db")
    store.migrate()
    now = [1000.0]
    assert store.queue_alert(Alert("route:a:down:1", "down", "route:a", "DOWN route:a", "b"), now[0])
    assert not store.queue_alert(Alert("route:a:down:1", "down", "route:a", "DOWN route:a", "b"), now[0])
    channel = FlakyChannel(down_until=1300.0, clock=now)

    async def run_for(seconds: int) -> None:
        for _ in range(seconds):  # the dispatcher's one-second loop, on a fake clock
            await dispatch_once(store, channel, clock=lambda: now[0])
            now[0] += 1.0

    asyncio.run(run_for(1200))
    assert len(channel.delivered) == 1 and channel.delivered[0][1] == "DOWN route:a"
    delivered_at = channel.delivered[0][0]
    assert 1300 <= delivered_at <= 1300 + BACKOFF_MAX_S
    assert 5 <= len(channel.attempts) <= 12  # backed off, not hammered once a second


def test_heartbeats_are_judged_by_the_age_of_the_last_ping() -> None:
    state = MemoryState()
    check = MonitorCheck(
        "heartbeat:backup", CheckKind.HEARTBEAT, "backup", "backup", 3600, {"period_s": 3600, "grace_s": 300}
    )
    ctx = ProbeContext(
        config=None, http=None, tls=None, chat=None, options=None,  # type: ignore[arg-type]
        baselines=state, heartbeats=state, clock=lambda: 10_000.0,
    )  # fmt: skip
    assert asyncio.run(probe_heartbeat(ctx, check)).state is CheckState.UNKNOWN
    state.pings["backup"] = 10_000.0 - 3000
    assert asyncio.run(probe_heartbeat(ctx, check)).state is CheckState.UP
    state.pings["backup"] = 10_000.0 - 4000
    late = asyncio.run(probe_heartbeat(ctx, check))
    assert late.state is CheckState.DOWN and "over the 3900 s allowed" in late.message
