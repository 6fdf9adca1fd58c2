"""Counts agree everywhere: the headline, the stage table (every format), the JSON summary and the SARIF
results are the same numbers, on a run with a root cause, a group and not-assessed rules; and a run with no
DNS at all says so once, at the top, with no per-host advice."""

from __future__ import annotations

import json
import re

import pytest
from report_sample import sample_run

from launchready.engine.runner import AuditRun
from launchready.findings import Status
from launchready.report import ReportFormat, build_report, render
from launchready.report.model import NO_DNS_NOTICE
from launchready.rules import rule

STATUSES = ("fail", "unverifiable", "warn", "pass", "not_assessed")


def test_headline_stage_table_json_summary_and_sarif_agree(run: AuditRun) -> None:
    report = build_report(run)
    assert report.summary.root_causes == 1 and report.summary.blocked == 3
    assert any(r.finding.group for r in report.risks) and report.summary.counts[Status.NOT_ASSESSED] == 3

    # headline (terminal and Markdown say the same line)
    terminal = render(run, ReportFormat.TERMINAL, no_color=True, width=200)
    headline = re.search(
        r"(\d+) findings: (\d+) fail, (\d+) unverifiable.*?, (\d+) warn, (\d+) pass, (\d+) not assessed",
        terminal,
    )
    assert headline is not None
    total, *by_status = (int(n) for n in headline.groups())
    assert f"NOT READY: {report.summary.blockers} blockers" in terminal

    # stage table: the Markdown rows add up to the headline and to the overall row
    markdown = render(run, ReportFormat.MARKDOWN)
    rows = [
        line
        for line in markdown.splitlines()
        if (line.startswith("| ") and "/100" in line) or "not assessed —" in line
    ]
    stage_rows = [r for r in rows if not r.startswith("| **overall**")]
    sums = [0] * 6
    for row in stage_rows:
        cells = [c.strip() for c in row.strip("|").split("|")][2:]
        for i, cell in enumerate(cells):
            sums[i] += int(cell) if cell else 0
    assert sums[:5] == by_status
    assert sums[5] == report.summary.blockers

    # JSON summary and per-stage tallies
    document = json.loads(render(run, ReportFormat.JSON))
    summary = document["summary"]
    assert [summary[s] for s in STATUSES] == by_status and summary["total"] == total
    for key in ("blockers", "risks", "root_causes", "blocked", "must_do_now", "can_wait", *STATUSES):
        assert sum(stage[key] for stage in document["readiness"]["stages"]) == summary[key], key
    assert summary["blockers"] == report.summary.blockers
    assert len(document["risks"]) == summary["risks"]
    assert len(document["fix_plan"]["must_do_now"]) == summary["must_do_now"]

    # SARIF: one result per problem finding, by status
    sarif_run = json.loads(render(run, ReportFormat.SARIF))["runs"][0]
    assert sarif_run["properties"]["summary"] == {k: summary[k] for k in sarif_run["properties"]["summary"]}
    results = sarif_run["results"]
    sarif_counts = {s: sum(1 for r in results if r["properties"]["status"] == s) for s in STATUSES}
    assert [sarif_counts[s] for s in STATUSES] == [*by_status[:3], 0, 0]
    assert (
        len(results) == summary["fail"] + summary["unverifiable"] + summary["warn"] == report.summary.problems
    )
    ranked = {r["properties"]["rank"] for r in results if r["properties"]["rank"] is not None}
    assert len(ranked) == summary["risks"]


@pytest.fixture
def offline_run() -> AuditRun:
    root = rule("engine.dns.unavailable").unverifiable(
        "chatbot.test", "no DNS answers at all from the system resolver: SERVFAIL"
    )
    blocked = [
        rule(rule_id).unverifiable("chatbot.test", f"not run: {root.reason}", blocked_by=root.key)
        for rule_id in (
            "tls.cert.expired",
            "tls.cert.untrusted",
            "dns.cname.dangling",
            "headers.hsts.missing",
        )
    ]
    return sample_run((root, *blocked))


@pytest.mark.parametrize("fmt", [ReportFormat.TERMINAL, ReportFormat.MARKDOWN, ReportFormat.HTML])
def test_no_dns_at_all_is_said_once_at_the_top_with_no_per_host_advice(
    offline_run: AuditRun, fmt: ReportFormat
) -> None:
    text = render(offline_run, fmt, no_color=True, width=120)
    assert text.count(NO_DNS_NOTICE) == 1
    assert text.index(NO_DNS_NOTICE) < text.index("Must do now")
    for finding in offline_run.findings[1:]:  # the fix of every blocked rule, e.g. "Delete the CNAME now"
        advice = finding.fix.summary.rstrip(".")
        assert advice and advice not in text, advice
    report = build_report(offline_run)
    assert report.offline and len(report.risks) == 1 and len(report.plan.items) == 1
    assert report.risks[0].finding.rule_id == "engine.dns.unavailable" and len(report.risks[0].blocked) == 4
