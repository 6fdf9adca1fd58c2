"""The one typed result every check returns.

A ``Finding`` is the unit the audit, CI and the monitor all speak. Its rule is declared once as a
``RuleSpec`` next to the check that owns it, so ``launchready checks`` and the report never depend on a
check having run. ``unverifiable`` is a status of its own and never counts as a pass: a check that cannot
see its target says so with a reason.
"""

from __future__ import annotations

import enum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator


class Status(enum.StrEnum):
    PASS = "pass"
    FAIL = "fail"
    WARN = "warn"
    UNVERIFIABLE = "unverifiable"


class Severity(enum.StrEnum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"

    @property
    def weight(self) -> int:
        """Rank order, highest first: used for --fail-on and for sorting risks."""
        return _SEVERITY_WEIGHT[self]

    def at_least(self, other: Severity) -> bool:
        return self.weight >= other.weight


_SEVERITY_WEIGHT = {
    Severity.CRITICAL: 4,
    Severity.HIGH: 3,
    Severity.MEDIUM: 2,
    Severity.LOW: 1,
    Severity.INFO: 0,
}


class Stage(enum.StrEnum):
    """The seven roadmap stages, in roadmap order."""

    AUDIT = "audit"
    DNS_EDGE = "dns-edge"
    SECURE_DELIVERY = "secure-delivery"
    DEPLOY = "deploy"
    PERFORMANCE = "performance"
    MONITORING = "monitoring"
    HANDOVER = "handover"


ImpactLevel = Annotated[int, Field(ge=0, le=3)]


class Impact(BaseModel):
    """How much a failure of this rule hurts the launch, 0 (none) to 3 (severe), on the roadmap's three axes."""

    model_config = ConfigDict(frozen=True)

    launch_delay: ImpactLevel = 0
    support_load: ImpactLevel = 0
    customer_trust: ImpactLevel = 0

    @property
    def total(self) -> int:
        return self.launch_delay + self.support_load + self.customer_trust


class Fix(BaseModel):
    """Concrete steps, plus ready-to-paste snippets keyed by where they go (``nginx``, ``caddy``, ``fastapi``...)."""

    model_config = ConfigDict(frozen=True)

    summary: str
    steps: tuple[str, ...] = ()
    snippets: dict[str, str] = Field(default_factory=dict)
    references: tuple[str, ...] = ()


class RuleSpec(BaseModel):
    """What a rule verifies, declared next to the check that owns it."""

    model_config = ConfigDict(frozen=True)

    rule_id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*(\.[a-z0-9][a-z0-9_-]*)+$")
    title: str
    stage: Stage
    severity: Severity
    description: str
    impact: Impact
    fix: Fix

    def finding(
        self,
        status: Status,
        target: str,
        evidence: str,
        *,
        reason: str | None = None,
        severity: Severity | None = None,
        fix: Fix | None = None,
        details: dict[str, object] | None = None,
    ) -> Finding:
        """Build a finding for this rule; the rule's severity and fix apply unless overridden."""
        return Finding(
            rule_id=self.rule_id,
            title=self.title,
            stage=self.stage,
            severity=severity or self.severity,
            impact=self.impact,
            status=status,
            target=target,
            evidence=evidence,
            reason=reason,
            fix=fix or self.fix,
            details=details or {},
        )

    def passed(self, target: str, evidence: str, **kw: object) -> Finding:
        return self.finding(Status.PASS, target, evidence, **kw)  # type: ignore[arg-type]

    def failed(self, target: str, evidence: str, **kw: object) -> Finding:
        return self.finding(Status.FAIL, target, evidence, **kw)  # type: ignore[arg-type]

    def warned(self, target: str, evidence: str, **kw: object) -> Finding:
        return self.finding(Status.WARN, target, evidence, **kw)  # type: ignore[arg-type]

    def unverifiable(self, target: str, reason: str, evidence: str = "", **kw: object) -> Finding:
        return self.finding(Status.UNVERIFIABLE, target, evidence or reason, reason=reason, **kw)  # type: ignore[arg-type]


class Finding(BaseModel):
    """One observed result of one rule on one target."""

    model_config = ConfigDict(frozen=True)

    rule_id: str
    title: str
    stage: Stage
    severity: Severity
    impact: Impact
    status: Status
    target: str
    evidence: str
    fix: Fix
    reason: str | None = None
    details: dict[str, object] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _unverifiable_has_reason(self) -> Finding:
        if self.status is Status.UNVERIFIABLE and not self.reason:
            raise ValueError("an unverifiable finding must say why")
        return self

    @property
    def is_problem(self) -> bool:
        """A failure, a warning, or something we could not verify: anything that is not a pass."""
        return self.status is not Status.PASS

    @property
    def risk_score(self) -> int:
        """Severity times impact: the ranking key of the risk list."""
        if self.status is Status.PASS:
            return 0
        factor = {Status.FAIL: 3, Status.UNVERIFIABLE: 2, Status.WARN: 1}[self.status]
        return factor * (self.severity.weight + 1) * (self.impact.total + 1)
