"""Load verdicts: a pass rests on successful answers; nothing measured is never a pass."""

from __future__ import annotations

from datetime import UTC, datetime

from launchready.config.model import TargetsConfig
from launchready.findings import Status
from launchready.load.results import ChatSummary, LatencySummary, LoadResults, RouteResult
from launchready.load.verdicts import LOAD_RULES, judge

TARGETS = TargetsConfig(p95_ms=800, chat_timeout_s=30, error_rate=0.01)


def _latency(p95_ms: float, count: int) -> LatencySummary:
    return LatencySummary(
        count=count, mean_ms=p95_ms / 2, p50_ms=p95_ms / 2, p95_ms=p95_ms, p99_ms=p95_ms, max_ms=p95_ms
    )


def _route(
    name: str, *, requests: int, ok: int, p95_ms: float = 20.0, chat: ChatSummary | None = None
) -> RouteResult:
    return RouteResult(
        route=name,
        method="POST" if chat else "GET",
        url=f"https://api.chatbot.test/{name}",
        is_chat=chat is not None,
        requests=requests,
        ok=ok,
        errors=requests - ok,
        error_rate=(requests - ok) / requests if requests else 0.0,
        errors_by_status={"404": requests - ok} if requests > ok else {},
        throughput_rps=10.0,
        latency=_latency(p95_ms, requests),
        chat=chat,
    )


def _chat(answers: int, empty: int = 0, over_timeout: int = 0) -> ChatSummary:
    quiet = LatencySummary()
    return ChatSummary(
        ttfb=quiet,
        ttft=_latency(150, answers),
        inter_token=quiet,
        total=_latency(900, answers),
        tokens_per_s=20.0,
        answers=answers,
        empty_answers=empty,
        over_timeout=over_timeout,
    )


def _results(*routes: RouteResult) -> LoadResults:
    sent = sum(r.requests for r in routes)
    return LoadResults(
        engine="native",
        model="open",
        started_at=datetime(2026, 11, 30, tzinfo=UTC),
        planned_duration_s=10,
        duration_s=10,
        max_requests=1000,
        scheduled=sent,
        sent=sent,
        completed=sent,
        dropped=0,
        achieved_rate=sent / 10,
        latency_from="intended-send",
        routes=routes,
    )


def _by_rule(findings: list, rule_id: str) -> list:
    return [f for f in findings if f.rule_id == rule_id]


def test_a_healthy_run_passes_with_what_it_measured() -> None:
    findings = judge(
        _results(_route("health", requests=100, ok=100), _route("chat", requests=20, ok=20, chat=_chat(20))),
        TARGETS,
    )
    assert {f.status for f in findings} == {Status.PASS}
    assert {f.rule_id for f in findings} == {spec.rule_id for spec in LOAD_RULES}
    assert all(f.exercised.get("requests") for f in findings)


def test_a_route_whose_every_request_failed_has_no_latency_pass() -> None:
    """Negative test: 100 fast 404s used to pass the p95 target."""
    findings = judge(_results(_route("health", requests=100, ok=0, p95_ms=3.0)), TARGETS)
    [p95] = _by_rule(findings, "load.p95.over-target")
    assert p95.status is Status.UNVERIFIABLE and "all 100 requests failed" in (p95.reason or "")
    [errors] = _by_rule(findings, "load.error-rate.over-target")
    assert errors.status is Status.FAIL


def test_chats_that_all_failed_at_once_prove_no_timeout() -> None:
    """Negative test: chats refused at once are never "open past the timeout": that used to pass."""
    findings = judge(_results(_route("chat", requests=20, ok=0, chat=_chat(0))), TARGETS)
    [timeout] = _by_rule(findings, "load.chat.over-timeout")
    assert timeout.status is Status.UNVERIFIABLE, timeout.evidence
    assert "none of 20 chats streamed" in (timeout.reason or "")


