"""Run a load test and judge it: the library behind ``launchready load`` (the CLI only parses and prints).

``run_load`` returns the typed ``LoadResults``; ``load_audit_run`` wraps them into an ``AuditRun`` (findings
from the verdicts, the results in ``artifacts["load"]``) so every report format carries them.
"""

from __future__ import annotations

import enum
import ipaddress
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from rich.console import Console

from launchready.config.model import LaunchConfig
from launchready.engine import AttemptOutcome, AuditRun, CheckAttempt, utc_now
from launchready.load.fastpath import FastPath
from launchready.load.generator import LoadPlan, run_closed, run_open
from launchready.load.live import live_view
from launchready.load.pool import LATENCY_GUESS_S, pool_size, resuming_context
from launchready.load.rates import Rates, connection_notes
from launchready.load.recorder import Recorder
from launchready.load.results import LoadResults
from launchready.load.scenario import Scenario, build_scenario
from launchready.load.sender import CHAT_GRACE_S, Sender
from launchready.load.verdicts import judge
from launchready.net import DnsResolver, HttpClient, Limits, NetError

SINGLE_PROCESS_CEILING = 6000
"""When to switch engines (the figure is conservative: the run's notes say when sends were late, which is
the real signal). benchmarks/bench_load.py (CLI rows, a quiet run) measured ~19,000 closed-model and
~17,000 sustained open-model requests/s on one core against nginx serving a 13-byte file on loopback,
through ``fastpath`` and its pre-opened pool; on a busy shared box a third of that. Chat
streams go through aiohttp and the SSE parser, which topped out near 3-4k plain requests/s before the fast
path existed, so chat-heavy scenarios saturate sooner. Above that (the run notes say when sends were late),
use ``--engine locust --workers N``: Locust scales across cores and machines, at the cost of a closed model
whose percentiles under-count stalls."""


class LoadEngine(enum.StrEnum):
    NATIVE = "native"
    LOCUST = "locust"


@dataclass(frozen=True)
class LoadOptions:
    engine: LoadEngine = LoadEngine.NATIVE
    rate: float | None = None
    duration_s: float | None = None
    max_requests: int | None = None
    users: int | None = None
    workers: int = 2
    """Locust worker processes (the native engine is one process)."""
    nameserver: str | None = None
    ca_bundle: str | None = None
    console: Console | None = None
    """Where the live view goes (stderr in the CLI); None shows nothing."""
    connections: int | None = None
    """Connections per host for plain requests (wrk's -c); None sizes the pool from the rate."""
    work_dir: Path | None = None
    """Locust only: where the locustfile and its JSON go (a temporary folder when None)."""


def plan_for(config: LaunchConfig, options: LoadOptions) -> LoadPlan:
    return LoadPlan.from_config(
        config.load,
        rate=options.rate,
        duration_s=options.duration_s,
        max_requests=options.max_requests,
        users=options.users,
    )


async def run_load(config: LaunchConfig, options: LoadOptions) -> LoadResults:
    scenario = build_scenario(config)
    plan = plan_for(config, options)
    if options.engine is LoadEngine.LOCUST:
        from launchready.load.locust_engine import run_locust

        return await run_locust(config, scenario, plan, options)
    return await run_native(scenario, plan, options, config.load.request_timeout_s, config.apex)


