"""Slow chats do not slow down health and login (roadmap stage 5: isolate the LLM path).

The classic launch-day outage: a sync LLM SDK called from ``async def`` (or one small worker pool shared by
chat and everything else) makes the whole API as slow as its slowest chat, so the load balancer's health
check fails and nobody can log in. The probe measures the p95 of the health and login routes idle, then
again while ``isolation_slow_chats`` chats stream, and fails a route whose p95 grew more than
``isolation_ratio`` times *and* by more than ``isolation_floor_ms`` (the floor keeps a 2 ms → 5 ms wobble
from counting), in two rounds in a row: a failure is measured again before it is reported. Latency is the
time to the response headers. A 429 on login still counts as a sample: it is the time the server took.

The load must be real: each slow chat is read as it streams, and a chat counts only once its first answer
token arrived. Sampling starts when every one of the ``isolation_slow_chats`` chats has streamed (or after
``STREAM_WAIT_MAX_S``); fewer streaming chats than asked for — a mistyped chat route answering 404, a
refusing template, a rate limit — is ``unverifiable``, never "N chats streaming … pass".
"""

from __future__ import annotations

import asyncio
import contextlib
import statistics
import time
from dataclasses import dataclass, field

from launchready.checks.performance.probe import (
    NO_CHAT_ROUTE,
    PerformanceProbe,
    chat_route,
    first_route,
    login_body,
    stream_chat,
)
from launchready.config.model import RouteConfig, RouteRole
from launchready.engine.context import CheckContext
from launchready.findings import Finding, Status
from launchready.net import NetError
from launchready.rules import rule

WARMUP_S = 0.4
"""Time given to the slow chats to reach the model before sampling starts."""
SAMPLE_GAP_S = 0.03
"""Pause between two samples, so the loaded samples spread over the chats' streaming phase."""
PHASE_BUDGET_S = 2.0
"""Sampling stops after this long (given ``MIN_SAMPLES`` per route): starved routes are slow to time."""
MIN_SAMPLES = 3
STREAM_WAIT_MAX_S = 10.0
"""Longest wait for every slow chat's first token before sampling (capped by the chat timeout)."""
RETRY_GAP_S = 0.2
"""Pause before a chat worker tries again after a chat that streamed nothing."""

ISOLATION_DEGRADED = rule("perf.isolation.degraded")


def p95(samples: list[float]) -> float:
    if len(samples) == 1:
        return samples[0]
    return statistics.quantiles(samples, n=20, method="inclusive")[18]


@dataclass
class ChatLoad:
    """The slow chats' record: how many were sent, which really streamed, and how each one ended."""

    needed: int
    started: int = 0
    streamed: int = 0
    """Chats whose first answer token arrived."""
    streaming_workers: set[int] = field(default_factory=set)
    finished: list[str] = field(default_factory=list)
    all_streaming: asyncio.Event = field(default_factory=asyncio.Event)

    def first_token(self, worker: int) -> None:
        self.streamed += 1
        self.streaming_workers.add(worker)
        if len(self.streaming_workers) >= self.needed:
            self.all_streaming.set()

    @property
    def enough(self) -> bool:
        return len(self.streaming_workers) >= self.needed


@dataclass(frozen=True)
class Round:
    """One measurement: latency samples per route name, idle and loaded, and the load that was applied."""

    idle: dict[str, list[float]]
    loaded: dict[str, list[float]]
    chats: ChatLoad


