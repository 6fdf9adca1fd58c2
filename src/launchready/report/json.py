"""The JSON report: the versioned wire schema (``schema/report-v1.schema.json``) and its loader.

The wire schema is separate from the domain model (STYLE §7): field names and shapes here are a public
contract for CI scripts, so they change only with ``schema_version`` (1.x adds optional fields; a breaking
change is 2.0). The loader validates against the bundled schema, then rebuilds the ``AuditRun``, so
``launchready report FILE.json --format html`` re-renders a saved run exactly; ranks, scores and the fix
plan are recomputed, not trusted. Tracebacks of crashed checks are never written (they are for ``--debug``
and may quote local values). Details and artifacts are written verbatim: secrets are redacted upstream.
"""

from __future__ import annotations

import json
from datetime import datetime
from functools import cache
from importlib import resources
from typing import Any

import jsonschema
from pydantic import ValidationError
from pydantic_core import to_jsonable_python

from launchready.engine.runner import AttemptOutcome, AuditRun, CheckAttempt
from launchready.findings import Finding, Fix, Impact, Severity, Stage, Status
from launchready.report.model import Report, StageReadiness, build_report
from launchready.report.ranking import FixGroup, is_must_do_now

SCHEMA_VERSION = "1.0"
SCHEMA_RESOURCE = "schema/report-v1.schema.json"


@cache
def report_schema() -> dict[str, Any]:
    """The bundled JSON Schema of the report (package data)."""
    text = resources.files("launchready.report").joinpath(SCHEMA_RESOURCE).read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def _fix(fix: Fix) -> dict[str, Any]:
    return {
        "summary": fix.summary,
        "steps": list(fix.steps),
        "snippets": dict(fix.snippets),
        "references": list(fix.references),
    }


def _finding(finding: Finding, rank: int | None) -> dict[str, Any]:
    return {
        "rank": rank,
        "rule_id": finding.rule_id,
        "status": finding.status.value,
        "severity": finding.severity.value,
        "stage": finding.stage.value,
        "title": finding.title,
        "target": finding.target,
        "evidence": finding.evidence,
        "reason": finding.reason,
        "impact": finding.impact.model_dump(),
        "risk_score": finding.risk_score,
        "must_do_now": is_must_do_now(finding),
        "fix": _fix(finding.fix),
        "details": to_jsonable_python(finding.details, fallback=str),
    }


def _group(group: FixGroup) -> dict[str, Any]:
    return {
        "rule_id": group.rule_id,
        "title": group.title,
        "stage": group.stage.value,
        "severity": group.severity.value,
        "status": group.status.value,
        "targets": list(group.targets),
        "risk_score": group.risk_score,
        "fix": _fix(group.fix),
    }


def _counts(counts: dict[Status, int]) -> dict[str, int]:
    return {status.value: counts[status] for status in Status}


def _stage(readiness: StageReadiness) -> dict[str, Any]:
    return {
        "stage": readiness.stage.value,
        "score": readiness.score,
        "counts": _counts(readiness.counts),
        "blockers": readiness.blockers,
    }


def to_document(report: Report) -> dict[str, Any]:
    """The report as a JSON-able dict that validates against ``report_schema()``."""
    run = report.run
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "launchready", "version": run.tool_version},
        "product": run.product,
        "domain": run.domain,
        "started_at": run.started_at.isoformat(),
        "finished_at": run.finished_at.isoformat(),
        "duration_s": report.duration_s,
        "deadline_s": run.deadline_s,
        "summary": {
            "verdict": report.verdict,
            "total": len(run.findings),
            **_counts(report.counts),
            "must_do_now": len(report.plan.must_do_now),
            "can_wait": len(report.plan.can_wait),
        },
        "readiness": {"overall": report.overall, "stages": [_stage(s) for s in report.stages]},
        "findings": [_finding(r.finding, r.rank) for r in report.risks]
        + [_finding(f, None) for f in report.passes],
        "fix_plan": {
            "must_do_now": [_group(g) for g in report.plan.must_do_now],
            "can_wait": [_group(g) for g in report.plan.can_wait],
        },
        "attempts": [
            {"check": a.check, "outcome": a.outcome.value, "duration_s": a.duration_s, "reason": a.reason}
            for a in run.attempts
        ],
        "artifacts": to_jsonable_python(run.artifacts, fallback=str),
    }


def render(report: Report) -> str:
    return json.dumps(to_document(report), indent=2, ensure_ascii=False) + "\n"


def _load_finding(data: dict[str, Any]) -> Finding:
    fix = data["fix"]
    return Finding(
        rule_id=data["rule_id"],
        title=data["title"],
        stage=Stage(data["stage"]),
        severity=Severity(data["severity"]),
        impact=Impact(**data["impact"]),
        status=Status(data["status"]),
        target=data["target"],
        evidence=data["evidence"],
        reason=data["reason"],
        fix=Fix(
            summary=fix["summary"],
            steps=tuple(fix["steps"]),
            snippets=dict(fix["snippets"]),
            references=tuple(fix["references"]),
        ),
        details=dict(data["details"]),
    )


def load_report_json(text: str) -> AuditRun:
    """Rebuild the ``AuditRun`` of a saved JSON report (``launchready report FILE.json``).

    Raises ``ValueError`` saying why a text is not a launchready report of a supported schema version.
    """
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"invalid JSON: {exc}") from None
    try:
        jsonschema.validate(document, report_schema())
    except jsonschema.ValidationError as exc:
        where = "/".join(str(p) for p in exc.absolute_path) or "(top level)"
        raise ValueError(f"does not match report schema {SCHEMA_VERSION} at {where}: {exc.message}") from None
    try:
        return AuditRun(
            tool_version=document["tool"]["version"],
            product=document["product"],
            domain=document["domain"],
            started_at=datetime.fromisoformat(document["started_at"]),
            finished_at=datetime.fromisoformat(document["finished_at"]),
            deadline_s=document["deadline_s"],
            findings=tuple(_load_finding(f) for f in document["findings"]),
            attempts=tuple(
                CheckAttempt(
                    check=a["check"],
                    outcome=AttemptOutcome(a["outcome"]),
                    duration_s=a["duration_s"],
                    reason=a["reason"],
                )
                for a in document["attempts"]
            ),
            artifacts=dict(document["artifacts"]),
        )
    except ValidationError as exc:
        raise ValueError(f"inconsistent report: {exc.errors()[0]['msg']}") from None


def load_report(text: str) -> Report:
    return build_report(load_report_json(text))
