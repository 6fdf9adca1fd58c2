"""JUnit XML for the commands that gate a pipeline (``audit``, ``secrets``, ``smoke``, ``drill``): every CI
system renders it.

One ``<testcase>`` per finding (classname = rule id, name = target). A ``fail`` or ``unverifiable`` finding is
a ``<failure>`` (an unverified smoke test is no pass), ``not_assessed`` is ``<skipped>``, a ``warn`` passes
with its evidence in ``<system-out>``. Built with ElementTree, so every value is escaped.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from launchready.findings import Status
from launchready.report.model import Report


def render(report: Report, suite: str = "launchready") -> str:
    run = report.run
    findings = run.findings
    failures = sum(f.status in (Status.FAIL, Status.UNVERIFIABLE) for f in findings)
    skipped = sum(f.status is Status.NOT_ASSESSED for f in findings)
    elapsed = max(0.0, (run.finished_at - run.started_at).total_seconds())
    root = ET.Element("testsuites", name=suite, tests=str(len(findings)), failures=str(failures))
    node = ET.SubElement(
        root, "testsuite", name=suite, tests=str(len(findings)), failures=str(failures), errors="0",
        skipped=str(skipped), time=f"{elapsed:.3f}", timestamp=run.started_at.isoformat(),
    )  # fmt: skip
    for finding in findings:
        elapsed_ms = finding.details.get("elapsed_ms")
        took = f"{elapsed_ms / 1000:.3f}" if isinstance(elapsed_ms, (int, float)) else "0"
        case = ET.SubElement(node, "testcase", classname=finding.rule_id, name=finding.target, time=took)
        if finding.status in (Status.FAIL, Status.UNVERIFIABLE):
            failure = ET.SubElement(
                case,
                "failure",
                message=finding.evidence[:500],
                type=f"{finding.status.value}:{finding.severity}",
            )
            failure.text = f"{finding.title}\n{finding.evidence}\nfix: {finding.fix.summary}"
        elif finding.status is Status.NOT_ASSESSED:
            ET.SubElement(case, "skipped", message=finding.reason or "")
        else:
            ET.SubElement(case, "system-out").text = f"{finding.status.value}: {finding.evidence}"
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
