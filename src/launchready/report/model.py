"""The report: root causes, ranked risks, the fix plan and a readiness score per roadmap stage, from one run.

**Counts.** ``tally`` is the ONE function that counts a run: findings per status (fail, unverifiable,
warn, pass, not_assessed), blockers (ranked must-do risks), risks (ranked risks, after root causes and
groups are folded), root causes, blocked findings and fix items. The headline, the stage table (one tally
per stage, from the same risk list), the JSON summary and the SARIF results all read it, so the stage
rows add up to the headline in every format.

**Readiness** (0-100), per stage and overall:

- Every finding weighs ``(severity weight + 1) x (impact total + 1)``: a critical rule with a severe
  impact counts for far more than an informational one.
- Only a ``pass`` earns its full weight. A ``warn`` keeps half of it (the target was seen and works, with
  advice). ``fail`` and ``unverifiable`` earn nothing (a check that could not look is no evidence of
  readiness). ``not_assessed`` weighs nothing at all: it neither earns credit nor lowers the score, and it
  never blocks — "no env files to scan" is neither good nor bad news.
- The score is ``round(100 x earned / total weight)``.
- A stage (or the whole run) that still has a must-do-now risk is capped at 50: a product with a launch
  blocker must not look "mostly ready" because it passes many small checks.
- A stage with nothing assessed (no finding, or only not-assessed ones) has no score (``None``), never
  100; the overall score says which stages it covers. Stages launchready has no checks for yet name the
  command that covers them (``COVERED_BY``).

The report keeps the ``AuditRun`` it came from, so renderers reach the product, times, attempts and
artifacts without a second model kept in sync by hand.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from launchready.engine.runner import AttemptOutcome, AuditRun, CheckAttempt
from launchready.findings import Finding, Stage, Status
from launchready.report.fixplan import FixItem, FixPlan, fix_plan
from launchready.report.ranking import in_stage_order, is_must_do_now, passes_in_order
from launchready.report.risks import NO_DNS_RULE, Risk, build_risks

BLOCKER_CAP = 50
_CREDIT = {Status.PASS: 1.0, Status.WARN: 0.5, Status.FAIL: 0.0, Status.UNVERIFIABLE: 0.0}
COVERED_BY: dict[Stage, tuple[str, ...]] = {
    Stage.DEPLOY: ("launchready drill", "launchready smoke"),
    Stage.PERFORMANCE: ("launchready audit --with performance", "launchready load"),
    Stage.MONITORING: ("launchready monitor --once",),
    Stage.HANDOVER: ("launchready handover",),
}
"""Stages whose evidence comes (also) from another command, named when this run assessed nothing there."""
NO_DNS_NOTICE = "no DNS answers at all — nothing could be observed"


def status_counts(findings: Sequence[Finding]) -> dict[Status, int]:
    counts = dict.fromkeys(Status, 0)
    for finding in findings:
        counts[finding.status] += 1
    return counts


@dataclass(frozen=True)
class Tally:
    """What a run (or one stage of it) counts: see the module docstring."""

    counts: dict[Status, int]
    blockers: int
    risks: int
    root_causes: int
    blocked: int
    must_do_now: int
    can_wait: int

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def problems(self) -> int:
        """Fail + unverifiable + warn: one SARIF result each."""
        return self.counts[Status.FAIL] + self.counts[Status.UNVERIFIABLE] + self.counts[Status.WARN]

    def as_dict(self) -> dict[str, int]:
        """The wire shape (JSON summary and stages, SARIF run properties): same keys everywhere."""
        return {
            "total": self.total,
            **{status.value: self.counts[status] for status in Status},
            "blockers": self.blockers,
            "risks": self.risks,
            "root_causes": self.root_causes,
            "blocked": self.blocked,
            "must_do_now": self.must_do_now,
            "can_wait": self.can_wait,
        }


def tally(findings: Sequence[Finding], risks: Sequence[Risk], fixes: Sequence[FixItem]) -> Tally:
    """The one count of ``findings``, given the risks and fix items built from the whole run."""
    return Tally(
        counts=status_counts(findings),
        blockers=sum(1 for r in risks if r.must_do_now),
        risks=len(risks),
        root_causes=sum(1 for r in risks if r.root_cause),
        blocked=sum(len(r.blocked) for r in risks),
        must_do_now=sum(1 for i in fixes if i.must_do_now),
        can_wait=sum(1 for i in fixes if not i.must_do_now),
    )


def finding_weight(finding: Finding) -> int:
    return (finding.severity.weight + 1) * (finding.impact.total + 1)


def readiness_score(findings: Sequence[Finding], *, blocked: bool | None = None) -> int | None:
    """0-100 as described in the module docstring; ``None`` when nothing was assessed.

    ``blocked`` says whether a must-do risk remains (the cap); by default, whether any finding is must-do.
    """
    weighed = [f for f in findings if f.status is not Status.NOT_ASSESSED]
    if not weighed:
        return None
    total = sum(finding_weight(f) for f in weighed)
    earned = sum(finding_weight(f) * _CREDIT[f.status] for f in weighed)
    score = round(100 * earned / total)
    if blocked is None:
        blocked = any(is_must_do_now(f) for f in weighed)
    if blocked:
        score = min(score, BLOCKER_CAP)
    return score


@dataclass(frozen=True)
class StageReadiness:
    stage: Stage
    score: int | None
    tally: Tally

    @property
    def counts(self) -> dict[Status, int]:
        return self.tally.counts

    @property
    def blockers(self) -> int:
        return self.tally.blockers

    @property
    def assessed(self) -> bool:
        return self.score is not None

    @property
    def covering_commands(self) -> tuple[str, ...]:
        """The commands that cover this stage, when this run assessed nothing there."""
        return COVERED_BY.get(self.stage, ()) if not self.assessed else ()

    @property
    def covered_by(self) -> str | None:
        """``launchready drill / launchready smoke``, or ``None``."""
        commands = self.covering_commands
        return " / ".join(commands) if commands else None


@dataclass(frozen=True)
class NotAssessed:
    """Rules not assessed for one reason: "not assessed: 3 rules — add [environments] to ..."."""

    reason: str
    findings: tuple[Finding, ...]

    @property
    def rule_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(f.rule_id for f in self.findings))

    @property
    def line(self) -> str:
        n = len(self.rule_ids)
        return f"not assessed: {n} {'rule' if n == 1 else 'rules'} — {self.reason}"


def not_assessed_groups(findings: Sequence[Finding]) -> tuple[NotAssessed, ...]:
    """Not-assessed findings grouped by reason, the largest group first."""
    by_reason: dict[str, list[Finding]] = {}
    for finding in in_stage_order(f for f in findings if f.status is Status.NOT_ASSESSED):
        by_reason.setdefault(finding.reason or "no reason given", []).append(finding)
    groups = [NotAssessed(reason, tuple(fs)) for reason, fs in by_reason.items()]
    return tuple(sorted(groups, key=lambda g: (-len(g.rule_ids), g.reason)))


@dataclass(frozen=True)
class Report:
    """What every renderer draws: built once by ``build_report``."""

    run: AuditRun
    risks: tuple[Risk, ...]
    passes: tuple[Finding, ...]
    not_assessed: tuple[NotAssessed, ...]
    plan: FixPlan
    stages: tuple[StageReadiness, ...]
    overall: int
    summary: Tally

    @property
    def counts(self) -> dict[Status, int]:
        return self.summary.counts

    @property
    def root_causes(self) -> tuple[Risk, ...]:
        return tuple(r for r in self.risks if r.root_cause)

    @property
    def offline(self) -> bool:
        """The resolver answered nothing: the run observed nothing on the network."""
        return any(r.finding.rule_id == NO_DNS_RULE for r in self.root_causes)

    @property
    def findings(self) -> tuple[Finding, ...]:
        """Every finding once: risks in rank order (lead, then its group), what they blocked, then the
        not-assessed rules, then passes in stage order."""
        ranked = tuple(m for r in self.risks for m in r.members)
        blocked = tuple(b for r in self.risks for b in r.blocked)
        skipped = tuple(f for g in self.not_assessed for f in g.findings)
        return ranked + blocked + skipped + self.passes

    @property
    def covered_stages(self) -> tuple[Stage, ...]:
        return tuple(s.stage for s in self.stages if s.assessed)

    @property
    def incomplete_attempts(self) -> tuple[CheckAttempt, ...]:
        """Checks that timed out, crashed or were skipped: the report must say the audit is partial.
        With no DNS at all, the checks skipped for it are already counted under that one root cause."""
        return tuple(
            a
            for a in self.run.attempts
            if a.outcome is not AttemptOutcome.COMPLETED
            and not (self.offline and a.outcome is AttemptOutcome.SKIPPED)
        )

    @property
    def duration_s(self) -> float:
        return (self.run.finished_at - self.run.started_at).total_seconds()

    @property
    def readiness_line(self) -> str:
        """``readiness 42/100 over audit, dns-edge``: the score and the stages it covers."""
        covered = ", ".join(s.value for s in self.covered_stages)
        return f"readiness {self.overall}/100 over {covered}" if covered else "readiness not assessed"

    @property
    def verdict(self) -> str:
        """One line for the top of every format."""
        s = self.summary
        if s.blockers:
            noun = "blocker" if s.blockers == 1 else "blockers"
            fixes = f", {s.must_do_now} {'fix' if s.must_do_now == 1 else 'fixes'}" if s.must_do_now else ""
            return f"NOT READY: {s.blockers} {noun}{fixes} before launch ({self.readiness_line})"
        if not self.covered_stages:
            return "NOTHING ASSESSED: no check could assess anything"
        if s.risks:
            return f"READY WITH CAVEATS: no blocker, {s.can_wait} fixes can wait ({self.readiness_line})"
        return f"READY: no blocker found ({self.readiness_line})"


def build_report(run: AuditRun) -> Report:
    risks = build_risks(run.findings)
    plan = fix_plan(risks, domain=run.domain, canonical=getattr(run, "canonical", None))
    stages = []
    for stage in Stage:
        in_stage = [f for f in run.findings if f.stage is stage]
        stage_risks = [r for r in risks if r.stage is stage]
        stage_tally = tally(in_stage, stage_risks, [i for i in plan.items if i.stage is stage])
        stages.append(
            StageReadiness(
                stage=stage,
                score=readiness_score(in_stage, blocked=stage_tally.blockers > 0),
                tally=stage_tally,
            )
        )
    summary = tally(run.findings, risks, plan.items)
    return Report(
        run=run,
        risks=risks,
        passes=tuple(passes_in_order(run.findings)),
        not_assessed=not_assessed_groups(run.findings),
        plan=plan,
        stages=tuple(stages),
        overall=readiness_score(run.findings, blocked=summary.blockers > 0) or 0,
        summary=summary,
    )
