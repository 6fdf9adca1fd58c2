"""The JSON report: valid against the shipped schema, loadable, and stable through a round trip."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from launchready.engine.runner import AuditRun
from launchready.report import (
    ReportFormat,
    build_report,
    load_report,
    load_report_json,
    render,
    report_schema,
)


def _document(run: AuditRun) -> dict[str, object]:
    data: dict[str, object] = json.loads(render(run, ReportFormat.JSON))
    return data


def test_output_validates_against_the_shipped_schema(run: AuditRun) -> None:
    schema = report_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    errors = list(validator.iter_errors(_document(run)))
    assert errors == []


def test_every_finding_carries_the_documented_fields(run: AuditRun) -> None:
    document = _document(run)
    findings = document["findings"]
    assert isinstance(findings, list) and len(findings) == len(run.findings)
    for finding in findings:
        for key in ("rule_id", "status", "severity", "stage", "title", "target", "evidence", "fix", "impact",
                    "reason", "details", "key", "exercised", "blocked_by", "group"):  # fmt: skip
            assert key in finding
        assert set(finding["fix"]) == {"summary", "steps", "snippets", "references"}
    ranks = [f["rank"] for f in findings if f["rank"] is not None]
    risks = document["risks"]
    assert isinstance(risks, list)
    assert ranks == sorted(ranks) and set(ranks) == set(range(1, len(risks) + 1))
    assert document["schema_version"] == "2.0"


def test_root_causes_groups_and_not_assessed_are_in_the_document(run: AuditRun) -> None:
    document: dict[str, Any] = json.loads(render(run, ReportFormat.JSON))
    root = document["root_causes"][0]
    assert root["key"] == "dns.sample.unresolved@staging.chatbot.test" and len(root["blocked"]) == 3
    by_key = {f["key"]: f for f in document["findings"]}
    assert all(by_key[k]["blocked_by"] == root["key"] and by_key[k]["rank"] is None for k in root["blocked"])
    grouped = [r for r in document["risks"] if r["group"]]
    assert len(grouped) == 1 and len(grouped[0]["locations"]) == 4 and len(grouped[0]["members"]) == 4
    assert document["not_assessed"][0]["rule_ids"] == ["secrets.env.shared", "db.pool.exhausted"]
    passes = [f for f in document["findings"] if f["status"] == "pass"]
    assert passes and all(f["exercised"] for f in passes)
    verify = [i for i in document["fix_plan"]["must_do_now"] if i["kind"] == "verify"]
    assert verify and all(i["fix"] is None for i in verify)


def test_schema_rejects_an_unverifiable_finding_without_reason(run: AuditRun) -> None:
    document = _document(run)
    broken = next(f for f in document["findings"] if f["status"] == "unverifiable")  # type: ignore[attr-defined]
    broken["reason"] = None
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, report_schema())


def test_round_trip_is_identical(run: AuditRun) -> None:
    first = render(run, ReportFormat.JSON)
    loaded = load_report_json(first)
    assert render(loaded, ReportFormat.JSON) == first
    for fmt in (ReportFormat.MARKDOWN, ReportFormat.SARIF, ReportFormat.HTML):
        assert render(loaded, fmt) == render(run, fmt)
    assert load_report(first).overall == build_report(run).overall


def test_tracebacks_are_never_written(run: AuditRun) -> None:
    assert any(a.traceback for a in run.attempts)
    for fmt in ReportFormat:
        assert "Traceback (most recent call last)" not in render(run, fmt, no_color=True)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not json", "invalid JSON"),
        ("{}", "does not match report schema"),
        ('{"schema_version": "2.0"}', "does not match report schema"),
        ('{"schema_version": "1.0"}', "older launchready"),
    ],
)
def test_loader_explains_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        load_report_json(text)


def test_loader_rejects_a_future_major_version(run: AuditRun) -> None:
    document = _document(run)
    document["schema_version"] = "3.0"
    with pytest.raises(ValueError, match=r"schema_version 3\.0 is from a newer launchready"):
        load_report_json(json.dumps(document))


def test_schema_rejects_a_pass_without_evidence_and_a_not_assessed_without_reason(run: AuditRun) -> None:
    document = _document(run)
    passed = next(f for f in document["findings"] if f["status"] == "pass")  # type: ignore[attr-defined]
    passed["exercised"] = {}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, report_schema())
    with pytest.raises(ValueError, match="does not match report schema"):
        load_report_json(json.dumps(document))
    document = _document(run)
    skipped = next(f for f in document["findings"] if f["status"] == "not_assessed")  # type: ignore[attr-defined]
    skipped["reason"] = ""
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, report_schema())


def test_a_json_or_sarif_gate_loads_neither_jinja2_nor_rich() -> None:
    code = (
        "import sys\nsys.path.insert(0, 'tests/report')\nfrom report_sample import sample_run\n"
        "from launchready.report import ReportFormat, render\n"
        "render(sample_run(), ReportFormat.JSON)\nrender(sample_run(), ReportFormat.SARIF)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('jinja2', 'rich')))"
    )
    root = Path(__file__).parents[2]
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root)
    assert done.stdout.strip() == "[]", done.stdout
