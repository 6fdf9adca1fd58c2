"""One probe per check kind: observe, then judge into a ``CheckResult``.

The probes reuse the audit's seams and judgements rather than re-implementing them: the run's HTTP client
and TLS prober, ``launchready smoke``'s JSON-path reading, and — for DNS and email-authentication drift —
the audit's own email checks plus ``email.baseline.compare_postures`` against the last good posture the
store keeps (issue 13: "the audit's own checks re-run on a schedule, alerting on a change against the last
good state"). A probe never raises: a network failure is a *down* result with the reason.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol, runtime_checkable

from launchready.config import LaunchConfig
from launchready.deploy.smoke import chat_route, json_value
from launchready.engine import RunOptions
from launchready.monitor.chat_client import ChatSender, ChatUnavailable
from launchready.monitor.model import CheckKind, CheckResult, CheckState, MonitorCheck
from launchready.net import HttpClient, HttpResponse, NetError, TlsProber

EMAIL_BASELINE_KEY = "email.posture"


class BaselineStore(Protocol):
    def get_baseline(self, key: str) -> dict[str, Any] | None: ...
    def put_baseline(self, key: str, value: dict[str, Any]) -> None: ...


class HeartbeatLookup(Protocol):
    def last_ping(self, name: str) -> float | None: ...


@runtime_checkable
class LogWindow(Protocol):
    def log_window(self, since: float) -> tuple[int, int, int]: ...


class MemoryState:
    """Baselines and heartbeats kept in memory: for a run with no database (tests, ``--once --no-store``)."""

    def __init__(self) -> None:
        self.baselines: dict[str, dict[str, Any]] = {}
        self.pings: dict[str, float] = {}

    def get_baseline(self, key: str) -> dict[str, Any] | None:
        return self.baselines.get(key)

    def put_baseline(self, key: str, value: dict[str, Any]) -> None:
        self.baselines[key] = value

    def last_ping(self, name: str) -> float | None:
        return self.pings.get(name)

    def log_window(self, since: float) -> tuple[int, int, int]:
        return 0, 0, 0


@dataclass
class ProbeContext:
    config: LaunchConfig
    http: HttpClient
    tls: TlsProber
    chat: ChatSender
    options: RunOptions
    baselines: BaselineStore
    heartbeats: HeartbeatLookup
    logs: LogWindow | None = None
    clock: Callable[[], float] = field(default=time.time)


def _result(check: MonitorCheck, state: CheckState, message: str, at: float, **kw: Any) -> CheckResult:
    return CheckResult(check.check_id, check.kind, check.target, state, message, at, **kw)


def judge_answer(response: HttpResponse, spec: dict[str, Any]) -> list[str]:
    """What is wrong with the answer itself (status, keyword, JSON condition); latency is judged apart."""
    problems: list[str] = []
    status = spec.get("status")
    if status is not None and response.status != status:
        problems.append(f"status {response.status}, expected {status}")
    elif status is None and not 200 <= response.status < 300:
        problems.append(f"status {response.status}, expected 2xx")
    keyword = spec.get("keyword")
    if keyword is not None and keyword not in response.text:
        problems.append(f"keyword {keyword!r} not in the body")
    path = spec.get("json_path")
    if path is not None:
        found, value = json_value(response.body, path)
        expected = spec.get("json_equals")
        if not found:
            problems.append(f"no JSON value at {path}")
        elif expected is not None and value != expected:
            problems.append(f"{path} is {value[:60]!r}, expected {expected!r}")
    return problems


def page_title(html: str) -> str:
    """The ``<title>`` text of an HTML answer (first 120 characters), or ''. Shown as text, never markup."""
    import re

    found = re.search(r"<title[^>]*>(.*?)</title", html[:65_536], flags=re.IGNORECASE | re.DOTALL)
    return " ".join(found.group(1).split())[:120] if found else ""


async def probe_route(ctx: ProbeContext, check: MonitorCheck) -> CheckResult:
    at = ctx.clock()
    route = next(r for r in ctx.config.routes if r.name == check.name)
    body = route.body if isinstance(route.body, str) else None
    payload = route.body if isinstance(route.body, dict) else None
    try:
        response = await ctx.http.fetch(
            check.target, method=route.method, headers=route.headers, body=body, json=payload,
            follow_redirects=True,
        )  # fmt: skip
    except NetError as exc:
        return _result(check, CheckState.DOWN, str(exc), at, exercised={"requests": 1})
    latency = round(response.elapsed_s * 1000, 1)
    details: dict[str, Any] = {"status": response.status}
    problems = judge_answer(response, check.spec)
    if problems:
        title = page_title(response.text)
        if title:  # what the visitor sees is the fastest clue ("502 Bad Gateway", "Maintenance"...)
            problems.append(f"page title {title!r}")
            details["title"] = title
        return _result(check, CheckState.DOWN, "; ".join(problems), at, latency_ms=latency, details=details)
    budget = float(check.spec.get("budget_ms") or ctx.config.targets.p95_ms)
    if latency > budget:
        message = f"{response.status} in {latency:.0f} ms, over the {budget:.0f} ms target"
        state = CheckState.DEGRADED
    else:
        message, state = f"{response.status} in {latency:.0f} ms", CheckState.UP
    return _result(check, state, message, at, latency_ms=latency, details=details, exercised={"requests": 1})


async def probe_chat(ctx: ProbeContext, check: MonitorCheck) -> CheckResult:
    """The chat send flow: an answer must come; TTFT over ``targets.ttft_p95_ms`` or the whole answer over
    ``monitor.chat_total_ms`` is *degraded*; no answer within ``targets.chat_timeout_s`` is *down*."""
    at = ctx.clock()
    route = chat_route(ctx.config)
    if route is None:
        return _result(check, CheckState.UNKNOWN, "no chat route in the config", at)
    prompt = ctx.config.monitor.chat_prompt or ctx.config.performance.probe_prompt
    try:
        answer = await ctx.chat.send(route, check.target, prompt, ctx.config.targets.chat_timeout_s)
    except NetError as exc:
        return _result(check, CheckState.DOWN, str(exc), at, exercised={"chats_sent": 1})
    except ChatUnavailable as exc:
        return _result(check, CheckState.UNKNOWN, f"the chat cannot be called as configured: {exc}", at)
    ttft = round(answer.ttft_s * 1000, 1) if answer.ttft_s is not None else None
    total = round(answer.total_s * 1000, 1)
    details: dict[str, Any] = {"status": answer.status, "end": answer.end, "total_ms": total}
    kw: dict[str, Any] = {"latency_ms": total, "ttft_ms": ttft, "details": details}
    if not answer.completed:
        if answer.end == "not-streamed":
            why = f"status {answer.status}: {answer.excerpt[:120]}"
        elif answer.end == "budget":
            why = f"no complete answer within {ctx.config.targets.chat_timeout_s:g} s"
        else:
            why = f"the answer stopped: {answer.end}{': ' + answer.error if answer.error else ''}"
        return _result(check, CheckState.DOWN, f"chat: {why}", at, **kw)
    ttft_target = ctx.config.targets.ttft_p95_ms
    total_target = ctx.config.monitor.chat_total_ms
    slow = []
    if ttft is not None and ttft > ttft_target:
        slow.append(f"first token after {ttft:.0f} ms (target {ttft_target:.0f} ms)")
    if total > total_target:
        slow.append(f"answer took {total:.0f} ms (target {total_target:.0f} ms)")
    if slow:
        return _result(check, CheckState.DEGRADED, "chat slow: " + "; ".join(slow), at, **kw)
    message = (
        f"chat answered {len(answer.answer)} chars, first token in {ttft or 0:.0f} ms, done in {total:.0f} ms"
    )
    return _result(check, CheckState.UP, message, at, exercised={"chats_streamed": 1}, **kw)


async def probe_tls(ctx: ProbeContext, check: MonitorCheck) -> CheckResult:
    at = ctx.clock()
    try:
        seen = await ctx.tls.observe(check.target, ctx.config.network.https_port)
        leaf = seen.leaf()
    except (NetError, ValueError) as exc:
        return _result(check, CheckState.DOWN, f"no TLS handshake: {exc}", at)
    expires = leaf.not_valid_after_utc
    days = (expires - datetime.fromtimestamp(at, UTC)).total_seconds() / 86_400
    details = {"expires_at": expires.isoformat(), "days_left": round(days, 1)}
    if not seen.verified:
        return _result(
            check, CheckState.DOWN, f"certificate not trusted: {seen.verify_error}", at, details=details
        )
    if days <= 0:
        return _result(check, CheckState.DOWN, f"certificate expired {expires:%Y-%m-%d}", at, details=details)
    warn = ctx.config.monitor.tls_warn_days
    state = CheckState.DEGRADED if days < warn else CheckState.UP
    message = f"certificate valid for {days:.0f} more days (until {expires:%Y-%m-%d})"
    return _result(check, state, message, at, details=details, exercised={"handshakes": 1})


async def probe_email(ctx: ProbeContext, check: MonitorCheck) -> CheckResult:
    """Re-run the audit's email checks and compare the posture with the last good one."""
    from launchready.checks.email.revalidate import email_audit
    from launchready.checks.email.shared import ARTIFACT
    from launchready.email.baseline import ChangeKind, compare_postures

    at = ctx.clock()
    baseline = ctx.baselines.get_baseline(EMAIL_BASELINE_KEY)
    run = await email_audit(ctx.config, ctx.options)
    current = run.artifacts.get(ARTIFACT)
    if not isinstance(current, dict) or not current.get("domains"):
        return _result(check, CheckState.UNKNOWN, "the email posture could not be observed", at)
    domains = len(current["domains"])
    if baseline is None:
        ctx.baselines.put_baseline(EMAIL_BASELINE_KEY, current)
        return _result(
            check, CheckState.UNKNOWN,
            f"first observation of {domains} mail domain(s) saved as the baseline; drift is judged from the next run",
            at,
        )  # fmt: skip
    changes = compare_postures(baseline, current)
    details: dict[str, Any] = {"changes": [c.as_dict() for c in changes]}
    exercised = {"domains_compared": domains}
    worse = [c for c in changes if c.kind in (ChangeKind.WEAKENED, ChangeKind.REMOVED)]
    if worse:  # the baseline stays the last *good* posture until the drift is fixed
        text = "; ".join(c.describe() for c in worse)
        return _result(check, CheckState.DOWN, f"email authentication drift: {text}", at, details=details)
    ctx.baselines.put_baseline(EMAIL_BASELINE_KEY, current)
    changed = [c for c in changes if c.kind is ChangeKind.CHANGED]
    if changed:
        text = "; ".join(c.describe() for c in changed)
        return _result(check, CheckState.DEGRADED, f"email records changed: {text}", at, details=details)
    message = f"no email authentication change on {domains} mail domain(s)" + (
        f" ({len(changes)} improvement(s) accepted as the new baseline)" if changes else ""
    )
    return _result(check, CheckState.UP, message, at, details=details, exercised=exercised)


