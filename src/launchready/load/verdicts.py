"""Judge a load run against the roadmap's launch targets (stage 5, performance) as findings.

One finding per rule and loaded route, ``pass`` included, so a report shows what held. A pass rests on what
was really measured (``exercised``): a latency pass needs successful answers (the p95 of 404s or refused
connections says nothing about the route), a chat pass needs chats that streamed an answer (chats that
failed at once are never "open past the timeout"). A route that got no answers at all is
``unverifiable``; a rule with no route of its kind in the run (no chat loaded, only chat loaded) is
``not_assessed`` with the config that would let it run.
"""

from __future__ import annotations

from launchready.config.model import TargetsConfig
from launchready.findings import Finding
from launchready.load.results import LoadResults, RouteResult
from launchready.rules import rule

P95_OVER_TARGET = rule("load.p95.over-target")
ERROR_RATE_OVER_TARGET = rule("load.error-rate.over-target")
CHAT_OVER_TIMEOUT = rule("load.chat.over-timeout")

LOAD_RULES = (P95_OVER_TARGET, ERROR_RATE_OVER_TARGET, CHAT_OVER_TIMEOUT)


def judge(results: LoadResults, targets: TargetsConfig, where: str = "load run") -> list[Finding]:
    """Every load rule once per loaded route it applies to, or once ``not_assessed`` at ``where``."""
    findings: list[Finding] = []
    for route in results.routes:
        target = f"{route.method} {route.url}"
        details: dict[str, object] = {"route": route.route, "engine": results.engine}
        if route.requests == 0:
            reason = f"no request to {route.route} ended during the run" + (
                f" ({route.dropped} dropped at the in-flight cap)" if route.dropped else ""
            )
            for spec in (ERROR_RATE_OVER_TARGET, CHAT_OVER_TIMEOUT if route.is_chat else P95_OVER_TARGET):
                findings.append(spec.unverifiable(target, reason, details=details))
            continue
        findings.append(_error_rate(route, target, targets, details))
        if route.is_chat:
            findings.append(_chat_timeout(route, target, targets, details))
        else:
            findings.append(_p95(route, target, targets, results, details))
    if not results.routes:
        reason = "the run loaded no route: list routes in [load] routes (or add [[routes]]) to measure them"
        details = {"route": None, "engine": results.engine}
        return [spec.not_assessed(where, reason, details=details) for spec in LOAD_RULES]
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
    details = {**details, "p95_ms": p95, "target_ms": targets.p95_ms, "ok": route.ok}
    if p95 > targets.p95_ms:
        return P95_OVER_TARGET.failed(target, evidence, details=details)
    if route.ok == 0:
        reason = (
            f"all {route.requests} requests failed, so their latency is not the route's: {evidence} "
            "(see load.error-rate.over-target)"
        )
        return P95_OVER_TARGET.unverifiable(target, reason, details=details)
    return P95_OVER_TARGET.passed(
        target, evidence, details=details, exercised={"requests": route.requests, "ok": route.ok}
    )


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
    return ERROR_RATE_OVER_TARGET.passed(
        target, evidence, details=details, exercised={"requests": route.requests, "ok": route.ok}
    )


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
    streamed = chat.answers - chat.empty_answers
    details = {
        **details,
        "over_timeout": chat.over_timeout,
        "timeout_s": targets.chat_timeout_s,
        "chats_streamed": streamed,
    }
    if chat.over_timeout:
        return CHAT_OVER_TIMEOUT.failed(target, evidence, details=details)
    if streamed <= 0:
        reason = (
            f"none of {route.requests} chats streamed an answer ({route.errors} failed, "
            f"{chat.empty_answers} empty), so no chat was served long enough to test the timeout: {evidence}"
        )
        return CHAT_OVER_TIMEOUT.unverifiable(target, reason, details=details)
    return CHAT_OVER_TIMEOUT.passed(
        target, evidence, details=details, exercised={"chats_streamed": streamed, "requests": route.requests}
    )
