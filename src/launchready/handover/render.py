"""The pack as Markdown, HTML (Jinja2, autoescaped) and JSON (the merged run, report schema 2).

Both human formats draw the same ``Pack``: each section's claims with their evidence links, its tables,
and "Missing:" lines for what it could not fill; then the readiness table of the merged run, whose
handover row the completeness check fills.
"""

from __future__ import annotations

import functools

from jinja2 import Environment, PackageLoader, select_autoescape

from launchready.engine.runner import AuditRun
from launchready.handover.model import Claim, Evidence, Pack, Table
from launchready.report import ReportFormat, build_report, render


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _link(evidence: Evidence) -> str:
    return f"[{evidence.label}]({evidence.href})" if evidence.href else evidence.label


def _claim_md(claim: Claim) -> list[str]:
    cites = "; ".join(_link(e) for e in claim.evidence)
    lines = [f"- {claim.text}" + (f" — _evidence: {cites}_" if cites else "")]
    lines += [f"  - {line}" for line in claim.detail]
    for code in claim.code:
        lines += ["", "  ```sh", f"  {code}", "  ```"]
    return lines


def _table_md(table: Table) -> list[str]:
    cites = "; ".join(_link(e) for e in table.evidence)
    lines = ["", f"**{table.caption}**" + (f" — _evidence: {cites}_" if cites else ""), ""]
    lines.append("| " + " | ".join(table.columns) + " |")
    lines.append("|" + "---|" * len(table.columns))
    lines += ["| " + " | ".join(_md(cell) for cell in row) + " |" for row in table.rows]
    return lines


def _stage_rows(run: AuditRun) -> list[tuple[str, str, str]]:
    report = build_report(run)
    rows = []
    for stage in report.stages:
        score = "not assessed" if stage.score is None else f"{stage.score}/100"
        rows.append((stage.stage.value, score, str(stage.blockers)))
    return rows


def render_markdown(pack: Pack, run: AuditRun) -> str:
    lines = [
        f"# Handover pack: {pack.product} ({pack.domain})",
        "",
        f"Generated {pack.generated_at} by launchready handover. Every line names the evidence it was read from.",
        "",
        "Sources: " + "; ".join(_link(e) for e in pack.sources),
        "",
    ]
    for section in pack.sections:
        lines += [f"## {section.title}", ""]
        for claim in section.claims:
            lines += _claim_md(claim)
        for table in section.tables:
            lines += _table_md(table)
        if section.missing:
            lines += ["", "**Missing:**", ""] + [f"- {m.text} (`{m.rule_id}`)" for m in section.missing]
        if not section.filled and not section.missing:
            lines.append("- Missing: nothing to read for this section (no saved audit).")
        lines.append("")
    lines += ["## Readiness by stage", "", "| Stage | Score | Blockers |", "|---|---|---|"]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in _stage_rows(run)]
    lines += ["", f"_{pack.pdf_note}_", ""]
    return "\n".join(lines)


@functools.cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("launchready.handover", "templates"),
        autoescape=select_autoescape(["html", "j2"], default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_html(pack: Pack, run: AuditRun) -> str:
    template = _environment().get_template("pack.html.j2")
    return template.render(pack=pack, stages=_stage_rows(run))


def render_section_html(document: dict[str, object]) -> str:
    """The pack's sections from its JSON (``pack_document``), for the report's ``handover`` artifact."""
    body = _environment().get_template("sections.html.j2").render(pack=document)
    return f"<section class='handover'><h2>Handover pack</h2>{body}</section>"


def render_json(run: AuditRun) -> str:
    """The merged run as a schema-2 report; the pack itself is its ``handover`` artifact."""
    return render(run, ReportFormat.JSON)
