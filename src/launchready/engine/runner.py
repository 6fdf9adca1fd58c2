"""Run checks concurrently, each under its own timeout, the whole run under one deadline.

The runner owns failure: every check ends as a ``CheckAttempt`` (completed, timed out, error, skipped),
and a check that did not complete leaves an ``unverifiable`` finding for each of its rules, so nothing is
ever silently counted as a pass.
"""

from __future__ import annotations

import asyncio
import enum
import time
import traceback
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from launchready import __version__
from launchready.config import LaunchConfig
from launchready.engine.context import CheckContext, utc_now
from launchready.engine.observer import RunObserver, SilentObserver
from launchready.findings import Finding, Fix, Impact, RuleSpec, Severity, Stage, Status
from launchready.net import DnsResolver, HttpClient, Limits, TlsProber

if TYPE_CHECKING:
    from launchready.checks.interface import Check

INTERNAL_ERROR = RuleSpec(
    rule_id="engine.check.error",
    title="A check crashed",
    stage=Stage.AUDIT,
    severity=Severity.HIGH,
    description="A check raised an unexpected error; its rules could not be verified. This is a launchready bug.",
    impact=Impact(launch_delay=1, support_load=0, customer_trust=0),
    fix=Fix(
        summary="Re-run with --debug and report the traceback to the launchready issue tracker.",
        steps=("Run the same command with --debug.", "File an issue with the traceback it prints."),
    ),
)


class AttemptOutcome(enum.StrEnum):
    COMPLETED = "completed"
    TIMED_OUT = "timed_out"
    ERROR = "error"
    SKIPPED = "skipped"


class CheckAttempt(BaseModel):
    model_config = ConfigDict(frozen=True)

    check: str
    outcome: AttemptOutcome
    duration_s: float
    reason: str | None = None
    traceback: str | None = Field(default=None, description="Kept for --debug; never rendered by default")


class AuditRun(BaseModel):
    """Everything one run produced: the input a report is rendered from."""

    model_config = ConfigDict(frozen=True)

    tool_version: str = __version__
    product: str
    domain: str
    started_at: datetime
    finished_at: datetime
    deadline_s: float
    findings: tuple[Finding, ...]
    attempts: tuple[CheckAttempt, ...]
    artifacts: dict[str, Any] = Field(default_factory=dict)


@dataclass(frozen=True)
class Selection:
    """``--only`` / ``--skip`` / ``--with``: rule ids, id prefixes (``tls`` selects ``tls.*``) or stage names."""

    only: tuple[str, ...] = ()
    skip: tuple[str, ...] = ()
    with_groups: frozenset[str] = field(default_factory=frozenset)

    def wants_rule(self, rule_id: str, stage: Stage) -> bool:
        if self.only and not any(_matches(rule_id, stage, pattern) for pattern in self.only):
            return False
        return not any(_matches(rule_id, stage, pattern) for pattern in self.skip)

    def wants_check(self, check: Check) -> bool:
        if check.opt_in and check.opt_in not in self.with_groups:
            return False
        return any(self.wants_rule(rule.rule_id, rule.stage) for rule in check.rules)


def _matches(rule_id: str, stage: Stage, pattern: str) -> bool:
    pattern = pattern.strip().lower()
    return rule_id == pattern or rule_id.startswith(pattern.rstrip(".*") + ".") or stage.value == pattern


@dataclass(frozen=True)
class RunOptions:
    deadline_s: float = 60.0
    limits: Limits = field(default_factory=Limits)
    nameserver: str | None = None
    ca_bundle: str | None = None
    selection: Selection = field(default_factory=Selection)
    max_concurrency: int = 16


async def run_audit(
    config: LaunchConfig,
    checks: Sequence[Check],
    options: RunOptions | None = None,
    observer: RunObserver | None = None,
) -> AuditRun:
    """Build the network seams, run the selected checks, and close everything, within the deadline."""
    options = options or RunOptions()
    resolver = DnsResolver(options.limits, nameserver=options.nameserver)
    async with HttpClient(resolver, options.limits, ca_bundle=options.ca_bundle) as http:
        ctx = CheckContext(
            config=config,
            resolver=resolver,
            http=http,
            tls=TlsProber(resolver, options.limits, options.ca_bundle),
            limits=options.limits,
            ca_bundle=options.ca_bundle,
        )
        return await run_checks(ctx, checks, options, observer)


async def run_checks(
    ctx: CheckContext,
    checks: Sequence[Check],
    options: RunOptions,
    observer: RunObserver | None = None,
) -> AuditRun:
    observer = observer or SilentObserver()
    selected = [c for c in checks if options.selection.wants_check(c)]
    started_at = ctx.clock()
    started = time.monotonic()
    deadline = started + options.deadline_s
    observer.run_started([c.name for c in selected])
    semaphore = asyncio.Semaphore(options.max_concurrency)

    async def attempt(check: Check) -> tuple[CheckAttempt, list[Finding]]:
        async with semaphore:
            observer.check_started(check.name)
            begun = time.monotonic()
            budget = min(check.timeout_s, deadline - begun)
            try:
                if budget <= 0:
                    raise TimeoutError
                async with asyncio.timeout(budget):
                    findings = await check.run(ctx)
                result = CheckAttempt(
                    check=check.name, outcome=AttemptOutcome.COMPLETED, duration_s=time.monotonic() - begun
                )
            except TimeoutError:
                hit_deadline = time.monotonic() >= deadline - 0.05
                reason = (
                    f"the run's deadline ({options.deadline_s:g}s) was reached before this check finished"
                    if hit_deadline
                    else f"the check did not finish within its {check.timeout_s:g}s time limit"
                )
                result = CheckAttempt(
                    check=check.name,
                    outcome=AttemptOutcome.TIMED_OUT,
                    duration_s=time.monotonic() - begun,
                    reason=reason,
                )
                findings = _unverifiable_for(check, ctx.config, reason)
            except Exception as exc:
                reason = f"internal error in check {check.name}: {type(exc).__name__}: {exc}"
                result = CheckAttempt(
                    check=check.name,
                    outcome=AttemptOutcome.ERROR,
                    duration_s=time.monotonic() - begun,
                    reason=reason,
                    traceback=traceback.format_exc(),
                )
                findings = [
                    INTERNAL_ERROR.unverifiable(check.name, reason),
                    *_unverifiable_for(check, ctx.config, reason),
                ]
        observer.check_finished(result)
        return result, findings

    results = await asyncio.gather(*(attempt(c) for c in selected))
    findings = [
        f
        for _, found in results
        for f in found
        if f.rule_id == INTERNAL_ERROR.rule_id or options.selection.wants_rule(f.rule_id, f.stage)
    ]
    run = AuditRun(
        product=ctx.config.product.name,
        domain=ctx.config.apex,
        started_at=started_at,
        finished_at=utc_now(),
        deadline_s=options.deadline_s,
        findings=tuple(findings),
        attempts=tuple(a for a, _ in results),
        artifacts=dict(ctx.artifacts),
    )
    observer.run_finished(run)
    return run


def _unverifiable_for(check: Check, config: LaunchConfig, reason: str) -> list[Finding]:
    return [rule.unverifiable(config.apex, reason) for rule in check.rules]


def count_by_status(findings: Sequence[Finding]) -> dict[Status, int]:
    counts = dict.fromkeys(Status, 0)
    for finding in findings:
        counts[finding.status] += 1
    return counts
