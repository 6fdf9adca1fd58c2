"""Login and chat refuse a burst from one client with 429 and ``Retry-After`` (RFC 6585 §4, RFC 9110 §10.2.3).

Roadmap stage 5: without a limit, login is open to credential stuffing and chat to a bill-burning loop. The
probe sends a bounded burst (``[performance] burst_size`` requests, ``burst_concurrency`` at a time) and stops
at the first 429. No 429 before the end is a failure; a 429 without ``Retry-After`` is a warning, because
clients (and our own retrying probes) then guess when to come back. Each request is dropped once its
status and headers arrive, so a chat without a limit costs at most ``burst_size`` short generations.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any

from launchready.checks.performance.probe import (
    PerformanceProbe,
    chat_body,
    chat_headers,
    chat_route,
    hit,
    login_body,
)
from launchready.config.model import RouteConfig, RouteRole
from launchready.engine.context import CheckContext
from launchready.findings import Finding, Fix, Impact, RuleSpec, Severity, Stage

BURST_BUDGET_S = 30.0

_NGINX = """\
# http {}
limit_req_zone $binary_remote_addr zone=login:10m rate=1r/s;
limit_req_status 429;
# server {}
location = /auth/login {
    limit_req zone=login burst=10 nodelay;
    error_page 429 = @too_many;
    proxy_pass http://app;
}
location @too_many {
    add_header Retry-After 10 always;
    return 429 '{"error":"rate_limited"}';
}"""

_FASTAPI = """\
# pip install slowapi
from slowapi import Limiter, _rate_limit_exceeded_handler
from slowapi.errors import RateLimitExceeded
from slowapi.util import get_remote_address

limiter = Limiter(key_func=get_remote_address, headers_enabled=True)  # sends Retry-After
app.state.limiter = limiter
app.add_exception_handler(RateLimitExceeded, _rate_limit_exceeded_handler)

@app.post("/auth/login")
@limiter.limit("10/10seconds")
async def login(request: Request, response: Response, body: LoginRequest): ..."""

_CLOUDFLARE = (
    "Security → WAF → Rate limiting rules → Create rule: URI Path equals /auth/login (and /v1/chat), "
    "requests 10 per 10 seconds per IP, action Block with status 429 (Cloudflare adds Retry-After)."
)


def _rule(rule_id: str, what: str, why: str, severity: Severity, impact: Impact) -> RuleSpec:
    return RuleSpec(
        rule_id=rule_id,
        title=f"No rate limit on {what}",
        stage=Stage.PERFORMANCE,
        severity=severity,
        description=f"A burst of requests to {what} from one client is answered 429 with Retry-After. {why}",
        impact=impact,
        fix=Fix(
            summary=f"Limit {what} per client (e.g. 10 per 10 s) and answer 429 with a Retry-After header.",
            steps=(
                "Key the limit on the client address (behind a proxy: the forwarded address you trust).",
                "Answer 429 with Retry-After in seconds; keep the limit in the edge or a shared store if you "
                "run more than one instance.",
            ),
            snippets={
                "fastapi": _FASTAPI.replace("/auth/login", "/v1/chat") if "chat" in rule_id else _FASTAPI,
                "nginx": _NGINX.replace("/auth/login", "/v1/chat") if "chat" in rule_id else _NGINX,
                "cloudflare": _CLOUDFLARE,
            },
            references=("RFC 6585 §4", "RFC 9110 §10.2.3", "https://slowapi.readthedocs.io/"),
        ),
    )


LOGIN_RATE_LIMIT_MISSING = _rule(
    "perf.ratelimit.login-missing",
    "login",
    "Without it, credential stuffing and password guessing run at full speed.",
    Severity.HIGH,
    Impact(launch_delay=1, support_load=2, customer_trust=3),
)
CHAT_RATE_LIMIT_MISSING = _rule(
    "perf.ratelimit.chat-missing",
    "chat",
    "Without it, one script can run up the LLM bill and starve every other user.",
    Severity.HIGH,
    Impact(launch_delay=1, support_load=2, customer_trust=2),
)


@dataclass(frozen=True)
class BurstResult:
    sent: int
    statuses: Counter[int]
    errors: tuple[str, ...]
    limited_at: int | None
    """How many answers had arrived, the first 429 included, when the first 429 arrived."""
    retry_after: str | None
    elapsed_s: float


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
    if result.limited_at is not None:
        where = f"429 after {result.limited_at} answers in a {size}-request burst"
        if result.retry_after:
            return rule.passed(target, f"{where}, Retry-After: {result.retry_after}", details=details)
        return rule.warned(target, f"{where}, but without a Retry-After header", details=details)
    if not result.statuses:
        reason = result.errors[0] if result.errors else "no request got an answer"
        return rule.unverifiable(target, f"the burst got no answers: {reason}", details=details)
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
            return [
                LOGIN_RATE_LIMIT_MISSING.unverifiable(
                    ctx.config.apex, "no route with role 'login' in the config"
                )
            ]
        findings = []
        for route in routes:
            json, body = login_body(route)
            result = await burst(ctx, route, settings.burst_size, settings.burst_concurrency, json, body)
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
            return [CHAT_RATE_LIMIT_MISSING.unverifiable(ctx.config.apex, "no chat route in the config")]
        body = chat_body(ctx.config, settings.probe_prompt)
        headers = chat_headers(ctx.config, route)
        result = await burst(ctx, route, settings.burst_size, settings.burst_concurrency, body, None, headers)
        return [judge(CHAT_RATE_LIMIT_MISSING, ctx.config.route_url(route), result, settings.burst_size)]
