"""Judge a load run against the roadmap's launch targets (stage 5, performance) as findings.

One finding per rule and loaded route, ``pass`` included, so a report shows what held. A pass rests on what
was really measured (``exercised``): a latency pass needs successful answers (the p95 of 404s or refused
connections says nothing about the route), a chat pass needs chats that streamed an answer (chats that
failed at once are never "open past the timeout"). A route that got no answers at all is
``unverifiable``; a rule with no route of its kind in the run (no chat loaded, only chat loaded) is
``not_assessed`` with the config that would let it run.

The error budget counts every user not served: errors, arrivals never sent (the in-flight cap was
reached), chats that answered nothing ("empty-answer") and chats that ended past ``chat_timeout_s``. Chat
has targets of its own: TTFT p95 (``ttft_p95_ms``) and the share answered in time
(``chat_completed_ratio``). A p95 over target from a run whose *generator* fell behind is unverifiable only
when the generator's own lag could explain the excess; net of it, a slow server still fails.
"""

from __future__ import annotations

from launchready.config.model import TargetsConfig
from launchready.findings import Finding
from launchready.load.results import LoadResults, RouteResult
from launchready.rules import rule

P95_OVER_TARGET = rule("load.p95.over-target")
ERROR_RATE_OVER_TARGET = rule("load.error-rate.over-target")
CHAT_OVER_TIMEOUT = rule("load.chat.over-timeout")
CHAT_TTFT_OVER_TARGET = rule("load.chat.ttft-over-target")

LOAD_RULES = (P95_OVER_TARGET, ERROR_RATE_OVER_TARGET, CHAT_OVER_TIMEOUT, CHAT_TTFT_OVER_TARGET)
_CHAT_RULES = (CHAT_OVER_TIMEOUT, CHAT_TTFT_OVER_TARGET)


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
            if route.dropped:  # every arrival was turned away: the route failed, it is not unknown
                findings.append(_error_rate(route, target, targets, details))
            else:
                findings.append(ERROR_RATE_OVER_TARGET.unverifiable(target, reason, details=details))
            for spec in _CHAT_RULES if route.is_chat else (P95_OVER_TARGET,):
                findings.append(spec.unverifiable(target, reason, details=details))
            continue
        findings.append(_error_rate(route, target, targets, details))
        if route.is_chat:
            findings.append(_chat_timeout(route, target, targets, details))
            findings.append(_chat_ttft(route, target, targets, details))
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
    lag_ms = results.send_lag_p99_ms or 0.0
    if p95 > targets.p95_ms and results.generator_bound and p95 - lag_ms <= targets.p95_ms:
        # net of the generator's own delay the route might be within target: not the server's fault
        reason = (
            f"the generator fell behind its schedule (p99 {results.send_lag_p99_ms or 0:g} ms late; intended "
            f"{results.intended_rate or 0:g}/s, sent {results.sent_rate:g}/s), so this latency is partly the "
            f"generator's own delay, not the server's: {evidence}. Rerun at a lower --rate or with "
            "--engine locust --workers N"
        )
        return P95_OVER_TARGET.unverifiable(target, reason, details=details)
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
    attempted = route.requests + route.dropped
    failed = route.errors + route.dropped
    evidence = f"{failed}/{attempted} failed ({route.error_rate:.2%}; target < {targets.error_rate:.2%})" + (
        f": {listed}" if listed else ""
    )
    if route.dropped:
        evidence += f"; {route.dropped} of them not sent (in-flight cap reached: the server did not keep up)"
    details = {**details, "error_rate": route.error_rate, "errors": kinds, "dropped": route.dropped}
    if route.error_rate > targets.error_rate:
        return ERROR_RATE_OVER_TARGET.failed(target, evidence, details=details)
    return ERROR_RATE_OVER_TARGET.passed(
        target, evidence, details=details, exercised={"requests": route.requests, "ok": route.ok}
    )


def _chat_ttft(
    route: RouteResult, target: str, targets: TargetsConfig, details: dict[str, object]
) -> Finding:
    """TTFT p95 of the chats that streamed text, against targets.ttft_p95_ms (no text: nothing to time)."""
    chat = route.chat
    streamed = chat.ttft.count if chat is not None else 0
    if chat is None or streamed == 0:
        empty = chat.empty_answers if chat is not None else 0
        reason = (
            f"none of {route.requests} chats streamed answer text ({route.errors} failed, {empty} empty), "
            "so there is no first token to time (see load.error-rate.over-target)"
        )
        return CHAT_TTFT_OVER_TARGET.unverifiable(target, reason, details=details)
    ttft = chat.ttft
    evidence = (
        f"TTFT p95 {ttft.p95_ms:.0f} ms (p50 {ttft.p50_ms:.0f}, max {ttft.max_ms:.0f}) over {streamed} chats "
        f"that streamed text; target {targets.ttft_p95_ms:g} ms"
    )
    details = {**details, "ttft_p95_ms": ttft.p95_ms, "target_ms": targets.ttft_p95_ms, "streamed": streamed}
    if ttft.p95_ms > targets.ttft_p95_ms:
        return CHAT_TTFT_OVER_TARGET.failed(target, evidence, details=details)
    return CHAT_TTFT_OVER_TARGET.passed(
        target, evidence, details=details, exercised={"chats_streamed": streamed, "requests": route.requests}
    )


def _chat_timeout(
    route: RouteResult, target: str, targets: TargetsConfig, details: dict[str, object]
) -> Finding:
    chat = route.chat
    if chat is None:
        return CHAT_OVER_TIMEOUT.unverifiable(target, "no chat timings were recorded", details=details)
    attempted = route.requests + route.dropped
    in_time = route.ok  # an ok chat streamed text and ended within the timeout (else it is an error)
    share = in_time / attempted if attempted else 0.0
    evidence = (
        f"{in_time}/{attempted} chats answered within {targets.chat_timeout_s:g}s ({share:.1%}; target "
        f">= {targets.chat_completed_ratio:.0%}); {chat.over_timeout} open past it"
        + (f", {route.dropped} not sent" if route.dropped else "")
        + f"; total p95 {chat.total.p95_ms:.0f} ms, max {chat.total.max_ms:.0f} ms"
    )
    streamed = chat.answers - chat.empty_answers
    details = {
        **details,
        "over_timeout": chat.over_timeout,
        "timeout_s": targets.chat_timeout_s,
        "chats_streamed": streamed,
    }
    if chat.over_timeout or (streamed > 0 and share < targets.chat_completed_ratio):
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
