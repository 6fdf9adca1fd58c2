"""Slow chats do not slow down health and login (roadmap stage 5: isolate the LLM path).

The classic launch-day outage: a sync LLM SDK called from ``async def`` (or one small worker pool shared by
chat and everything else) makes the whole API as slow as its slowest chat, so the load balancer's health
check fails and nobody can log in. The probe measures the p95 of the health and login routes idle, then
again while ``isolation_slow_chats`` chats stream, and fails a route whose p95 grew more than
``isolation_ratio`` times *and* by more than ``isolation_floor_ms`` (the floor keeps a 2 ms → 5 ms wobble
from counting), in two rounds in a row: a failure is measured again before it is reported. Latency is the
time to the response headers. A 429 on login still counts as a sample: it is the time the server took.
"""

from __future__ import annotations

import asyncio
import contextlib
import statistics
import time
from dataclasses import dataclass, field

from launchready.checks.performance.probe import (
    PerformanceProbe,
    chat_route,
    first_route,
    login_body,
    send_chat,
)
from launchready.config.model import RouteConfig, RouteRole
from launchready.engine.context import CheckContext
from launchready.findings import Finding, Fix, Impact, RuleSpec, Severity, Stage, Status
from launchready.net import NetError

WARMUP_S = 0.4
"""Time given to the slow chats to reach the model before sampling starts."""
SAMPLE_GAP_S = 0.03
"""Pause between two samples, so the loaded samples spread over the chats' streaming phase."""
PHASE_BUDGET_S = 2.0
"""Sampling stops after this long (given ``MIN_SAMPLES`` per route): starved routes are slow to time."""
MIN_SAMPLES = 3

ISOLATION_DEGRADED = RuleSpec(
    rule_id="perf.isolation.degraded",
    title="Chats in flight slow down other routes",
    stage=Stage.PERFORMANCE,
    severity=Severity.HIGH,
    description="The p95 latency of health and login stays within 2x of idle while slow chats stream.",
    impact=Impact(launch_delay=2, support_load=3, customer_trust=2),
    fix=Fix(
        summary="Keep LLM calls off the event loop and off the pool that serves other routes.",
        steps=(
            "Use the provider's async client (AsyncOpenAI...) in async endpoints; never a sync SDK there.",
            "If a library is sync-only, run it with `await asyncio.to_thread(...)` or a dedicated pool.",
            "Serve health from a route that touches neither the model nor the database pool.",
        ),
        snippets={
            "fastapi": (
                "client = AsyncOpenAI()  # not OpenAI(): a sync call in async def blocks every request\n\n"
                "@app.post('/v1/chat')\n"
                "async def chat(body: ChatRequest):\n"
                "    stream = await client.chat.completions.create(\n"
                "        model=MODEL, stream=True, messages=[...])\n"
                "    return StreamingResponse(relay(stream), media_type='text/event-stream')"
            ),
            "gunicorn": "gunicorn app:app -k uvicorn.workers.UvicornWorker --workers 4",
        },
    ),
)


def p95(samples: list[float]) -> float:
    if len(samples) == 1:
        return samples[0]
    return statistics.quantiles(samples, n=20, method="inclusive")[18]


@dataclass
class ChatLoad:
    """The slow chats' record: how many were sent and how each one ended."""

    started: int = 0
    finished: list[str] = field(default_factory=list)


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
            return [
                ISOLATION_DEGRADED.unverifiable(config.apex, "no route with role 'health' or 'login' to time")
            ]
        if chat_route(config) is None:
            return [
                ISOLATION_DEGRADED.unverifiable(config.route_url(r), "no chat route to load") for r in sampled
            ]
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
        chats = ChatLoad()
        workers = [
            asyncio.create_task(self._chat_loop(ctx, stop, chats))
            for _ in range(settings.isolation_slow_chats)
        ]
        try:
            await asyncio.sleep(WARMUP_S)
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

    async def _chat_loop(self, ctx: CheckContext, stop: asyncio.Event, load: ChatLoad) -> None:
        """Keep one chat in flight until told to stop."""
        budget = ctx.config.targets.chat_timeout_s + ctx.config.performance.timeout_margin_s
        while not stop.is_set():
            load.started += 1
            try:
                stream = await send_chat(ctx, ctx.config.performance.probe_prompt, budget)
                load.finished.append(f"{stream.status}:{stream.end.value}")
            except NetError as exc:
                load.finished.append(f"error: {exc}")
                await asyncio.sleep(0.2)

    def _judge(self, ctx: CheckContext, route: RouteConfig, measured: Round, rounds: int = 1) -> Finding:
        settings = ctx.config.performance
        target = ctx.config.route_url(route)
        idle, loaded, chats = measured.idle[route.name], measured.loaded[route.name], measured.chats
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
            "chats_finished": chats.finished[:20],
            "samples": len(loaded),
            "rounds": rounds,
        }
        evidence = (
            f"p95 {idle_ms:.0f} ms idle → {loaded_ms:.0f} ms with {settings.isolation_slow_chats} chats "
            f"streaming ({ratio:.1f}x, {len(loaded)} samples{', second round' if rounds > 1 else ''})"
        )
        if ratio > settings.isolation_ratio and loaded_ms - idle_ms > settings.isolation_floor_ms:
            return ISOLATION_DEGRADED.failed(target, evidence, details=details)
        return ISOLATION_DEGRADED.passed(target, evidence, details=details)
