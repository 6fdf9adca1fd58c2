"""``launchready demo``: the first thing a new user runs, end to end in-process."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from launchready.cli import app
from launchready.lab.planted import SPINE
from launchready.report import report_schema

runner = CliRunner()


@pytest.fixture(scope="module")
def flawed_demo_json(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    out = tmp_path_factory.mktemp("demo") / "report.json"
    result = runner.invoke(app, ["demo", "--format", "json", "--output", str(out)], env={"NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    assert "NOT READY" in result.stdout  # the ranked risks are printed too
    assert "\x1b[" not in result.stdout  # NO_COLOR and a pipe: no escape codes
    document: dict[str, object] = json.loads(out.read_text())
    return document


def test_demo_json_validates_and_lists_every_spine_risk_as_fail(flawed_demo_json: dict[str, object]) -> None:
    jsonschema.validate(flawed_demo_json, report_schema())
    findings = flawed_demo_json["findings"]
    assert isinstance(findings, list)
    for risk in SPINE:
        statuses = {
            f["status"] for f in findings if f["rule_id"] == risk.rule_id and risk.target in f["target"]
        }
        assert "fail" in statuses, (risk.rule_id, risk.target, statuses)
    for finding in findings:
        for key in ("rule_id", "status", "severity", "stage", "title", "target", "evidence", "fix"):
            assert key in finding


def test_demo_writes_the_html_report_by_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["demo", "--hardened"])
    assert result.exit_code == 0, result.output
    html = (tmp_path / "launchready-report.html").read_text()
    assert html.lstrip().lower().startswith("<!doctype html")
    assert "READY: no blocker found" in result.stdout
    assert "0 fail, 0 unverifiable" in result.stdout


def test_hardened_demo_json_has_zero_fail(tmp_path: Path) -> None:
    out = tmp_path / "hardened.json"
    result = runner.invoke(
        app, ["demo", "--hardened", "--format", "json", "--output", str(out), "--fail-on", "high"]
    )
    document = json.loads(out.read_text())
    failures = [f"{f['rule_id']} {f['target']}" for f in document["findings"] if f["status"] == "fail"]
    assert failures == []
    assert result.exit_code == 0, "the hardened twin has no blocker at --fail-on high"


def test_report_rerenders_a_saved_run(flawed_demo_json: dict[str, object], tmp_path: Path) -> None:
    saved = tmp_path / "run.json"
    saved.write_text(json.dumps(flawed_demo_json))
    result = runner.invoke(app, ["report", str(saved), "--format", "sarif"])
    assert result.exit_code == 0, result.output
    sarif = json.loads(result.stdout)
    assert sarif["version"] == "2.1.0"
    assert any(r["ruleId"] == "tls.cert.expired" for r in sarif["runs"][0]["results"])
    failing = runner.invoke(app, ["report", str(saved), "--format", "markdown", "--fail-on", "high"])
    assert failing.exit_code == 1
