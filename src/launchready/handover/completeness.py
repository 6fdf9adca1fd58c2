"""The completeness check: every section's gaps become findings of stage handover.

Each rule a section answers for gets a verdict per target: ``fail`` for each missing item (its target
names the system or file), ``pass`` when the section filled itself from what it read (``Section.checked``
is the evidence record), ``not_assessed`` when there was nothing to read (no saved audit: those findings
are blocked by ``handover.inputs.audit-missing``). So the readiness table's handover row is a real score.
"""

from __future__ import annotations

from launchready.findings import Finding
from launchready.handover.inputs import HandoverInputs
from launchready.handover.model import Section
from launchready.rules import rule

AUDIT_MISSING = "handover.inputs.audit-missing"
HANDOVER_RULES = tuple(
    rule(rule_id)
    for rule_id in (
        AUDIT_MISSING,
        "handover.where.unknown",
        "handover.owners.missing",
        "handover.owners.no-backup",
        "handover.secrets.steps-missing",
        "handover.email.unverifiable",
        "handover.alerts.unrouted",
        "handover.rollback.missing",
        "handover.scale.unmeasured",
    )
)
"""Every rule ``launchready handover`` emits (the sections name them; the rule-file test reads this)."""


def handover_findings(inputs: HandoverInputs, sections: tuple[Section, ...]) -> tuple[Finding, ...]:
    domain = inputs.config.apex
    audit_rule = rule(AUDIT_MISSING)
    if inputs.audit is None:
        root = audit_rule.failed(domain, "no saved audit report beside the config or given with --report")
    else:
        root = audit_rule.passed(
            domain, f"latest audit: {inputs.audit.path.name}", exercised={"audit_reports_read": 1}
        )
    out = [root]
    for section in sections:
        for rule_id in section.rules:
            if rule_id == AUDIT_MISSING:
                continue
            spec = rule(rule_id)
            gaps = [m for m in section.missing if m.rule_id == rule_id]
            if gaps:
                out += [spec.failed(m.target, m.text, details={"section": section.id}) for m in gaps]
            elif section.checked:
                read = ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in section.checked.items())
                out.append(
                    spec.passed(
                        domain, f"{section.title}: filled ({read})", exercised=section.checked,
                        details={"section": section.id},
                    )
                )  # fmt: skip
            else:
                blocked = root.key if inputs.audit is None else None
                out.append(
                    spec.not_assessed(
                        domain,
                        f"{section.title}: nothing to read (no saved audit or no run on record)",
                        blocked_by=blocked,
                    )
                )
    return _unique(out)


def _unique(findings: list[Finding]) -> tuple[Finding, ...]:
    """One finding per rule and target (two gaps on one target are joined into one evidence line)."""
    by_key: dict[str, Finding] = {}
    for finding in findings:
        kept = by_key.get(finding.key)
        if kept is None:
            by_key[finding.key] = finding
        else:
            by_key[finding.key] = kept.model_copy(update={"evidence": f"{kept.evidence}; {finding.evidence}"})
    return tuple(by_key.values())