async def probe_heartbeat(ctx: ProbeContext, check: MonitorCheck) -> CheckResult:
    at = ctx.clock()
    last = ctx.heartbeats.last_ping(check.name)
    allowed = float(check.spec["period_s"]) + float(check.spec["grace_s"])
    if last is None:
        return _result(check, CheckState.UNKNOWN, f"no ping from {check.name} recorded yet", at)
    age = at - last
    details = {"last_ping_at": last, "age_s": round(age, 1)}
    if age > allowed:
        return _result(
            check,
            CheckState.DOWN,
            f"last ping {age:.0f} s ago, over the {allowed:.0f} s allowed",
            at,
            details=details,
        )
    return _result(
        check, CheckState.UP, f"last ping {age:.0f} s ago", at, details=details, exercised={"pings_seen": 1}
    )


async def probe_logs(ctx: ProbeContext, check: MonitorCheck) -> CheckResult:
    """Error rate (``logs:errors``) or failed LLM calls (``logs:llm``) over the last ``window_s``."""
    at = ctx.clock()
    spec = check.spec
    window = float(spec["window_s"])
    if ctx.logs is None:
        return _result(check, CheckState.UNKNOWN, "no log store in this run", at)
    total, errors, llm_failures = ctx.logs.log_window(at - window)
    details = {"events": total, "errors": errors, "llm_failures": llm_failures, "window_s": window}
    if total == 0:
        return _result(
            check, CheckState.UNKNOWN, f"no log events in the last {window:g} s", at, details=details
        )
    exercised = {"log_events": total}
    if check.name == "llm":
        limit = int(spec["llm_failures"])
        if llm_failures >= limit:
            message = f"{llm_failures} failed LLM calls in the last {window:g} s (alert at {limit})"
            return _result(check, CheckState.DOWN, message, at, details=details)
        message = f"{llm_failures} failed LLM calls in {total} events over {window:g} s"
        return _result(check, CheckState.UP, message, at, details=details, exercised=exercised)
    rate, limit_rate = errors / total, float(spec["error_rate"])
    if total < int(spec["min_events"]):
        message = (
            f"{total} events in {window:g} s: too few for an error-rate verdict (min {spec['min_events']})"
        )
        return _result(check, CheckState.UNKNOWN, message, at, details=details)
    if rate > limit_rate:
        message = f"error rate {rate:.1%} ({errors} of {total} events) over the {limit_rate:.1%} limit in {window:g} s"
        return _result(check, CheckState.DOWN, message, at, details=details)
    message = f"error rate {rate:.1%} ({errors} of {total} events) in the last {window:g} s"
    return _result(check, CheckState.UP, message, at, details=details, exercised=exercised)


PROBES = {
    CheckKind.ROUTE: probe_route,
    CheckKind.CHAT: probe_chat,
    CheckKind.TLS: probe_tls,
    CheckKind.EMAIL: probe_email,
    CheckKind.HEARTBEAT: probe_heartbeat,
    CheckKind.LOGS: probe_logs,
}


async def run_probe(ctx: ProbeContext, check: MonitorCheck, timeout_s: float) -> CheckResult:
    """One check under a hard time limit; an unexpected error is a *down*-free *unknown* with the reason."""
    import asyncio

    started = ctx.clock()
    try:
        async with asyncio.timeout(timeout_s):
            return await PROBES[check.kind](ctx, check)
    except TimeoutError:
        return _result(check, CheckState.DOWN, f"no result within {timeout_s:g} s", started)
    except Exception as exc:  # a bug in a probe must not stop the monitor; it is recorded, not hidden
        return _result(check, CheckState.UNKNOWN, f"internal error: {type(exc).__name__}: {exc}", started)