class Isolation(PerformanceProbe):
    name = "perf.isolation"
    rules = (ISOLATION_DEGRADED,)

    async def probe(self, ctx: CheckContext) -> list[Finding]:
        config = ctx.config
        sampled = [
            r for r in (first_route(config, RouteRole.HEALTH), first_route(config, RouteRole.LOGIN)) if r
        ]
        if not sampled:
            reason = (
                'no route to time: add a [[routes]] entry with role = "health" (or "login") to check that '
                "slow chats do not slow it down"
            )
            return [ISOLATION_DEGRADED.not_assessed(config.apex, reason)]
        if chat_route(config) is None:
            return [ISOLATION_DEGRADED.not_assessed(config.route_url(r), NO_CHAT_ROUTE) for r in sampled]
        first = await self._round(ctx, sampled)
        verdicts = [self._judge(ctx, route, first) for route in sampled]
        if any(v.status is Status.FAIL for v in verdicts):
            # confirm before failing: one noisy round (a busy CI core) must not fail a launch
            second = await self._round(ctx, sampled)
            verdicts = [
                self._judge(ctx, route, second, rounds=2) if v.status is Status.FAIL else v
                for v, route in zip(verdicts, sampled, strict=True)
            ]
        return verdicts

    async def _round(self, ctx: CheckContext, sampled: list[RouteConfig]) -> Round:
        """Idle samples, then samples while ``isolation_slow_chats`` chats stream."""
        settings = ctx.config.performance
        await self._sample(ctx, sampled, 1)  # warm the connections: a TLS handshake is not route latency
        idle = await self._sample(ctx, sampled, settings.isolation_samples)
        stop = asyncio.Event()
        chats = ChatLoad(needed=settings.isolation_slow_chats)
        workers = [
            asyncio.create_task(self._chat_loop(ctx, stop, chats, worker))
            for worker in range(settings.isolation_slow_chats)
        ]
        loaded: dict[str, list[float]] = {route.name: [] for route in sampled}
        try:
            await asyncio.sleep(WARMUP_S)
            wait = min(STREAM_WAIT_MAX_S, ctx.config.targets.chat_timeout_s)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(chats.all_streaming.wait(), wait)
            if chats.enough:
                loaded = await self._sample(ctx, sampled, settings.isolation_samples)
        finally:
            stop.set()
            for task in workers:
                task.cancel()
            for task in workers:
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        return Round(idle, loaded, chats)

    async def _sample(
        self, ctx: CheckContext, routes: list[RouteConfig], count: int
    ) -> dict[str, list[float]]:
        """Sequential requests on kept-alive connections, routes interleaved; only answered ones count.

        A sample is the time to the response headers: a starved event loop delays those, while the body's
        transfer only adds noise (and, on some stacks, TCP delayed-ACK stalls of ~40 ms that are not the
        route's doing).
        """
        samples: dict[str, list[float]] = {route.name: [] for route in routes}
        deadline = time.monotonic() + PHASE_BUDGET_S
        for done in range(count):
            if done >= MIN_SAMPLES and time.monotonic() > deadline:
                break
            for route in routes:
                json, body = login_body(route) if route.role is RouteRole.LOGIN else (None, None)
                with contextlib.suppress(NetError):
                    response = await ctx.http.fetch(
                        ctx.config.route_url(route),
                        method=route.method,
                        headers=route.headers,
                        json=json,
                        body=body,
                        max_body_bytes=65536,
                    )
                    samples[route.name].append(response.ttfb_s)
                await asyncio.sleep(SAMPLE_GAP_S)
        return samples

    async def _chat_loop(self, ctx: CheckContext, stop: asyncio.Event, load: ChatLoad, worker: int) -> None:
        """Keep one chat in flight until told to stop, noting each chat whose first token arrives."""
        budget = ctx.config.targets.chat_timeout_s + ctx.config.performance.timeout_margin_s
        while not stop.is_set():
            load.started += 1
            tokens = 0

            def on_token() -> None:
                nonlocal tokens
                tokens += 1
                if tokens == 1:
                    load.first_token(worker)

            try:
                load.finished.append(await stream_chat(ctx, budget, on_token))
            except NetError as exc:
                load.finished.append(f"error: {exc}")
            if not tokens:
                await asyncio.sleep(RETRY_GAP_S)

    def _judge(self, ctx: CheckContext, route: RouteConfig, measured: Round, rounds: int = 1) -> Finding:
        settings = ctx.config.performance
        target = ctx.config.route_url(route)
        idle, loaded, chats = measured.idle[route.name], measured.loaded[route.name], measured.chats
        if not chats.enough:
            ends = ", ".join(sorted(set(chats.finished)))[:300] or "none ended"
            reason = (
                f"only {len(chats.streaming_workers)} of {settings.isolation_slow_chats} slow chats streamed a "
                f"token ({chats.started} sent: {ends}), so {route.name} was never timed under chat load"
            )
            return ISOLATION_DEGRADED.unverifiable(
                target, reason, details={"chats_started": chats.started, "chats_streamed": chats.streamed}
            )
        if not idle or not loaded:
            return ISOLATION_DEGRADED.unverifiable(target, f"{route.name} did not answer the latency samples")
        idle_ms, loaded_ms = p95(idle) * 1000, p95(loaded) * 1000
        ratio = loaded_ms / max(idle_ms, 0.001)
        details: dict[str, object] = {
            "idle_p95_ms": round(idle_ms, 1),
            "loaded_p95_ms": round(loaded_ms, 1),
            "ratio": round(ratio, 2),
            "slow_chats": settings.isolation_slow_chats,
            "chats_started": chats.started,
            "chats_streamed": chats.streamed,
            "chats_finished": chats.finished[:20],
            "samples": len(loaded),
            "rounds": rounds,
        }
        evidence = (
            f"p95 {idle_ms:.0f} ms idle → {loaded_ms:.0f} ms with {settings.isolation_slow_chats} chats "
            f"streaming ({chats.streamed} streamed a token; {ratio:.1f}x, {len(loaded)} samples"
            f"{', second round' if rounds > 1 else ''})"
        )
        if ratio > settings.isolation_ratio and loaded_ms - idle_ms > settings.isolation_floor_ms:
            return ISOLATION_DEGRADED.failed(target, evidence, details=details)
        return ISOLATION_DEGRADED.passed(
            target,
            evidence,
            details=details,
            exercised={"chats_streamed": chats.streamed, "samples": len(idle) + len(loaded)},
        )
