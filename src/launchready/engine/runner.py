"""Run checks concurrently, each under its own timeout, the whole run under one deadline.

The runner owns failure and completeness:

- every check ends as a ``CheckAttempt`` (completed, timed out, error, skipped), and a check that did not
  complete leaves an ``unverifiable`` finding for each of its rules, so nothing is silently a pass;
- every selected rule of every selected check appears exactly once per target: a rule a check forgot
  becomes ``not_assessed`` (it can no longer vanish from the report), and a duplicate keeps the worst;
- with no DNS answers at all (``preflight``), the network checks are not run: each of their rules is
  reported once as unverifiable under that one root cause, instead of waiting out every timeout;
- root causes are attached last (``rootcause``), so the report can fold what a broken host blocked.
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
from launchready.engine.preflight import DNS_UNAVAILABLE, dns_preflight
from launchready.engine.rootcause import attach_root_causes
from launchready.findings import Finding, RuleSpec, Stage, Status
from launchready.net import DnsResolver, HttpClient, Limits, TlsProber
from launchready.rules import rule

if TYPE_CHECKING:
    from launchready.checks.interface import Check

INTERNAL_ERROR = rule("engine.check.error")
ENGINE_RULES: tuple[RuleSpec, ...] = (INTERNAL_ERROR, DNS_UNAVAILABLE)
"""Rules the engine itself emits (not any check's)."""
MISSING_VERDICT = "gave no verdict for this rule"


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
    no_dns: Finding | None = None
    if any(c.needs_network for c in selected):
        no_dns = await dns_preflight(ctx, budget_s=min(2.5, max(0.5, options.deadline_s / 4)))

    async def attempt(check: Check) -> tuple[CheckAttempt, list[Finding]]:
        if no_dns is not None and check.needs_network:
            reason = f"not run: {no_dns.reason}"
            blocked = [
                spec.unverifiable(ctx.config.apex, reason, blocked_by=no_dns.key) for spec in check.rules
            ]
            skipped = CheckAttempt(
                check=check.name, outcome=AttemptOutcome.SKIPPED, duration_s=0.0, reason=reason
            )
            observer.check_finished(skipped)
            return skipped, blocked
        async with semaphore:
            observer.check_started(check.name)
            begun = time.monotonic()
            budget = min(check.timeout_s, deadline - begun)
            try:
                if budget <= 0:
                    raise TimeoutError
                async with asyncio.timeout(budget):
                    findings = complete_findings(check, await check.run(ctx), ctx.config.apex)
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
    engine_ids = {spec.rule_id for spec in ENGINE_RULES}
    findings = [
        f
        for _, found in results
        for f in found
        if f.rule_id in engine_ids or options.selection.wants_rule(f.rule_id, f.stage)
    ]
    if no_dns is not None:
        findings.insert(0, no_dns)
    findings = attach_root_causes(findings)
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


_WORST_FIRST = (Status.FAIL, Status.UNVERIFIABLE, Status.WARN, Status.NOT_ASSESSED, Status.PASS)


def complete_findings(check: Check, findings: Sequence[Finding], default_target: str) -> list[Finding]:
    """Exactly one finding per (declared rule, target): fill a forgotten rule, keep the worst duplicate.

    A forgotten rule is ``not_assessed`` naming the check, so a test can spot it; a finding for a rule the
    check does not declare is kept as is (the registry test catches those).
    """
    by_key: dict[tuple[str, str], Finding] = {}
    for finding in findings:
        key = (finding.rule_id, finding.target)
        kept = by_key.get(key)
        if kept is None or _WORST_FIRST.index(finding.status) < _WORST_FIRST.index(kept.status):
            by_key[key] = finding
    seen_rules = {rule_id for rule_id, _ in by_key}
    out = list(by_key.values())
    for spec in check.rules:
        if spec.rule_id not in seen_rules:
            out.append(spec.not_assessed(default_target, f"check {check.name} {MISSING_VERDICT} here"))
    return out


def _unverifiable_for(check: Check, config: LaunchConfig, reason: str) -> list[Finding]:
    return [rule.unverifiable(config.apex, reason) for rule in check.rules]


def count_by_status(findings: Sequence[Finding]) -> dict[Status, int]:
    counts = dict.fromkeys(Status, 0)
    for finding in findings:
        counts[finding.status] += 1
    return counts