def test_chats_with_empty_answers_only_prove_no_timeout() -> None:
    findings = judge(_results(_route("chat", requests=5, ok=5, chat=_chat(5, empty=5))), TARGETS)
    [timeout] = _by_rule(findings, "load.chat.over-timeout")
    assert timeout.status is Status.UNVERIFIABLE


def test_rules_with_nothing_to_judge_are_not_assessed_not_missing() -> None:
    """Negative test: a run with no routes used to give no finding at all, so the rules vanished."""
    empty = judge(_results(), TARGETS, where="chatbot.test")
    assert {f.rule_id for f in empty} == {spec.rule_id for spec in LOAD_RULES}
    assert {f.status for f in empty} == {Status.NOT_ASSESSED}
    assert all("[load] routes" in (f.reason or "") for f in empty)
    only_health = judge(_results(_route("health", requests=10, ok=10)), TARGETS)
    assert not _by_rule(only_health, "load.chat.over-timeout")  # applies to loaded chats only


def test_a_slow_route_still_fails_whatever_its_errors() -> None:
    findings = judge(_results(_route("health", requests=10, ok=0, p95_ms=5000)), TARGETS)
    [p95] = _by_rule(findings, "load.p95.over-target")
    assert p95.status is Status.FAIL


def test_a_saturated_chat_fails_on_ttft_completion_and_errors() -> None:
    """Negative test: 160 chats/s against a gateway that completes 40/s used to be "no blocker" — TTFT p95
    16 s, 741 chats not sent, and "0/458 failed" on the error rate."""
    chat = _chat(458).model_copy(update={"ttft": _latency(16_000, 458), "over_timeout": 0})
    route = _route("chat", requests=458, ok=458, chat=chat).model_copy(
        update={"dropped": 741, "error_rate": 741 / (458 + 741)}
    )
    findings = judge(_results(route), TARGETS)
    [ttft] = _by_rule(findings, "load.chat.ttft-over-target")
    assert ttft.status is Status.FAIL and "16000 ms" in ttft.evidence
    [errors] = _by_rule(findings, "load.error-rate.over-target")
    assert errors.status is Status.FAIL and "741/1199 failed" in errors.evidence
    [completed] = _by_rule(findings, "load.chat.over-timeout")
    assert completed.status is Status.FAIL and "458/1199 chats answered" in completed.evidence


def test_a_chat_within_targets_passes_ttft() -> None:
    findings = judge(_results(_route("chat", requests=20, ok=20, chat=_chat(20))), TARGETS)
    [ttft] = _by_rule(findings, "load.chat.ttft-over-target")
    assert ttft.status is Status.PASS and ttft.exercised["chats_streamed"] == 20


def test_a_generator_bound_run_does_not_blame_the_server() -> None:
    """Negative test: a run whose sends fell behind reported its own delay as the server's p95."""
    slow = _route("health", requests=100, ok=100, p95_ms=3000)
    bound = _results(slow).model_copy(
        update={
            "generator_bound": True,
            "send_lag_p99_ms": 2500.0,
            "intended_rate": 20000,
            "sent_rate": 11000,
        }
    )
    [p95] = _by_rule(judge(bound, TARGETS), "load.p95.over-target")
    assert p95.status is Status.UNVERIFIABLE and "generator fell behind" in (p95.reason or "")
    [honest] = _by_rule(judge(_results(slow), TARGETS), "load.p95.over-target")
    assert honest.status is Status.FAIL
    slightly_late = bound.model_copy(update={"send_lag_p99_ms": 40.0})  # 3 s is the server's, net of 40 ms
    [still] = _by_rule(judge(slightly_late, TARGETS), "load.p95.over-target")
    assert still.status is Status.FAIL


def test_a_route_whose_every_arrival_was_turned_away_fails() -> None:
    route = _route("health", requests=0, ok=0).model_copy(update={"dropped": 50, "error_rate": 1.0})
    findings = judge(_results(route), TARGETS)
    [errors] = _by_rule(findings, "load.error-rate.over-target")
    assert errors.status is Status.FAIL
