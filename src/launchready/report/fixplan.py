"""The fix plan: one bullet per fix, a fix only for what was seen, a way to verify what was not.

- A risk whose lead finding is a verified problem (``fail`` / ``warn``) gets its rule's fix, in the
  product's own names (``launchready.rules.fill_fix``: the run's domain, the finding's host).
- An ``unverifiable`` risk gets **how to verify it** instead: the rule's ``verify`` command filled for
  its host, or the reason the check could not look when the rule has none. Prescribing "serve a
  certificate from a public CA" for a host nobody reached is advice about a problem nobody saw.
- The same fix (same fix summary) on several targets is one item listing the targets, even when two rules
  prescribe it (an expired and an untrusted certificate both say "serve a certificate from a public CA"),
  and a grouped risk (one secret in four places) is one item listing its locations: "rotate the key" once.
  A manual check is one item per rule.
- **Must do now** holds the items of must-do risks (fail or unverifiable at high/critical); an item is
  never in both lists. Items are ordered by the best rank of their risks.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Sequence
from dataclasses import dataclass

from launchready.engine.rootcause import target_host
from launchready.findings import Finding, Fix, Impact, Severity, Stage, Status
from launchready.report.risks import Risk, rule_spec
from launchready.rules import fill, fill_fix

_HOST = re.compile(r"\{\{\s*host\s*\}\}")
IMPACT_WORDS = (
    ("launch_delay", "launch delay"),
    ("support_load", "support load"),
    ("customer_trust", "trust"),
)


class FixKind(enum.StrEnum):
    FIX = "fix"
    """A verified problem: apply the fix."""
    VERIFY = "verify"
    """An unverified one: check it by hand first."""


@dataclass(frozen=True)
class FixItem:
    """One bullet of the fix plan."""

    kind: FixKind
    rule_id: str
    title: str
    stage: Stage
    severity: Severity
    status: Status
    impact: Impact
    summary: str
    """What to do, in one sentence, in the product's own names."""
    targets: tuple[str, ...]
    ranks: tuple[int, ...]
    """Ranks of the risks this item settles (the first is the best)."""
    rule_ids: tuple[str, ...]
    """Every rule this item settles (the lead's first)."""
    must_do_now: bool
    fix: Fix | None = None
    """The filled fix (steps, snippets) for ``kind == fix``."""
    verify: tuple[str, ...] = ()
    """The manual commands for ``kind == verify`` (the rule's ``verify``, filled per target)."""
    reasons: tuple[str, ...] = ()
    """For ``kind == verify``: why each check could not look (``target: reason``), so someone can."""
    why: str = ""
    per_host: bool = False
    """The fix names its host, and is shown filled for the first target: repeat it for each target."""

    @property
    def rank(self) -> int:
        return self.ranks[0]

    @property
    def why_words(self) -> str:
        """The impact axes this matters for, strongest first: ``launch delay, trust``."""
        axes = [(getattr(self.impact, name), word) for name, word in IMPACT_WORDS]
        strong = [word for level, word in sorted(axes, key=lambda a: -a[0]) if level >= 2]
        if not strong:
            top = max(axes, key=lambda a: a[0])
            strong = [top[1]] if top[0] > 0 else []
        return ", ".join(strong)

    @property
    def headline(self) -> str:
        """``Add HSTS — on api.x, app.x``: what to do and where."""
        return f"{self.summary.rstrip('.')} — on {', '.join(self.targets)}"


@dataclass(frozen=True)
class FixPlan:
    must_do_now: tuple[FixItem, ...]
    can_wait: tuple[FixItem, ...]

    @property
    def items(self) -> tuple[FixItem, ...]:
        return self.must_do_now + self.can_wait


FixGroup = FixItem
"""The former name of ``FixItem``."""


def _verify_command(finding: Finding, domain: str, canonical: str | None) -> str | None:
    """The rule's manual command for this finding's host, or ``None`` when the rule has none."""
    spec = rule_spec(finding.rule_id)
    command = spec.verify if spec is not None else ""
    if not command.strip():
        return None
    return fill(command, domain=domain, host=target_host(finding.target) or None, canonical=canonical)


@dataclass
class _Draft:
    lead: Finding
    kind: FixKind
    targets: list[str]
    ranks: list[int]
    must_do_now: bool
    findings: list[Finding]


def fix_plan(risks: Sequence[Risk], *, domain: str, canonical: str | None = None) -> FixPlan:
    """The plan for ranked ``risks`` (blocked findings are already folded away: they get no item)."""
    drafts: dict[tuple[FixKind, str], _Draft] = {}
    for risk in risks:
        lead = risk.finding
        kind = FixKind.VERIFY if lead.status is Status.UNVERIFIABLE else FixKind.FIX
        key = (kind, lead.fix.summary) if kind is FixKind.FIX else (kind, lead.rule_id)
        draft = drafts.get(key)
        if draft is None:
            draft = drafts[key] = _Draft(lead, kind, [], [], False, [])
        draft.targets += [t for t in risk.locations if t not in draft.targets]
        draft.ranks.append(risk.rank)
        draft.must_do_now = draft.must_do_now or risk.must_do_now
        draft.findings += [m for m in risk.members if m.status is lead.status]
    items = [_item(d, domain, canonical) for d in drafts.values()]
    items.sort(key=lambda i: i.rank)
    return FixPlan(
        must_do_now=tuple(i for i in items if i.must_do_now),
        can_wait=tuple(i for i in items if not i.must_do_now),
    )


def _item(draft: _Draft, domain: str, canonical: str | None) -> FixItem:
    lead = draft.lead
    spec = rule_spec(lead.rule_id)
    host = target_host(lead.target) or None
    fix: Fix | None = None
    verify: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()
    if draft.kind is FixKind.FIX:
        fix = fill_fix(_merged_fix(lead.fix, draft.findings), domain=domain, host=host, canonical=canonical)
        summary = fix.summary
    else:
        commands = (_verify_command(f, domain, canonical) for f in draft.findings)
        verify = tuple(dict.fromkeys(c for c in commands if c))
        reasons = tuple(dict.fromkeys(f"{f.target}: {f.reason or f.evidence}" for f in draft.findings))
        summary = f"Verify by hand: {lead.title}"
    return FixItem(
        kind=draft.kind,
        rule_id=lead.rule_id,
        title=lead.title,
        stage=lead.stage,
        severity=lead.severity,
        status=lead.status,
        impact=lead.impact,
        summary=summary,
        targets=tuple(draft.targets),
        ranks=tuple(draft.ranks),
        rule_ids=tuple(dict.fromkeys(f.rule_id for f in draft.findings)),
        must_do_now=draft.must_do_now,
        fix=fix,
        verify=verify,
        reasons=reasons,
        why=spec.why if spec is not None else "",
        per_host=draft.kind is FixKind.FIX and len(draft.targets) > 1 and _names_host(lead.fix),
    )


def _merged_fix(lead: Fix, members: Sequence[Finding]) -> Fix:
    """One fix for the merged item: the lead's, plus every step and reference only another member has.

    Several leaked keys share "rotate the key" but each names its own provider's rotation page; merging
    them into one item must not drop the pages of all but the first.
    """
    steps = list(lead.steps)
    references = list(lead.references)
    for member in members:
        steps += [step for step in member.fix.steps if step not in steps]
        references += [ref for ref in member.fix.references if ref not in references]
    return lead.model_copy(update={"steps": tuple(steps), "references": tuple(references)})


def _names_host(fix: Fix) -> bool:
    return bool(_HOST.search(fix.model_dump_json()))
