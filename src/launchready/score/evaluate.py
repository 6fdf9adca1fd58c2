"""Turn a saved audit (or questionnaire answers) into signals, an app-risk score and the next sprint.

Every conclusion cites what drove it: a fired signal names the finding keys (``rule@target``) or the
stage, load route or answer behind it, so the founder can open the report at that line. A signal about
something the report never assessed fires *because* it was not shown ("no monitor on record"): an absent
check is no evidence that the thing works.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from launchready.config.model import TargetsConfig
from launchready.findings import Finding, Stage, Status
from launchready.report import Report
from launchready.score.bottleneck import bottlenecks, measured_rate
from launchready.score.rules import Signal, SignalKind, Sprint, SprintRules, load_rules

CITED_MAX = 8
"""Cited keys kept per reason in the terminal/Markdown view (JSON keeps them all)."""


@dataclass(frozen=True)
class SignalResult:
    signal: Signal
    fired: bool
    because: str
    cites: tuple[str, ...] = ()


@dataclass(frozen=True)
class RiskReason:
    points: float
    text: str
    cites: tuple[str, ...] = ()


@dataclass(frozen=True)
class SprintVerdict:
    sprint: Sprint
    fired: tuple[SignalResult, ...]


@dataclass(frozen=True)
class ScoreResult:
    source: str
    """``report`` (a saved audit) or ``questionnaire``."""
    product: str
    domain: str
    risk_score: int
    risk_level: str
    risk_reasons: tuple[RiskReason, ...]
    verdict: str
    ready: bool
    recommended: SprintVerdict
    sprints: tuple[SprintVerdict, ...]
    signals: tuple[SignalResult, ...]
    rules_updated: str
    notes: tuple[str, ...] = field(default=())


# --------------------------------------------------------------------------------------- signals


def _findings_signal(signal: Signal, report: Report) -> SignalResult:
    leads = [r.finding for r in report.risks]
    hits = [
        f
        for f in leads
        if signal.matches_rule(f.rule_id)
        and (not signal.statuses or f.status in signal.statuses)
        and (not signal.must_do_now or _must_do(report, f))
    ]
    if hits:
        return SignalResult(
            signal, True, f"{len(hits)} finding(s): {signal.says}", tuple(f.key for f in hits)
        )
    return SignalResult(signal, False, "no finding matches")


def _must_do(report: Report, finding: Finding) -> bool:
    return any(r.finding.key == finding.key and r.must_do_now for r in report.risks)


def _no_pass_signal(signal: Signal, report: Report) -> SignalResult:
    relevant = [
        f
        for f in report.findings
        if signal.matches_rule(f.rule_id) or (signal.stage and f.stage is signal.stage)
    ]
    passed = [f for f in relevant if f.status is Status.PASS]
    if passed:
        return SignalResult(
            signal, False, f"shown to work: {len(passed)} pass(es)", tuple(f.key for f in passed)
        )
    if not relevant:
        wanted = ", ".join(signal.rule_prefixes) + (f" (stage {signal.stage})" if signal.stage else "")
        return SignalResult(signal, True, f"{signal.says}: the report has no finding of {wanted}")
    states = ", ".join(sorted({f.status.value for f in relevant}))
    return SignalResult(signal, True, f"{signal.says} ({states})", tuple(f.key for f in relevant))


def _stage_signal(signal: Signal, report: Report) -> SignalResult:
    weak = [
        f"stage {s.stage.value}: {'not assessed' if s.score is None else f'{s.score}/100'}"
        for s in report.stages
        if s.stage in signal.stages and (s.score is None or s.score < signal.below)
    ]
    if weak:
        return SignalResult(signal, True, f"{signal.says}: {'; '.join(weak)}", tuple(weak))
    return SignalResult(signal, False, f"every core stage at {signal.below}/100 or more")


def _bottleneck_signal(
    signal: Signal, report: Report, load: Mapping[str, Any] | None, targets: TargetsConfig
) -> SignalResult:
    hits = [
        r.finding
        for r in report.risks
        if signal.matches_rule(r.finding.rule_id) and r.finding.status in signal.statuses
    ]
    if hits:
        first = hits[0]
        return SignalResult(
            signal, True, f"first bottleneck: {first.title} ({first.evidence})", tuple(f.key for f in hits)
        )
    if load is None:
        return SignalResult(signal, False, "no load results in the report (run `launchready load`)")
    found = bottlenecks(dict(load), targets)
    if found:
        return SignalResult(
            signal, True, f"first bottleneck: {found[0].line}", tuple(f"load:{b.route}" for b in found)
        )
    rate = measured_rate(dict(load))
    at = f" at {rate:.1f} req/s" if rate is not None else ""
    return SignalResult(
        signal, False, f"load run met every target{at}: raise the rate to find the first bottleneck"
    )


def evaluate_signal(
    signal: Signal, report: Report, load: Mapping[str, Any] | None, targets: TargetsConfig
) -> SignalResult:
    match signal.kind:
        case SignalKind.FINDINGS:
            return _findings_signal(signal, report)
        case SignalKind.NO_PASS:
            return _no_pass_signal(signal, report)
        case SignalKind.STAGE_BELOW:
            return _stage_signal(signal, report)
        case SignalKind.BOTTLENECK:
            return _bottleneck_signal(signal, report, load, targets)


# --------------------------------------------------------------------------------------- verdicts


def _sprints(
    rules: SprintRules, results: tuple[SignalResult, ...]
) -> tuple[SprintVerdict, tuple[SprintVerdict, ...]]:
    """The first sprint whose signals fire (file order), else the last one; and every sprint's verdict."""
    by_name = {r.signal.name: r for r in results}
    verdicts = tuple(
        SprintVerdict(s, tuple(by_name[n] for n in s.when_any if by_name[n].fired)) for s in rules.sprint
    )
    chosen = next((v for v in verdicts if v.fired), verdicts[-1])
    return chosen, verdicts


