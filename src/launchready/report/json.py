"""The JSON report: the versioned wire schema (``schema/report-v2.schema.json``) and its loader.

The wire schema is separate from the domain model (STYLE §7): field names and shapes here are a public
contract for CI scripts, so they change only with ``schema_version`` (2.x adds optional fields; a breaking
change is 3.0). Version 2.0 added ``not_assessed``, each finding's ``key``, ``exercised``, ``blocked_by``
and ``group``, the ``root_causes`` and grouped ``risks`` lists and fix items that either fix or verify;
see docs/report-schema.md.

The loader validates against the bundled schema, then rebuilds the ``AuditRun`` from ``findings`` alone,
so ``launchready report FILE.json --format html`` re-renders a saved run exactly; ranks, root causes,
groups, scores, the summary and the fix plan are recomputed, not trusted. A 1.x file is refused with the
reason (its passes carry no evidence record, which the model now requires). Tracebacks of crashed checks
are never written (they are for ``--debug`` and may quote local values). Details and artifacts are
written verbatim: secrets are redacted upstream.
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
from launchready.report.fixplan import FixItem
from launchready.report.model import Report, StageReadiness, Tally, build_report
from launchready.report.ranking import is_must_do_now
from launchready.report.risks import Risk

SCHEMA_VERSION = "2.0"
SCHEMA_MAJOR = 2
SCHEMA_RESOURCE = "schema/report-v2.schema.json"


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
        "key": finding.key,
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
        "exercised": dict(finding.exercised),
        "blocked_by": finding.blocked_by,
        "group": finding.group,
    }


def _risk(risk: Risk) -> dict[str, Any]:
    f = risk.finding
    return {
        "rank": risk.rank,
        "key": f.key,
        "rule_id": f.rule_id,
        "title": f.title,
        "status": f.status.value,
        "severity": f.severity.value,
        "stage": f.stage.value,
        "risk_score": f.risk_score,
        "must_do_now": risk.must_do_now,
        "root_cause": risk.root_cause,
        "group": f.group,
        "locations": list(risk.locations),
        "members": list(risk.keys),
        "blocked": [b.key for b in risk.blocked],
    }


def _item(item: FixItem) -> dict[str, Any]:
    return {
        "kind": item.kind.value,
        "rule_id": item.rule_id,
        "title": item.title,
        "stage": item.stage.value,
        "severity": item.severity.value,
        "status": item.status.value,
        "summary": item.summary,
        "targets": list(item.targets),
        "ranks": list(item.ranks),
        "rule_ids": list(item.rule_ids),
        "why": item.why,
        "fix": _fix(item.fix) if item.fix is not None else None,
        "verify": list(item.verify),
        "reasons": list(item.reasons),
    }


def _tally(t: Tally) -> dict[str, int]:
    return t.as_dict()


def _stage(readiness: StageReadiness) -> dict[str, Any]:
    return {
        "stage": readiness.stage.value,
        "score": readiness.score,
        "covered_by": readiness.covered_by,
        **_tally(readiness.tally),
    }


def to_document(report: Report) -> dict[str, Any]:
    """The report as a JSON-able dict that validates against ``report_schema()``."""
    run = report.run
    ranks = {m.key: r.rank for r in report.risks for m in r.members}
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "launchready", "version": run.tool_version},
        "product": run.product,
        "domain": run.domain,
        "started_at": run.started_at.isoformat(),
        "finished_at": run.finished_at.isoformat(),
        "duration_s": report.duration_s,
        "deadline_s": run.deadline_s,
        "summary": {"verdict": report.verdict, "offline": report.offline, **_tally(report.summary)},
        "readiness": {
            "overall": report.overall,
            "covers": [s.value for s in report.covered_stages],
            "stages": [_stage(s) for s in report.stages],
        },
        "root_causes": [
            {
                "key": r.finding.key,
                "rank": r.rank,
                "rule_id": r.finding.rule_id,
                "target": r.finding.target,
                "status": r.finding.status.value,
                "blocked": [b.key for b in r.blocked],
            }
            for r in report.root_causes
        ],
        "risks": [_risk(r) for r in report.risks],
        "not_assessed": [
            {"reason": g.reason, "rule_ids": list(g.rule_ids), "findings": [f.key for f in g.findings]}
            for g in report.not_assessed
        ],
        "findings": [_finding(f, ranks.get(f.key)) for f in report.findings],
        "fix_plan": {
            "must_do_now": [_item(i) for i in report.plan.must_do_now],
            "can_wait": [_item(i) for i in report.plan.can_wait],
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
        exercised=dict(data["exercised"]),
        blocked_by=data["blocked_by"],
        group=data["group"],
    )


def _major(document: Any) -> int | None:
    version = document.get("schema_version") if isinstance(document, dict) else None
    head = version.split(".", 1)[0] if isinstance(version, str) else ""
    return int(head) if head.isdigit() else None


def load_report_json(text: str) -> AuditRun:
    """Rebuild the ``AuditRun`` of a saved JSON report (``launchready report FILE.json``).

    Raises ``ValueError`` saying why a text is not a launchready report of a supported schema version.
    """
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"invalid JSON: {exc}") from None
    major = _major(document)
    if major is not None and major != SCHEMA_MAJOR:
        older = "an older launchready (its passes carry no evidence record)" if major < SCHEMA_MAJOR else ""
        raise ValueError(
            f"does not match report schema {SCHEMA_VERSION}: schema_version {document['schema_version']} "
            f"is from {older or 'a newer launchready'}; re-run the audit with this version"
        )
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
