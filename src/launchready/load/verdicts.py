"""Judge a load run against the roadmap's launch targets (stage 5, performance) as findings.

One finding per rule and loaded route, ``pass`` included, so a report shows what held. A route that got no
answers at all is ``unverifiable``: nothing was measured, and that is not a pass.
"""

from __future__ import annotations

from launchready.config.model import TargetsConfig
from launchready.findings import Finding, Fix, Impact, RuleSpec, Severity, Stage
from launchready.load.results import LoadResults, RouteResult

P95_OVER_TARGET = RuleSpec(
    rule_id="load.p95.over-target",
    title="A route is slower than the p95 target under load",
    stage=Stage.PERFORMANCE,
    severity=Severity.MEDIUM,
    description=(
        "Under the planned load, the 95th percentile latency of every non-LLM route (measured from the "
        "intended send time) stays under targets.p95_ms."
    ),
    impact=Impact(launch_delay=1, support_load=2, customer_trust=2),
    fix=Fix(
        summary="Find what the slow route waits on (database, upstream, CPU) and cache, index or scale it.",
        steps=(
            "Look at the route's latency-over-time chart: a steady rise is saturation, spikes are stalls.",
            "Run `launchready db --dsn ...` to see the slowest statements and missing indexes.",
            "Cache cacheable reads at the edge or in the app; move slow work off the request path.",
            "CPU-bound: add workers (uvicorn --workers, gunicorn -w); keep blocking calls off async routes.",
        ),
        snippets={
            "nginx": (
                "proxy_cache_path /var/cache/nginx keys_zone=api:10m max_size=1g inactive=10m;\n"
                "location /v1/models { proxy_cache api; proxy_cache_valid 200 60s; proxy_pass http://app; }"
            ),
            "fastapi": (
                "# run blocking SDK calls off the event loop\n"
                "from starlette.concurrency import run_in_threadpool\n"
                "result = await run_in_threadpool(blocking_call, arg)"
            ),
        },
    ),
)

ERROR_RATE_OVER_TARGET = RuleSpec(
    rule_id="load.error-rate.over-target",
    title="A route fails too often under load",
    stage=Stage.PERFORMANCE,
    severity=Severity.HIGH,
    description=(
        "Under the planned load, the share of requests that end in a 4xx/5xx status, a timeout or a "
        "connection error stays under targets.error_rate."
    ),
    impact=Impact(launch_delay=2, support_load=3, customer_trust=2),
    fix=Fix(
        summary="Read the errors by status and by exception, then fix the cause that dominates.",
        steps=(
            "5xx: read the server logs at the time of the run; look for pool exhaustion and upstream limits.",
            "429: the rate limit is below the launch traffic; raise it for real users, keep it for abuse.",
            "Connection errors: raise worker/backlog limits (uvicorn --backlog, nginx worker_connections).",
        ),
        snippets={
            "nginx": (
                "events { worker_connections 4096; }\n"
                "http { upstream app { server 127.0.0.1:8000; keepalive 64; } }"
            ),
            "uvicorn": "uvicorn app:app --workers 4 --backlog 2048 --timeout-keep-alive 20",
        },
    ),
)

CHAT_OVER_TIMEOUT = RuleSpec(
    rule_id="load.chat.over-timeout",
    title="Chat requests outlive the chat timeout under load",
    stage=Stage.PERFORMANCE,
    severity=Severity.HIGH,
    description="Under load, every chat request ends (done or an error event) within targets.chat_timeout_s.",
    impact=Impact(launch_delay=1, support_load=3, customer_trust=3),
    fix=Fix(
        summary="Bound every chat by one deadline and end it with an error event the UI can show.",
        steps=(
            "Wrap the upstream LLM call and the stream in one deadline (asyncio.timeout).",
            "On timeout send `event: error` with a retry hint, then close the stream.",
            "Set the proxy's read timeout a little above the app's deadline.",
        ),
        snippets={
            "fastapi": (
                "async def events(prompt):\n    try:\n        async with asyncio.timeout(25):\n"
                "            async for token in llm.stream(prompt):\n"
                "                yield f'data: {json.dumps({\"delta\": token})}\\n\\n'\n"
                "        yield 'data: [DONE]\\n\\n'\n    except TimeoutError:\n"
                '        yield \'event: error\\ndata: {"error": "timeout"}\\n\\n\''
            ),
            "nginx": (
                "location /v1/chat { proxy_read_timeout 35s; proxy_buffering off; proxy_pass http://app; }"
            ),
        },
    ),
)

