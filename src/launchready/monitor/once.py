"""``launchready monitor --once``: every check run once, as one report (for cron and CI).

The results become findings of the ``monitor.*`` rules (``rules/data/monitoring.toml``), so every report
format works unchanged: up is a pass (with what was exercised), degraded a warning, down a fail, unknown
not assessed or unverifiable with the reason. The JSON report's ``artifacts.monitor.checks`` lists each
check's state, latency and — for the chat flow — its time to first token.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime

from launchready.config import LaunchConfig
from launchready.engine import AuditRun, RunOptions
from launchready.findings import Finding
from launchready.monitor.chat_client import SharedChatSender
from launchready.monitor.model import CheckKind, CheckResult, CheckState, MonitorCheck
from launchready.monitor.plan import monitor_plan
from launchready.monitor.probes import (
    BaselineStore,
    HeartbeatLookup,
    LogWindow,
    MemoryState,
    ProbeContext,
    run_probe,
)
from launchready.rules import rule

RULES = {
    CheckKind.ROUTE: rule("monitor.route.down"),
    CheckKind.CHAT: rule("monitor.chat.down"),
    CheckKind.TLS: rule("monitor.tls.expiring"),
    CheckKind.EMAIL: rule("monitor.email.drift"),
    CheckKind.HEARTBEAT: rule("monitor.heartbeat.missed"),
    CheckKind.LOGS: rule("monitor.logs.spike"),
}
ARTIFACT = "monitor"


@asynccontextmanager
async def probe_context(
    config: LaunchConfig,
    options: RunOptions,
    baselines: BaselineStore | None = None,
    heartbeats: HeartbeatLookup | None = None,
) -> AsyncIterator[ProbeContext]:
    """The HTTP client, TLS prober and chat sender every probe shares (one connection pool per process)."""
    from launchready.net import DnsResolver, HttpClient, Limits, TlsProber

    limits = Limits(request_timeout=config.monitor.timeout_s, max_connections=config.monitor.concurrency)
    resolver = DnsResolver(limits, nameserver=options.nameserver)
    memory = MemoryState()
    async with HttpClient(resolver, limits, ca_bundle=options.ca_bundle) as http:
        yield ProbeContext(
            config=config, http=http, tls=TlsProber(resolver, limits, options.ca_bundle),
            chat=SharedChatSender(http, config), options=options,
            baselines=baselines or memory, heartbeats=heartbeats or memory,
            logs=heartbeats if isinstance(heartbeats, LogWindow) else memory,
        )  # fmt: skip


def check_timeout(config: LaunchConfig, check: MonitorCheck) -> float:
    if check.kind is CheckKind.CHAT:
        return config.targets.chat_timeout_s + 5
    if check.kind is CheckKind.EMAIL:
        return 60.0
    return config.monitor.timeout_s + 5


async def run_checks(
    ctx: ProbeContext, checks: Sequence[MonitorCheck], concurrency: int
) -> list[CheckResult]:
    gate = asyncio.Semaphore(concurrency)

    async def bounded(check: MonitorCheck) -> CheckResult:
        async with gate:
            return await run_probe(ctx, check, check_timeout(ctx.config, check))

    return list(await asyncio.gather(*(bounded(check) for check in checks)))


def to_finding(result: CheckResult) -> Finding:
    spec = RULES[result.kind]
    details = {"check_id": result.check_id, **result.details}
    if result.latency_ms is not None:
        details["latency_ms"] = result.latency_ms
    if result.ttft_ms is not None:
        details["ttft_ms"] = result.ttft_ms
    target = result.target
    match result.state:
        case CheckState.UP if any(result.exercised.values()):
            return spec.passed(target, result.message, exercised=result.exercised, details=details)
        case CheckState.UP:  # a probe that says "up" without saying what it exercised earns no pass
            return spec.unverifiable(target, f"up, but nothing exercised was recorded: {result.message}")
        case CheckState.DEGRADED:
            return spec.warned(target, result.message, details=details)
        case CheckState.DOWN:
            return spec.failed(target, result.message, details=details)
        case CheckState.UNKNOWN:
            if result.message.startswith(("first observation", "no ping", "no chat route", "no log events")):
                return spec.not_assessed(target, result.message, details=details)
            return spec.unverifiable(target, result.message, details=details)


def to_run(
    config: LaunchConfig, results: Sequence[CheckResult], started: datetime, deadline_s: float
) -> AuditRun:
    return AuditRun(
        product=config.product.name,
        domain=config.apex,
        started_at=started,
        finished_at=datetime.now(UTC),
        deadline_s=deadline_s,
        findings=tuple(to_finding(result) for result in results),
        attempts=(),
        artifacts={ARTIFACT: {"checks": [result.as_dict() for result in results]}},
    )


async def monitor_once(
    config: LaunchConfig,
    options: RunOptions,
    baselines: BaselineStore | None = None,
    heartbeats: HeartbeatLookup | None = None,
    checks: Sequence[MonitorCheck] | None = None,
) -> tuple[AuditRun, list[CheckResult]]:
    started = datetime.now(UTC)
    plan = list(checks if checks is not None else monitor_plan(config))
    selection = options.selection
    plan = [c for c in plan if selection.wants_rule(RULES[c.kind].rule_id, RULES[c.kind].stage)]
    async with probe_context(config, options, baselines, heartbeats) as ctx:
        results = await run_checks(ctx, plan, config.monitor.concurrency)
    return to_run(config, results, started, options.deadline_s), results
