"""The foreground monitor: schedule every check from the database, record results, send alerts.

One asyncio loop, four tasks: the *scheduler* claims due checks (leases, so several instances share the
work) and starts each under a concurrency limit; the *writer* records results in batches (one transaction
per batch; when the database is unavailable the batch waits in memory and is written when it is back — the
checks keep running); the *dispatcher* sends the outbox; the *roll-up* folds finished hours and prunes.
Every loop is bounded: a probe has a hard timeout, the in-memory buffer a cap (oldest results are dropped
first and counted), and shutdown waits at most ``SHUTDOWN_S``.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import random
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from launchready.config import LaunchConfig
from launchready.engine import RunOptions
from launchready.monitor.model import CheckResult, MonitorCheck
from launchready.monitor.notify import AppriseNotifier, Notifier, dispatch_once
from launchready.monitor.once import check_timeout, probe_context
from launchready.monitor.plan import monitor_plan
from launchready.monitor.probes import ProbeContext, run_probe
from launchready.monitor.store import Store
from launchready.monitor.store.store import Claim

log = logging.getLogger("launchready.monitor")
TICK_S = 0.2
FLUSH_S = 0.5
DISPATCH_S = 1.0
ROLLUP_S = 300.0
SHUTDOWN_S = 10.0
BUFFER_CAP = 200_000


@dataclass
class SchedulerStats:
    started: int = 0
    recorded: int = 0
    dropped: int = 0
    write_errors: int = 0
    local_runs: int = 0
    """Runs scheduled without the database (while it was away)."""
    lateness_s: list[float] = field(default_factory=list)
    """Start minus due time of every run (bounded to the last 100,000)."""


class Scheduler:
    def __init__(
        self,
        config: LaunchConfig,
        store: Store,
        plan: list[MonitorCheck] | None = None,
        notifier: Notifier | None = None,
        clock: Callable[[], float] = time.time,
        rng: random.Random | None = None,
    ) -> None:
        self.config = config
        self.store = store
        self.plan = plan if plan is not None else monitor_plan(config)
        self.by_id = {check.check_id: check for check in self.plan}
        self.notifier = notifier or AppriseNotifier(config.monitor.alert_urls)
        self.clock = clock
        self.rng = rng or random.Random()
        self.stats = SchedulerStats()
        self._pending: list[tuple[CheckResult, float | None]] = []
        self._local_due: dict[str, float] = {}
        self._in_flight: set[asyncio.Task[None]] = set()

    async def run(self, ctx: ProbeContext, stop: asyncio.Event) -> None:
        await asyncio.to_thread(
            self.store.sync_checks, self.plan, self.clock(), self.config.monitor.jitter, self.rng
        )
        await asyncio.to_thread(self.store.release_own_leases)
        loops = [self._schedule(ctx, stop), self._write(stop), self._rollup(stop)]
        if self.config.monitor.logs.file is not None:
            loops.append(self._tail_logs(self.config.monitor.logs.file, stop))
        if self.config.monitor.alert_urls or not isinstance(self.notifier, AppriseNotifier):
            loops.append(self._dispatch(stop))
        await asyncio.gather(*loops)

    async def _schedule(self, ctx: ProbeContext, stop: asyncio.Event) -> None:
        limit = self.config.monitor.concurrency
        lease_s = max(check_timeout(self.config, c) for c in self.plan) + 5 if self.plan else 60.0
        running: set[str] = set()
        while not stop.is_set():
            free = limit - len(self._in_flight)
            now = self.clock()
            try:
                claims = await asyncio.to_thread(self.store.claim_due, now, free, lease_s)
                self._local_due.clear()  # the database is back: it schedules again
            except Exception as exc:  # the database is away: schedule locally so the checks keep running
                if not self._local_due:
                    log.warning("claiming due checks failed (%s): scheduling locally until it is back", exc)
                claims = self._claim_locally(now, free, running)
                self.stats.local_runs += len(claims)
            for claim in claims:
                check = self.by_id.get(claim.check_id)
                if check is None:
                    continue
                running.add(check.check_id)
                task = asyncio.create_task(self._run_one(ctx, check, claim.due))
                self._in_flight.add(task)
                task.add_done_callback(self._in_flight.discard)
                task.add_done_callback(functools.partial(_forget, running, check.check_id))
            await _sleep_or_stop(stop, TICK_S)
        if self._in_flight:
            await asyncio.wait(self._in_flight, timeout=SHUTDOWN_S)

    def _claim_locally(self, now: float, limit: int, running: set[str]) -> list[Claim]:
        """The schedule without the database: each check every interval from when the outage began (every
        instance then runs every check — duplicates across instances beat silence during an outage)."""
        if not self._local_due:
            self._local_due = {c.check_id: now + self.rng.uniform(0, c.interval_s * 0.1) for c in self.plan}
        claims: list[Claim] = []
        for check in self.plan:
            due = self._local_due[check.check_id]
            if len(claims) >= limit:
                break
            if due <= now and check.check_id not in running:
                claims.append(Claim(check.check_id, due))
                self._local_due[check.check_id] = due + check.interval_s * (
                    1 + int((now - due) // check.interval_s)
                )
        return claims

    async def _run_one(self, ctx: ProbeContext, check: MonitorCheck, due: float) -> None:
        started = self.clock()
        self.stats.started += 1
        lateness = self.stats.lateness_s
        lateness.append(max(0.0, started - due))
        if len(lateness) > 100_000:
            del lateness[:50_000]
        result = await run_probe(ctx, check, check_timeout(self.config, check))
        self._pending.append((result, due))
        if len(self._pending) > BUFFER_CAP:
            drop = len(self._pending) - BUFFER_CAP
            del self._pending[:drop]
            self.stats.dropped += drop

    async def _write(self, stop: asyncio.Event) -> None:
        while True:
            stopping = stop.is_set() and not self._in_flight
            batch, self._pending = self._pending, []
            if batch:
                try:
                    await asyncio.to_thread(self.store.record, batch)
                    self.stats.recorded += len(batch)
                except Exception as exc:  # keep the results; write them when the database is back
                    self.stats.write_errors += 1
                    log.warning("recording %d results failed (kept for retry): %s", len(batch), exc)
                    self._pending[:0] = batch
                    if stopping:
                        return
            if stopping and not self._pending:
                return
            await asyncio.sleep(FLUSH_S)

    async def _dispatch(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                await dispatch_once(self.store, self.notifier, self.clock, link=self._playbook_link)
            except Exception as exc:
                log.warning("sending alerts failed: %s", exc)
            await _sleep_or_stop(stop, DISPATCH_S)

    async def _tail_logs(self, path: Path, stop: asyncio.Event) -> None:
        """Count new JSON-lines events each second into the store; counts wait while the database is away."""
        from launchready.monitor.logs import LogCounts, LogTail, count_lines

        tail, pending, minute = LogTail(path), LogCounts(), int(self.clock() // 60)
        while not stop.is_set():
            lines = await asyncio.to_thread(tail.read)
            pending.add(count_lines(lines))
            if pending.total:
                try:
                    await asyncio.to_thread(
                        self.store.add_log_counts, minute, pending.total, pending.errors, pending.llm_failures
                    )
                    pending = LogCounts()
                except Exception as exc:
                    log.warning("recording log counts failed (kept for retry): %s", exc)
            minute = int(self.clock() // 60)
            await _sleep_or_stop(stop, 1.0)

    def _playbook_link(self, check_id: str) -> str:
        from launchready.monitor.playbook import playbook_link

        return playbook_link(self.config, check_id)

    async def _rollup(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                await asyncio.to_thread(self.store.roll_up, self.clock(), self.config.monitor.retention_days)
            except Exception as exc:
                log.warning("roll-up failed: %s", exc)
            await _sleep_or_stop(stop, ROLLUP_S)


def _forget(running: set[str], check_id: str, _task: asyncio.Task[None]) -> None:
    running.discard(check_id)


async def _sleep_or_stop(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)


def selected_plan(config: LaunchConfig, options: RunOptions) -> list[MonitorCheck]:
    """The config's checks that ``--only``/``--skip`` keep."""
    from launchready.monitor.once import RULES

    wanted = options.selection.wants_rule
    return [c for c in monitor_plan(config) if wanted(RULES[c.kind].rule_id, RULES[c.kind].stage)]


async def serve(config: LaunchConfig, options: RunOptions, store: Store, stop: asyncio.Event) -> None:
    """Scheduler, writer, dispatcher and (with ``[monitor] listen``) the web side, until ``stop``."""
    async with probe_context(config, options, store, store) as ctx:
        scheduler = Scheduler(config, store, selected_plan(config, options))
        tasks = [scheduler.run(ctx, stop)]
        if config.monitor.listen:
            from launchready.monitor.web import serve_web

            tasks.append(serve_web(config, store, stop))
        await asyncio.gather(*tasks)


def run_service(config: LaunchConfig, options: RunOptions, store: Store) -> int:
    """Run until SIGINT or SIGTERM; exit status 0."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await serve(config, options, store, stop)

    asyncio.run(main())
    store.close()
    return 0
