"""Rotate each secret found: provider steps (``data/rotation.toml``), the page to visit (the detector's
``rotate`` URL) and a command that proves the old key is dead. One leaked value is one item, wherever it
was seen (the audit groups it by fingerprint)."""

from __future__ import annotations

from launchready.findings import Status
from launchready.handover.data import rotate_pages, rotation_book
from launchready.handover.inputs import HandoverInputs
from launchready.handover.model import Claim, Evidence, Missing, Section

STEPS_MISSING = "handover.secrets.steps-missing"


def rotation_section(inputs: HandoverInputs, audit_href: str | None) -> Section:
    title = "Rotate each secret found"
    if inputs.audit is None:
        return Section("secrets", title, rules=(STEPS_MISSING,))
    report = inputs.audit.report
    scanned = [f for f in report.run.findings if f.rule_id.startswith("secrets.")]
    book = rotation_book()
    pages = rotate_pages()
    claims: list[Claim] = []
    missing: list[Missing] = []
    for risk in report.risks:
        lead = risk.finding
        provider = lead.details.get("provider")
        if not (risk.finding.group or "").startswith("secret:") or lead.status not in (
            Status.FAIL,
            Status.WARN,
        ):
            continue
        if not isinstance(provider, str):
            continue
        detector = str(lead.details.get("detector", ""))
        shown = f"{lead.details.get('prefix', '')}…{lead.details.get('last4', '')}"
        page = pages.get(detector, "")
        steps = book.provider.get(provider)
        if steps is None:
            missing.append(
                Missing(
                    STEPS_MISSING,
                    f"secret:{provider}",
                    f"no rotation steps on file for {provider} (generic steps shown)",
                )
            )
        chosen = steps or book.generic
        where = ", ".join(risk.locations[:4]) + (
            f" (+{len(risk.locations) - 4} more)" if len(risk.locations) > 4 else ""
        )
        claims.append(
            Claim(
                f"Rotate the {provider} key {shown} — seen at {where}",
                (Evidence(f"finding {lead.key}", audit_href),),
                (
                    f"Page: {page}" if page else "Page: the provider's API keys page",
                    *chosen.steps,
                    "Confirm the old key is dead:",
                ),
                (chosen.confirm_dead,),
            )
        )
    if scanned and not claims:
        claims.append(
            Claim(
                f"No leaked key in the latest audit ({len(scanned)} secret checks read)",
                (Evidence(f"audit {inputs.audit.path.name}", audit_href),),
            )
        )
    checked = {"secret_findings_read": len(scanned)} if scanned else {}
    return Section("secrets", title, tuple(claims), (), tuple(missing), checked, (STEPS_MISSING,))
