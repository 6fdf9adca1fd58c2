"""How findings are ranked, what must happen before launch, and what blocks ``--fail-on``.

Ranking (roadmap: "rank the risks by launch delay, support load and customer trust"):

1. Must-do-now findings (below) come first: a blocker always outranks advice, so a critical fail is above
   a medium warning whatever their impact, and the top of the risk list is the top of the fix plan.
2. Then ``Finding.risk_score``: status factor (fail 3, unverifiable 2, warn 1) x (severity weight + 1) x
   (impact total + 1), where the impact total adds the three roadmap axes (0-3 each).
3. Ties are broken by severity, then by status (fail before unverifiable before warn), then by the
   impact axes in the roadmap's order (launch delay, support load, customer trust), then by rule id and
   target so the order is stable from run to run (golden files, diffs between runs).

Root causes and groups are applied on top of this order (``risks``): a root cause is ranked above every
other risk, a finding it blocked is not ranked at all, and a group of findings is ranked as its best member.

**Must do now** is every fail or unverifiable finding at high or critical severity (a check that could not
see a high-severity target is a blocker until someone verifies it: unverifiable never counts as a pass).
``not_assessed`` is never a problem, so it never blocks.

``blocking(run, level)`` is what ``--fail-on LEVEL`` uses: fail or unverifiable findings at or above the
level. Warnings never block: they are advice, and a CI gate that trips on advice gets switched off.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol, runtime_checkable

from launchready.engine.runner import AuditRun
from launchready.findings import Finding, Severity, Stage, Status

_STATUS_ORDER = {
    Status.FAIL: 0,
    Status.UNVERIFIABLE: 1,
    Status.WARN: 2,
    Status.PASS: 3,
    Status.NOT_ASSESSED: 4,
}
BLOCKING_STATUSES = frozenset({Status.FAIL, Status.UNVERIFIABLE})
MUST_DO_SEVERITY = Severity.HIGH
STAGE_ORDER = {stage: i for i, stage in enumerate(Stage)}


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
    """Every problem finding (fail, unverifiable, warn), highest risk first; blocked ones included."""
    return sorted((f for f in findings if f.is_problem), key=rank_key)


def in_stage_order(findings: Iterable[Finding]) -> list[Finding]:
    """Findings in roadmap stage order, then rule id and target."""
    return sorted(findings, key=lambda f: (STAGE_ORDER[f.stage], f.rule_id, f.target))


def passes_in_order(findings: Iterable[Finding]) -> list[Finding]:
    """Passing findings in roadmap stage order, then rule id and target."""
    return in_stage_order(f for f in findings if f.status is Status.PASS)


def is_must_do_now(finding: Finding) -> bool:
    """A fail or unverifiable finding at high or critical severity."""
    return finding.status in BLOCKING_STATUSES and finding.severity.at_least(MUST_DO_SEVERITY)


@runtime_checkable
class HasFindings(Protocol):
    """A ``Report`` or anything else that carries the run's findings."""

    @property
    def findings(self) -> Sequence[Finding]: ...


def blocking(run_or_findings: AuditRun | HasFindings | Iterable[Finding], level: Severity) -> list[Finding]:
    """Fail or unverifiable findings at or above ``level``, ranked: what ``--fail-on LEVEL`` trips on.

    Warnings and not-assessed rules never block (see the module docstring).

    Accepts an ``AuditRun``, a ``Report`` (anything with ``findings``) or the findings themselves.
    """
    findings: Iterable[Finding] = (
        run_or_findings.findings if isinstance(run_or_findings, AuditRun | HasFindings) else run_or_findings
    )
    return [
        f for f in ranked_problems(findings) if f.status in BLOCKING_STATUSES and f.severity.at_least(level)
    ]
