"""Login and chat refuse a burst from one client with 429 and ``Retry-After`` (RFC 6585 §4, RFC 9110 §10.2.3).

Roadmap stage 5: without a limit, login is open to credential stuffing and chat to a bill-burning loop. The
probe sends a bounded burst (``[performance] burst_size`` requests, ``burst_concurrency`` at a time) and stops
at the first 429. No 429 before the end is a failure; a 429 without ``Retry-After`` is a warning, because
clients (and our own retrying probes) then guess when to come back. Each request is dropped once its
status and headers arrive, so a chat without a limit costs at most ``burst_size`` short generations.

A 429 on the very first answer proves nothing about a limit (the client may still be limited by an earlier
probe, or the route refuses everyone): the burst waits the ``Retry-After`` (capped) and runs once more, and
a route that refuses its first request again is unverifiable. Bursts answered only 404/405 hit a wrong route:
unverifiable too, not a missing limit.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any

from launchready.checks.performance.probe import (
    MAX_RETRY_AFTER_S,
    NO_CHAT_ROUTE,
    NO_LOGIN_ROUTE,
    PerformanceProbe,
    chat_body,
    chat_headers,
    chat_route,
    hit,
    login_body,
    retry_after_s,
)
from launchready.config.model import RouteConfig, RouteRole
from launchready.engine.context import CheckContext
from launchready.findings import Finding, RuleSpec
from launchready.rules import rule

BURST_BUDGET_S = 30.0
NOT_FOUND = frozenset({404, 405})
"""Answers that say the route is wrong, not that it is unlimited."""

LOGIN_RATE_LIMIT_MISSING = rule("perf.ratelimit.login-missing")
CHAT_RATE_LIMIT_MISSING = rule("perf.ratelimit.chat-missing")


@dataclass(frozen=True)
class BurstResult:
    sent: int
    statuses: Counter[int]
    errors: tuple[str, ...]
    limited_at: int | None
    """How many answers had arrived, the first 429 included, when the first 429 arrived."""
    retry_after: str | None
    elapsed_s: float


async def limited_burst(
    ctx: CheckContext, route: RouteConfig, size: int, concurrency: int, json: Any, body: bytes | None,
    headers: dict[str, str] | None = None,
) -> BurstResult:  # fmt: skip
    """``burst``, run once more after the server's ``Retry-After`` when its very first answer was a 429."""
    result = await burst(ctx, route, size, concurrency, json, body, headers)
    wait = retry_after_s(result.retry_after)
    if result.limited_at == 1 and wait is not None and wait <= MAX_RETRY_AFTER_S:
        await asyncio.sleep(wait)
        result = await burst(ctx, route, size, concurrency, json, body, headers)
    return result


async def burst(
    ctx: CheckContext, route: RouteConfig, size: int, concurrency: int, json: Any, body: bytes | None,
    headers: dict[str, str] | None = None,
) -> BurstResult:  # fmt: skip
    """Send up to ``size`` requests, ``concurrency`` at a time, stopping once one is answered 429."""
    statuses: Counter[int] = Counter()
    errors: list[str] = []
    first_429: list[tuple[int, str | None]] = []
    dispatched = 0
    started = time.perf_counter()

    async def worker() -> None:
        nonlocal dispatched
        while dispatched < size and not first_429:
            dispatched += 1
            result = await hit(ctx, route, json=json, body=body, headers=headers)
            if result.status is None:
                errors.append(result.error or "no response")
                continue
            statuses[result.status] += 1
            if result.status == 429:
                first_429.append((sum(statuses.values()), result.retry_after))

    try:
        async with asyncio.timeout(BURST_BUDGET_S):
            await asyncio.gather(*(worker() for _ in range(min(concurrency, size))))
    except TimeoutError:
        errors.append(f"burst budget of {BURST_BUDGET_S:g}s ran out")
    limited = first_429[0] if first_429 else None
    return BurstResult(
        sent=sum(statuses.values()) + len(errors),
        statuses=statuses,
        errors=tuple(errors),
        limited_at=limited[0] if limited else None,
        retry_after=limited[1] if limited else None,
        elapsed_s=time.perf_counter() - started,
    )


def judge(rule: RuleSpec, target: str, result: BurstResult, size: int) -> Finding:
    seen = ", ".join(f"{count}x {status}" for status, count in sorted(result.statuses.items())) or "none"
    details: dict[str, object] = {
        "sent": result.sent,
        "statuses": {str(k): v for k, v in result.statuses.items()},
        "limited_at": result.limited_at,
        "retry_after": result.retry_after,
        "elapsed_s": round(result.elapsed_s, 3),
    }
    if result.limited_at == 1:
        reason = (
            "the first request of the burst was already answered 429, so the route's limit could not be told "
            "from a client that is still limited or a route that refuses everyone; retry later"
        )
        return rule.unverifiable(target, reason, details=details)
    if result.limited_at is not None:
        where = f"429 after {result.limited_at} answers in a {size}-request burst"
        if result.retry_after:
            return rule.passed(
                target,
                f"{where}, Retry-After: {result.retry_after}",
                details=details,
                exercised={"requests": sum(result.statuses.values()), "refusals_429": 1},
            )
        return rule.warned(target, f"{where}, but without a Retry-After header", details=details)
    if not result.statuses:
        reason = result.errors[0] if result.errors else "no request got an answer"
        return rule.unverifiable(target, f"the burst got no answers: {reason}", details=details)
    if set(result.statuses) <= NOT_FOUND:
        reason = (
            f"every answer was {seen}: the configured route does not exist here, check its path and method"
        )
        return rule.unverifiable(target, reason, details=details)
    return rule.failed(
        target,
        f"{result.sent} requests in {result.elapsed_s:.1f}s from one client, none refused (statuses: {seen})",
        details=details,
    )


class LoginRateLimit(PerformanceProbe):
    name = "perf.ratelimit.login"
    rules = (LOGIN_RATE_LIMIT_MISSING,)

    async def probe(self, ctx: CheckContext) -> list[Finding]:
        settings = ctx.config.performance
        routes = ctx.config.routes_with_role(RouteRole.LOGIN)[:3]
        if not routes:
            return [LOGIN_RATE_LIMIT_MISSING.not_assessed(ctx.config.apex, NO_LOGIN_ROUTE)]
        findings = []
        for route in routes:
            json, body = login_body(route)
            result = await limited_burst(
                ctx, route, settings.burst_size, settings.burst_concurrency, json, body
            )
            findings.append(
                judge(LOGIN_RATE_LIMIT_MISSING, ctx.config.route_url(route), result, settings.burst_size)
            )
        return findings


class ChatRateLimit(PerformanceProbe):
    name = "perf.ratelimit.chat"
    rules = (CHAT_RATE_LIMIT_MISSING,)

    async def probe(self, ctx: CheckContext) -> list[Finding]:
        settings = ctx.config.performance
        route = chat_route(ctx.config)
        if route is None:
            return [CHAT_RATE_LIMIT_MISSING.not_assessed(ctx.config.apex, NO_CHAT_ROUTE)]
        body = chat_body(ctx.config, settings.probe_prompt)
        headers = chat_headers(ctx.config, route)
        result = await limited_burst(
            ctx, route, settings.burst_size, settings.burst_concurrency, body, None, headers
        )
        return [judge(CHAT_RATE_LIMIT_MISSING, ctx.config.route_url(route), result, settings.burst_size)]
