"""Build the pack: every section from the inputs, the completeness findings, and the merged run.

``build_pack`` returns the ``Pack`` (what the Markdown and HTML draw) and an ``AuditRun`` that holds the
latest audit's and monitor run's findings plus the handover findings, so its report's readiness table has
every row filled and ``launchready report`` / ``launchready score`` can read the handover JSON.
"""

from __future__ import annotations

import os
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from launchready.engine.runner import AuditRun
from launchready.handover.alerts import alerts_section
from launchready.handover.completeness import handover_findings
from launchready.handover.email_verify import email_section
from launchready.handover.inputs import HandoverInputs
from launchready.handover.model import Evidence, Pack
from launchready.handover.owners import owners_section
from launchready.handover.risks import risks_section
from launchready.handover.rollback import rollback_section
from launchready.handover.rotation import rotation_section
from launchready.handover.scale import scale_section
from launchready.handover.where import where_section

PDF_NOTE = (
    "No PDF: the well-kept renderer that needs no browser (WeasyPrint) depends on the Pango system "
    "libraries, which launchready does not install; print the HTML pack to PDF from any browser."
)


def _href(path: Path | None, output_dir: Path | None) -> str | None:
    """A link from the pack's folder to an evidence file (relative when both are on one tree)."""
    if path is None:
        return None
    if output_dir is None:
        return path.resolve().as_uri()
    try:
        return Path(os.path.relpath(path.resolve(), output_dir.resolve())).as_posix()
    except ValueError:
        return path.resolve().as_uri()


def build_pack(
    inputs: HandoverInputs, *, now: datetime | None = None, output_dir: Path | None = None
) -> tuple[Pack, AuditRun]:
    now = now or datetime.now(UTC)
    hrefs = {
        "audit": _href(inputs.audit.path if inputs.audit else None, output_dir),
        "monitor": _href(inputs.monitor.path if inputs.monitor else None, output_dir),
        "load": _href(inputs.load.path if inputs.load else None, output_dir),
        "cost": _href(inputs.cost.path if inputs.cost else None, output_dir),
    }
    sections = (
        where_section(inputs, hrefs["audit"]),
        owners_section(inputs.config),
        rotation_section(inputs, hrefs["audit"]),
        email_section(inputs, hrefs["audit"]),
        alerts_section(inputs, hrefs["monitor"] or hrefs["audit"]),
        rollback_section(inputs, now),
        risks_section(inputs, hrefs["audit"]),
        scale_section(inputs, hrefs),
    )
    sources = [Evidence(f"config {inputs.config_path}", _href(inputs.config_path, output_dir))]
    for kind, saved_path in (
        ("audit", inputs.audit.path if inputs.audit else None),
        ("monitor run", inputs.monitor.path if inputs.monitor else None),
        ("load run", inputs.load.path if inputs.load else None),
        ("cost estimate", inputs.cost.path if inputs.cost else None),
    ):
        if saved_path is not None:
            sources.append(Evidence(f"{kind} {saved_path.name}", _href(saved_path, output_dir)))
        else:
            sources.append(Evidence(f"{kind}: none found"))
    sources.append(
        Evidence(
            f"drill history {inputs.drills_path} ({len(inputs.drills)} drills)",
            _href(inputs.drills_path, output_dir) if inputs.drills else None,
        )
    )
    sources += [Evidence(f"skipped {entry}") for entry in inputs.skipped]
    pack = Pack(
        product=inputs.config.product.name,
        domain=inputs.config.apex,
        generated_at=now.strftime("%Y-%m-%d %H:%M UTC"),
        sources=tuple(sources),
        sections=sections,
        pdf_note=PDF_NOTE,
    )
    findings = handover_findings(inputs, sections)
    earlier = [r.report.run for r in (inputs.audit, inputs.monitor) if r is not None]
    artifacts: dict[str, Any] = {}
    for run in earlier:
        artifacts.update(run.artifacts)
    if inputs.load is not None:
        artifacts.setdefault("load", inputs.load.document)
    if inputs.cost is not None:
        artifacts.setdefault("cost", inputs.cost.document)
    artifacts["handover"] = pack_document(pack)
    run = AuditRun(
        product=inputs.config.product.name,
        domain=inputs.config.apex,
        started_at=min([r.started_at for r in earlier] + [now]),
        finished_at=now,
        deadline_s=max([r.deadline_s for r in earlier] + [1.0]),
        findings=tuple(f for r in earlier for f in r.findings) + findings,
        attempts=tuple(a for r in earlier for a in r.attempts),
        artifacts=artifacts,
    )
    return pack, run


def pack_document(pack: Pack) -> dict[str, Any]:
    """The pack as JSON (the ``handover`` artifact of the merged run)."""
    return asdict(pack)
