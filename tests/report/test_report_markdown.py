"""The Markdown report: fits a PR comment, keeps tables intact, never dumps sensitive details."""

from __future__ import annotations

import re

from report_sample import RUNBOOK, WWW, sample_run

from launchready.engine.runner import AuditRun
from launchready.report import ReportFormat, build_report, render
from launchready.report.markdown import LIMIT
from launchready.report.markdown import render as render_markdown


def test_hostile_evidence_cannot_break_the_table_or_inject_html(run: AuditRun) -> None:
    markdown = render(run, ReportFormat.MARKDOWN)
    assert "<script" not in markdown
    row = next(line for line in markdown.splitlines() if line.startswith("| 9 |"))
    assert len(re.findall(r"(?<!\\)\|", row)) == 7  # six cells: the evidence's own pipe is escaped
    assert "\\|" in row


def test_sensitive_details_are_hidden(run: AuditRun) -> None:
    markdown = render(run, ReportFormat.MARKDOWN)
    assert "fp:0123456789abcdef" in markdown
    for raw in ("RAW-TOKEN-VALUE-MUST-NOT-SHOW", "RAW-NESTED-SECRET", "RAW-ARTIFACT-TOKEN"):
        assert raw not in markdown


def test_long_reports_are_cut_with_a_note_under_the_limit() -> None:
    long_evidence = "x" * 2_000
    findings = tuple(WWW.failed(f"h{i}.chatbot.test", long_evidence) for i in range(200))
    run = sample_run().model_copy(update={"findings": (*findings, RUNBOOK.passed("repo", "ok"))})
    markdown = render(run, ReportFormat.MARKDOWN)
    assert len(markdown) <= LIMIT
    assert "**Truncated:**" in markdown
    assert markdown.count("<details>") == markdown.count("</details>")
    assert "### Readiness by stage" in markdown  # the head is kept, the tail dropped


def test_short_reports_are_not_cut(run: AuditRun) -> None:
    markdown = render_markdown(build_report(run))
    assert "Truncated" not in markdown
    assert render_markdown(build_report(run), limit=3_000).count("Truncated") == 1