def _report_risk(report: Report, rules: SprintRules) -> tuple[int, tuple[RiskReason, ...]]:
    weights = rules.risk
    per_stage: dict[Stage, list[tuple[float, str]]] = defaultdict(list)
    for risk in report.risks:
        lead = risk.finding
        factor = {Status.FAIL: 1.0, Status.UNVERIFIABLE: weights.unverifiable_factor}.get(
            lead.status, weights.warn_factor
        )
        points = weights.points.get(lead.severity, 0) * factor
        if points:
            per_stage[lead.stage].append((points, lead.key))
    reasons = []
    for stage, items in per_stage.items():
        items.sort(key=lambda item: -item[0])
        total = sum(p for p, _ in items)
        text = f"{stage.value}: {len(items)} risk(s) worth {total:g} points"
        reasons.append(RiskReason(total, text, tuple(key for _, key in items)))
    missing = [s for s in report.stages if s.stage in weights.missing_stages and s.score is None]
    if missing and weights.missing_stage_points:
        names = ", ".join(s.stage.value for s in missing)
        points = float(weights.missing_stage_points * len(missing))
        reasons.append(
            RiskReason(
                points, f"not assessed, so unknown: {names}", tuple(f"stage:{n.stage.value}" for n in missing)
            )
        )
    reasons.sort(key=lambda r: -r.points)
    score = min(weights.cap, round(sum(r.points for r in reasons)))
    return score, tuple(reasons)


def score_report(
    report: Report,
    *,
    load: Mapping[str, Any] | None = None,
    targets: TargetsConfig | None = None,
    rules: SprintRules | None = None,
) -> ScoreResult:
    """Score a saved audit: ``load`` is a ``LoadResults`` document (default: the report's ``load`` artifact)."""
    rules = rules or load_rules()
    targets = targets or TargetsConfig()
    if load is None:
        artifact = report.run.artifacts.get("load")
        load = artifact if isinstance(artifact, dict) else None
    results = tuple(evaluate_signal(s, report, load, targets) for s in rules.signals)
    chosen, verdicts = _sprints(rules, results)
    score, reasons = _report_risk(report, rules)
    return ScoreResult(
        source="report",
        product=report.run.product,
        domain=report.run.domain,
        risk_score=score,
        risk_level=rules.risk.level_of(score),
        risk_reasons=reasons,
        verdict=report.verdict,
        ready=report.summary.blockers == 0,
        recommended=chosen,
        sprints=verdicts,
        signals=results,
        rules_updated=rules.updated.isoformat(),
    )


def score_answers(
    answers: Mapping[str, bool], *, product: str = "", domain: str = "", rules: SprintRules | None = None
) -> ScoreResult:
    """Score from the questionnaire: each answer "yes" fires its signal; unanswered questions are noted."""
    rules = rules or load_rules()
    results = []
    notes = []
    for signal in rules.signals:
        answer = answers.get(signal.name)
        if answer is None:
            notes.append(f"not answered: {signal.name} ({signal.question})")
            results.append(SignalResult(signal, False, "not answered"))
            continue
        said = "yes" if answer else "no"
        results.append(
            SignalResult(
                signal, answer, f"answered {said}: {signal.question}", (f"answer:{signal.name}={said}",)
            )
        )
    chosen, verdicts = _sprints(rules, tuple(results))
    reasons = tuple(
        RiskReason(float(r.signal.risk_points), r.signal.says, r.cites)
        for r in results
        if r.fired and r.signal.risk_points
    )
    score = min(rules.risk.cap, round(sum(r.points for r in reasons)))
    blocked = any(r.fired for r in results if r.signal.name in ("product_breaking", "blockers_remain"))
    verdict = (
        "NOT READY (from your answers): launch blockers remain"
        if blocked
        else "NO KNOWN BLOCKER (from your answers; run `launchready audit` to verify)"
    )
    return ScoreResult(
        source="questionnaire",
        product=product,
        domain=domain,
        risk_score=score,
        risk_level=rules.risk.level_of(score),
        risk_reasons=tuple(sorted(reasons, key=lambda r: -r.points)),
        verdict=verdict,
        ready=not blocked,
        recommended=chosen,
        sprints=verdicts,
        signals=tuple(results),
        rules_updated=rules.updated.isoformat(),
        notes=tuple(notes),
    )
