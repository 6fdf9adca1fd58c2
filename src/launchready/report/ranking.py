"""How risks are ranked, which fixes must happen before launch, and what blocks ``--fail-on``.

Ranking (roadmap: "rank the risks by launch delay, support load and customer trust"):

1. Must-do-now findings (below) come first: a blocker always outranks advice, so a critical fail is above
   a medium warning whatever their impact, and the top of the risk list is the top of the fix plan.
2. Then ``Finding.risk_score``: status factor (fail 3, unverifiable 2, warn 1) x (severity weight + 1) x
   (impact total + 1), where the impact total adds the three roadmap axes (0-3 each).
3. Ties are broken by severity, then by status (fail before unverifiable before warn), then by the
   impact axes in the roadmap's order (launch delay, support load, customer trust), then by rule id and
   target so the order is stable from run to run (golden files, diffs between runs).

Fix plan: **must do now** holds every fail or unverifiable finding at high or critical severity (a check
that could not see a high-severity target is a blocker until someone verifies it: unverifiable never
counts as a pass); **can wait** holds every other non-pass finding. Within each bucket, findings with the
same rule and the same fix are grouped so one line says "add HSTS on api.x, app.x".

``blocking(run, level)`` is what ``--fail-on LEVEL`` uses: fail or unverifiable findings at or above the
level. Warnings never block: they are advice, and a CI gate that trips on advice gets switched off.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from launchready.engine.runner import AuditRun
from launchready.findings import Finding, Fix, Severity, Stage, Status

_STATUS_ORDER = {Status.FAIL: 0, Status.UNVERIFIABLE: 1, Status.WARN: 2, Status.PASS: 3}
BLOCKING_STATUSES = frozenset({Status.FAIL, Status.UNVERIFIABLE})
MUST_DO_SEVERITY = Severity.HIGH


def rank_key(finding: Finding) -> tuple[int, int, int, int, int, int, int, str, str]:
    """Sort key: highest risk first, fully deterministic."""
    impact = finding.impact
    return (
        0 if is_must_do_now(finding) else 1,
        -finding.risk_score,
        -finding.severity.weight,
        _STATUS_ORDER[finding.status],
        -impact.launch_delay,
        -impact.support_load,
        -impact.customer_trust,
        finding.rule_id,
        finding.target,
    )


def ranked_problems(findings: Iterable[Finding]) -> list[Finding]:
    """Every non-pass finding, highest risk first."""
    return sorted((f for f in findings if f.is_problem), key=rank_key)


def passes_in_order(findings: Iterable[Finding]) -> list[Finding]:
    """Passing findings in roadmap stage order, then rule id and target."""
    stage_order = {stage: i for i, stage in enumerate(Stage)}
    passing = (f for f in findings if f.status is Status.PASS)
    return sorted(passing, key=lambda f: (stage_order[f.stage], f.rule_id, f.target))


def is_must_do_now(finding: Finding) -> bool:
    """A fail or unverifiable finding at high or critical severity."""
    return finding.status in BLOCKING_STATUSES and finding.severity.at_least(MUST_DO_SEVERITY)


@dataclass(frozen=True)
class FixGroup:
    """One fix to apply, on every target where the same rule found the same problem."""

    rule_id: str
    title: str
    stage: Stage
    severity: Severity
    status: Status
    fix: Fix
    targets: tuple[str, ...]
    risk_score: int

    @property
    def headline(self) -> str:
        """``Add HSTS on api.x, app.x``: the fix summary with where it applies."""
        return f"{self.fix.summary.rstrip('.')} — on {', '.join(self.targets)}"


@dataclass(frozen=True)
class FixPlan:
    must_do_now: tuple[FixGroup, ...]
    can_wait: tuple[FixGroup, ...]


def group_fixes(findings: Sequence[Finding]) -> tuple[FixGroup, ...]:
    """Group ranked findings by rule and identical fix; a group takes its most severe member's rank."""
    groups: dict[tuple[str, str], list[Finding]] = {}
    for finding in sorted(findings, key=rank_key):
        key = (finding.rule_id, finding.fix.model_dump_json())
        groups.setdefault(key, []).append(finding)
    built = []
    for members in groups.values():
        top = members[0]
        targets = tuple(dict.fromkeys(m.target for m in members))
        built.append(
            FixGroup(
                rule_id=top.rule_id,
                title=top.title,
                stage=top.stage,
                severity=top.severity,
                status=top.status,
                fix=top.fix,
                targets=targets,
                risk_score=top.risk_score,
            )
        )
    return tuple(sorted(built, key=lambda g: (-g.risk_score, -g.severity.weight, g.rule_id, g.targets)))


def fix_plan(findings: Iterable[Finding]) -> FixPlan:
    problems = ranked_problems(findings)
    return FixPlan(
        must_do_now=group_fixes([f for f in problems if is_must_do_now(f)]),
        can_wait=group_fixes([f for f in problems if not is_must_do_now(f)]),
    )


@runtime_checkable
class HasFindings(Protocol):
    """A ``Report`` or anything else that carries the run's findings."""

    @property
    def findings(self) -> Sequence[Finding]: ...


def blocking(run_or_findings: AuditRun | HasFindings | Iterable[Finding], level: Severity) -> list[Finding]:
    """Fail or unverifiable findings at or above ``level``, ranked: what ``--fail-on LEVEL`` trips on.

    Warnings never block (see the module docstring).

    Accepts an ``AuditRun``, a ``Report`` (anything with ``findings``) or the findings themselves.
    """
    findings: Iterable[Finding] = (
        run_or_findings.findings if isinstance(run_or_findings, AuditRun | HasFindings) else run_or_findings
    )
    return [
        f for f in ranked_problems(findings) if f.status in BLOCKING_STATUSES and f.severity.at_least(level)
    ]
