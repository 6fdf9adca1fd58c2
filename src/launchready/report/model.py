"""The report: ranked risks, the fix plan and a readiness score per roadmap stage, built from one run.

Readiness (0-100), per stage and overall:

- Every finding weighs ``(severity weight + 1) x (impact total + 1)``: a critical rule with a severe
  impact counts for far more than an informational one.
- A pass earns its full weight, a warning half of it, a fail or an unverifiable finding nothing
  (unverifiable never counts as a pass: a check that could not look is no evidence of readiness).
- The score is ``round(100 x earned / total weight)``.
- A stage (or the whole run) that still has a must-do-now item is capped at 50: a product with a launch
  blocker must not look "mostly ready" because it passes many small checks.
- A stage with no finding at all has no score (``None``, "not assessed"), never 100; a run with no finding
  scores 0 overall for the same reason.

The report keeps the ``AuditRun`` it came from, so renderers reach the product, times, attempts and
artifacts without a second model kept in sync by hand.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from launchready.engine.runner import AttemptOutcome, AuditRun, CheckAttempt
from launchready.findings import Finding, Stage, Status
from launchready.report.ranking import FixPlan, fix_plan, is_must_do_now, passes_in_order, ranked_problems

BLOCKER_CAP = 50
_CREDIT = {Status.PASS: 1.0, Status.WARN: 0.5, Status.FAIL: 0.0, Status.UNVERIFIABLE: 0.0}


def status_counts(findings: Sequence[Finding]) -> dict[Status, int]:
    counts = dict.fromkeys(Status, 0)
    for finding in findings:
        counts[finding.status] += 1
    return counts


def finding_weight(finding: Finding) -> int:
    return (finding.severity.weight + 1) * (finding.impact.total + 1)


def readiness_score(findings: Sequence[Finding]) -> int | None:
    """0-100 as described in the module docstring; ``None`` when nothing was assessed."""
    if not findings:
        return None
    total = sum(finding_weight(f) for f in findings)
    earned = sum(finding_weight(f) * _CREDIT[f.status] for f in findings)
    score = round(100 * earned / total)
    if any(is_must_do_now(f) for f in findings):
        score = min(score, BLOCKER_CAP)
    return score


@dataclass(frozen=True)
class RankedRisk:
    rank: int
    finding: Finding

    @property
    def must_do_now(self) -> bool:
        return is_must_do_now(self.finding)


@dataclass(frozen=True)
class StageReadiness:
    stage: Stage
    score: int | None
    counts: dict[Status, int]
    blockers: int

    @property
    def assessed(self) -> bool:
        return self.score is not None


@dataclass(frozen=True)
class Report:
    """What every renderer draws: built once by ``build_report``."""

    run: AuditRun
    risks: tuple[RankedRisk, ...]
    passes: tuple[Finding, ...]
    plan: FixPlan
    stages: tuple[StageReadiness, ...]
    overall: int
    counts: dict[Status, int]

    @property
    def findings(self) -> tuple[Finding, ...]:
        """All findings, ranked risks first, then passes in stage order."""
        return tuple(r.finding for r in self.risks) + self.passes

    @property
    def incomplete_attempts(self) -> tuple[CheckAttempt, ...]:
        """Checks that timed out, crashed or were skipped: the report must say the audit is partial."""
        return tuple(a for a in self.run.attempts if a.outcome is not AttemptOutcome.COMPLETED)

    @property
    def duration_s(self) -> float:
        return (self.run.finished_at - self.run.started_at).total_seconds()

    @property
    def verdict(self) -> str:
        """One line for the top of every format."""
        blockers = len(self.plan.must_do_now)
        if blockers:
            noun = "blocker" if blockers == 1 else "blockers"
            return f"NOT READY: {blockers} {noun} to fix before launch (readiness {self.overall}/100)"
        if self.counts[Status.FAIL] or self.counts[Status.WARN]:
            waiting = len(self.plan.can_wait)
            return f"READY WITH CAVEATS: no blocker, {waiting} fixes can wait (readiness {self.overall}/100)"
        if not self.run.findings:
            return "NOTHING ASSESSED: no check produced a finding"
        return f"READY: no blocker found (readiness {self.overall}/100)"


def build_report(run: AuditRun) -> Report:
    problems = ranked_problems(run.findings)
    stages = []
    for stage in Stage:
        in_stage = [f for f in run.findings if f.stage is stage]
        stages.append(
            StageReadiness(
                stage=stage,
                score=readiness_score(in_stage),
                counts=status_counts(in_stage),
                blockers=sum(1 for f in in_stage if is_must_do_now(f)),
            )
        )
    return Report(
        run=run,
        risks=tuple(RankedRisk(rank=i, finding=f) for i, f in enumerate(problems, start=1)),
        passes=tuple(passes_in_order(run.findings)),
        plan=fix_plan(run.findings),
        stages=tuple(stages),
        overall=readiness_score(run.findings) or 0,
        counts=status_counts(run.findings),
    )