async def run_native(
    scenario: Scenario, plan: LoadPlan, options: LoadOptions, request_timeout_s: float, label: str = ""
) -> LoadResults:
    """The native generator on one aiohttp session (launchready's resolver and CA bundle)."""
    chat_budget = scenario.chat_timeout_s + CHAT_GRACE_S
    limits = Limits(
        read_timeout=max(request_timeout_s, chat_budget),
        request_timeout=request_timeout_s,
        max_connections=plan.max_in_flight,
    )
    resolver = DnsResolver(limits, nameserver=options.nameserver)
    started_at = utc_now()
    addresses = await _resolve_plain_hosts(scenario, resolver)
    size = options.connections or pool_size(
        plan.peak_rate if plan.is_open else None, plan.users, LATENCY_GUESS_S, plan.max_in_flight
    )
    # --connections is a hard bound (wrk's -c); the computed size is pre-opened and may grow to the cap
    ceiling = size if options.connections else plan.max_in_flight
    fast_path = FastPath(
        addresses, resuming_context(options.ca_bundle), request_timeout_s, pool_size=size, ceiling=ceiling
    )
    async with HttpClient(resolver, limits, ca_bundle=options.ca_bundle) as http, fast_path:
        await fast_path.prefill(scenario.steps)  # connection set-up before t=0, timed apart
        sender = Sender(http.session, scenario, request_timeout_s)
        sender.fast_path = fast_path
        notes: list[str] = []
        login = scenario.login
        if (
            login is not None
            and any(step.needs_auth for step in scenario.steps)
            and await sender.login() is None
        ):
            notes.append(f"login with route {login.name!r} gave no token; auth routes were sent without one")
        live = options.console is not None and options.console.is_terminal
        recorder = Recorder(scenario.steps, scenario.chat_timeout_s, live=live)
        run = run_open if plan.is_open else run_closed
        began = time.monotonic()
        if options.console is not None:
            async with live_view(recorder, plan.duration_s, label, options.console):
                await run(plan, scenario, sender, recorder)
        else:
            await run(plan, scenario, sender, recorder)
        elapsed = time.monotonic() - began
    rates = Rates.of(recorder, plan, elapsed)
    notes.extend(rates.notes(recorder, plan))
    notes.extend(connection_notes(fast_path.stats(), recorder.sent))
    # per-route throughput over the real sending window (behind schedule, that is longer than planned)
    window = max(rates.send_window_s, 1e-9)
    return LoadResults(
        engine=LoadEngine.NATIVE.value,
        model="open" if plan.is_open else "closed",
        started_at=started_at,
        planned_duration_s=plan.duration_s,
        duration_s=round(elapsed, 3),
        target_rate=plan.peak_rate if plan.is_open else None,
        users=plan.users,
        max_requests=plan.max_requests,
        max_in_flight=plan.max_in_flight,
        scheduled=recorder.scheduled,
        sent=recorder.sent,
        completed=recorder.completed,
        dropped=recorder.dropped,
        peak_in_flight=recorder.peak_in_flight,
        achieved_rate=rates.completed,
        intended_rate=rates.intended,
        sent_rate=rates.sent,
        completed_rate=rates.completed,
        generator_bound=rates.generator_bound,
        send_lag_p99_ms=rates.send_lag_p99_ms,
        connections=fast_path.stats(),
        latency_from="intended-send" if plan.is_open else "actual-send",
        routes=tuple(route.result(window) for route in recorder.routes.values()),
        notes=tuple(notes),
    )


async def _resolve_plain_hosts(scenario: Scenario, resolver: DnsResolver) -> dict[str, str]:
    """Resolve each host once, up front (wrk does the same); ``""`` marks a host that did not resolve."""
    addresses: dict[str, str] = {}
    for step in scenario.steps:
        host = urlsplit(step.url).hostname or ""
        if host in addresses or _is_ip(host):
            continue
        try:
            found = await resolver.addresses(host)
        except NetError:
            found = ()
        addresses[host] = found[0] if found else ""
    return addresses


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def audit_run_of(config: LaunchConfig, results: LoadResults) -> AuditRun:
    """The load results as an ``AuditRun``: verdict findings plus ``artifacts["load"]`` for the report."""
    findings = judge(results, config.targets, where=config.apex)
    return AuditRun(
        product=config.product.name,
        domain=config.apex,
        started_at=results.started_at,
        finished_at=utc_now(),
        deadline_s=results.planned_duration_s,
        findings=tuple(findings),
        attempts=(
            CheckAttempt(
                check=f"load.{results.engine}",
                outcome=AttemptOutcome.COMPLETED,
                duration_s=results.duration_s,
            ),
        ),
        artifacts={"load": results.model_dump(mode="json")},
    )


async def load_audit_run(config: LaunchConfig, options: LoadOptions) -> AuditRun:
    return audit_run_of(config, await run_load(config, options))
