"""JUnit XML: what CI test views show for a gating command — every finding a test case, blockers failures."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from report_sample import HSTS, sample_run

from launchready.engine.runner import AuditRun
from launchready.findings import Status
from launchready.report import ReportFormat, render


def test_fail_and_unverifiable_are_failures_not_assessed_is_skipped(run: AuditRun) -> None:
    root = ET.fromstring(render(run, ReportFormat.JUNIT))
    suite = root.find("testsuite")
    assert suite is not None
    cases = suite.findall("testcase")
    statuses = [f.status for f in run.findings]
    assert len(cases) == len(statuses)
    blocking = sum(s in (Status.FAIL, Status.UNVERIFIABLE) for s in statuses)
    assert blocking > 0
    assert (
        len([c for c in cases if c.find("failure") is not None])
        == blocking
        == int(suite.get("failures", "-1"))
    )
    skipped = sum(s is Status.NOT_ASSESSED for s in statuses)
    assert len([c for c in cases if c.find("skipped") is not None]) == skipped


def test_values_from_a_scanned_site_are_escaped() -> None:
    hostile = HSTS.failed("https://<script>alert(1)</script>.test/", 'title "<script>x</script>" & more')
    text = render(sample_run((hostile,)), ReportFormat.JUNIT)
    assert "<script>" not in text
    case = ET.fromstring(text).find("testsuite/testcase")
    assert case is not None and case.get("name") == "https://<script>alert(1)</script>.test/"
