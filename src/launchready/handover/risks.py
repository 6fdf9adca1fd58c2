"""Open risks: the latest audit's must-do and can-wait lists, with the day each was seen and when it is
due (must-do: before launch; can-wait: ``can_wait_days`` after the audit)."""

from __future__ import annotations

from datetime import timedelta

from launchready.handover.data import pack_text
from launchready.handover.inputs import HandoverInputs
from launchready.handover.model import Claim, Evidence, Section, Table


def risks_section(inputs: HandoverInputs, audit_href: str | None) -> Section:
    title = "Open risks"
    if inputs.audit is None:
        return Section("risks", title)
    report = inputs.audit.report
    seen = report.run.finished_at.date()
    later = (seen + timedelta(days=pack_text().can_wait_days)).isoformat()
    cite = Evidence(f"audit {inputs.audit.path.name}: fix plan", audit_href)
    rows = []
    for item in report.plan.items:
        due = "before launch" if item.must_do_now else later
        where = ", ".join(item.targets[:3]) + (
            f" (+{len(item.targets) - 3})" if len(item.targets) > 3 else ""
        )
        rows.append(
            ("must do" if item.must_do_now else "can wait", item.summary, where, seen.isoformat(), due)
        )
    claims = [Claim(f"Verdict of the audit of {seen}: {report.verdict}", (cite,))]
    if not rows:
        claims.append(Claim("No open risk: nothing to fix or verify in the latest audit", (cite,)))
    tables = (
        (Table(("Priority", "What to do", "Where", "Seen", "Due"), tuple(rows), "Fix plan", (cite,)),)
        if rows
        else ()
    )
    return Section(
        "risks",
        title,
        tuple(claims),
        tables,
        (),
        {"fix_items_read": len(rows), "findings_read": len(report.run.findings)},
    )