LOAD_RULES = (P95_OVER_TARGET, ERROR_RATE_OVER_TARGET, CHAT_OVER_TIMEOUT)


def judge(results: LoadResults, targets: TargetsConfig) -> list[Finding]:
    findings: list[Finding] = []
    for route in results.routes:
        target = f"{route.method} {route.url}"
        details: dict[str, object] = {"route": route.route, "engine": results.engine}
        if route.requests == 0:
            reason = f"no request to {route.route} ended during the run" + (
                f" ({route.dropped} dropped at the in-flight cap)" if route.dropped else ""
            )
            for rule in (ERROR_RATE_OVER_TARGET, CHAT_OVER_TIMEOUT if route.is_chat else P95_OVER_TARGET):
                findings.append(rule.unverifiable(target, reason, details=details))
            continue
        findings.append(_error_rate(route, target, targets, details))
        if route.is_chat:
            findings.append(_chat_timeout(route, target, targets, details))
        else:
            findings.append(_p95(route, target, targets, results, details))
    return findings


def _p95(
    route: RouteResult, target: str, targets: TargetsConfig, results: LoadResults, details: dict[str, object]
) -> Finding:
    p95 = route.latency.p95_ms
    rate = f"{route.throughput_rps:g} req/s" if results.model == "open" else f"{results.users} users"
    evidence = (
        f"p95 {p95:.1f} ms (p50 {route.latency.p50_ms:.1f}, p99 {route.latency.p99_ms:.1f}, max "
        f"{route.latency.max_ms:.1f}) over {route.requests} requests at {rate}; target {targets.p95_ms:g} ms"
    )
    details = {**details, "p95_ms": p95, "target_ms": targets.p95_ms}
    if p95 > targets.p95_ms:
        return P95_OVER_TARGET.failed(target, evidence, details=details)
    return P95_OVER_TARGET.passed(target, evidence, details=details)


def _error_rate(
    route: RouteResult, target: str, targets: TargetsConfig, details: dict[str, object]
) -> Finding:
    kinds = {**{f"HTTP {k}": v for k, v in route.errors_by_status.items()}, **route.errors_by_exception}
    listed = ", ".join(f"{kind} x{count}" for kind, count in sorted(kinds.items(), key=lambda kv: -kv[1]))
    evidence = (
        f"{route.errors}/{route.requests} failed ({route.error_rate:.2%}; target < {targets.error_rate:.2%})"
        + (f": {listed}" if listed else "")
    )
    if route.dropped:
        evidence += f"; {route.dropped} more not sent (generator in-flight cap)"
    details = {**details, "error_rate": route.error_rate, "errors": kinds, "dropped": route.dropped}
    if route.error_rate > targets.error_rate:
        return ERROR_RATE_OVER_TARGET.failed(target, evidence, details=details)
    return ERROR_RATE_OVER_TARGET.passed(target, evidence, details=details)


def _chat_timeout(
    route: RouteResult, target: str, targets: TargetsConfig, details: dict[str, object]
) -> Finding:
    chat = route.chat
    if chat is None:
        return CHAT_OVER_TIMEOUT.unverifiable(target, "no chat timings were recorded", details=details)
    evidence = (
        f"{chat.over_timeout}/{route.requests} chats open past {targets.chat_timeout_s:g}s; "
        f"TTFT p95 {chat.ttft.p95_ms:.0f} ms, total p95 {chat.total.p95_ms:.0f} ms, "
        f"max {chat.total.max_ms:.0f} ms"
    )
    details = {**details, "over_timeout": chat.over_timeout, "timeout_s": targets.chat_timeout_s}
    if chat.over_timeout:
        return CHAT_OVER_TIMEOUT.failed(target, evidence, details=details)
    return CHAT_OVER_TIMEOUT.passed(target, evidence, details=details)
