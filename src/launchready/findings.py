"""The one typed result every check returns.

A ``Finding`` is the unit the audit, CI and the monitor all speak. What its rule *is* (title, stage,
severity, impact, fix, how to verify by hand) is data, loaded from ``launchready/rules/*.toml`` into a
``RuleSpec``, so ``launchready checks`` and the report never depend on a check having run.

Five statuses, and only one earns credit:

- ``pass``: the check exercised the target and saw it right. A pass *must* carry a non-empty
  ``exercised`` record (the handshakes offered, the chats that streamed, the files scanned...); the model
  refuses a pass without one, so "nothing happened" can never read as "all good".
- ``fail`` / ``warn``: a problem that was observed.
- ``unverifiable``: the check tried and could not see its target (with the reason, and how to verify by
  hand). Never counts as a pass.
- ``not_assessed``: nothing to check here (missing config, nothing to scan, the rule does not apply to this
  host). Listed with its reason, never blocks, never earns credit.

A finding may name the root cause it depends on (``blocked_by``: the key of an unresolved host, a refused
connection, an untrusted certificate, a resolver that answers nothing): the report folds it under that
root instead of ranking it. ``group`` joins findings that are one problem seen in several places (the
same secret fingerprint in the tree, the history and a bundle) into one risk.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator


class Status(enum.StrEnum):
    PASS = "pass"
    FAIL = "fail"
    WARN = "warn"
    UNVERIFIABLE = "unverifiable"
    NOT_ASSESSED = "not_assessed"


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


Exercised = Mapping[str, int]
"""What a check really exercised to reach its verdict: ``{"handshakes": 1}``, ``{"files_scanned": 412}``."""


def _has_evidence(exercised: Mapping[str, int]) -> bool:
    return any(count > 0 for count in exercised.values())


class RuleSpec(BaseModel):
    """What a rule verifies: loaded from the stage's rule file (``launchready/rules/<stage>.toml``)."""

    model_config = ConfigDict(frozen=True)

    rule_id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*(\.[a-z0-9][a-z0-9_-]*)+$")
    title: str
    stage: Stage
    severity: Severity
    description: str
    impact: Impact
    fix: Fix
    why: str = ""
    """Why it matters for the launch, in the founder's words."""
    verify: str = ""
    """How to verify it by hand (a dig / openssl / curl command); ``{{host}}``/``{{domain}}`` are filled in."""
    root_cause: bool = False
    """A failure of this rule stops other checks from seeing the host (unresolved, refused, untrusted)."""

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
        exercised: Exercised | None = None,
        blocked_by: str | None = None,
        group: str | None = None,
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
            exercised=dict(exercised or {}),
            blocked_by=blocked_by,
            group=group,
        )

    def passed(self, target: str, evidence: str, *, exercised: Exercised, **kw: object) -> Finding:
        """A pass: ``exercised`` must say what was really observed (the model refuses an empty record)."""
        return self.finding(Status.PASS, target, evidence, exercised=exercised, **kw)  # type: ignore[arg-type]

    def failed(self, target: str, evidence: str, **kw: object) -> Finding:
        return self.finding(Status.FAIL, target, evidence, **kw)  # type: ignore[arg-type]

    def warned(self, target: str, evidence: str, **kw: object) -> Finding:
        return self.finding(Status.WARN, target, evidence, **kw)  # type: ignore[arg-type]

    def unverifiable(self, target: str, reason: str, evidence: str = "", **kw: object) -> Finding:
        return self.finding(Status.UNVERIFIABLE, target, evidence or reason, reason=reason, **kw)  # type: ignore[arg-type]

    def not_assessed(self, target: str, reason: str, **kw: object) -> Finding:
        """Nothing to check here: say why (and, in the reason, what would let it be assessed)."""
        return self.finding(Status.NOT_ASSESSED, target, reason, reason=reason, **kw)  # type: ignore[arg-type]


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
    exercised: dict[str, int] = Field(default_factory=dict)
    """What the check really exercised (handshakes, chats streamed, files scanned...): required for a pass."""
    blocked_by: str | None = None
    """``key`` of the root-cause finding that kept this check from seeing its target."""
    group: str | None = None
    """Findings sharing a group are one problem seen in several places (one risk, one fix)."""

    @model_validator(mode="after")
    def _verdict_has_grounds(self) -> Finding:
        if self.status in (Status.UNVERIFIABLE, Status.NOT_ASSESSED) and not self.reason:
            raise ValueError(f"an {self.status.value} finding must say why")
        if self.status is Status.PASS and not _has_evidence(self.exercised):
            raise ValueError(
                f"{self.rule_id} on {self.target}: a pass must record what was exercised (empty evidence record)"
            )
        return self

    @property
    def key(self) -> str:
        """Identifies this finding in a run: the rule and the target."""
        return f"{self.rule_id}@{self.target}"

    @property
    def is_problem(self) -> bool:
        """A failure, a warning, or something we could not verify; never a pass or a not-assessed rule."""
        return self.status not in (Status.PASS, Status.NOT_ASSESSED)

    @property
    def risk_score(self) -> int:
        """Severity times impact: the ranking key of the risk list."""
        if not self.is_problem:
            return 0
        factor = {Status.FAIL: 3, Status.UNVERIFIABLE: 2, Status.WARN: 1}[self.status]
        return factor * (self.severity.weight + 1) * (self.impact.total + 1)
