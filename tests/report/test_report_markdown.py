"""The Markdown report: fits a PR comment, keeps tables intact, never dumps sensitive details."""

from __future__ import annotations

import re

from report_sample import CSP, WWW, big_run, sample_run

from launchready.engine.runner import AuditRun
from launchready.report import ReportFormat, build_report, render
from launchready.report.markdown import LIMIT
from launchready.report.markdown import render as render_markdown


def test_hostile_evidence_cannot_break_the_table_or_inject_html(run: AuditRun) -> None:
    markdown = render(run, ReportFormat.MARKDOWN)
    assert "<script" not in markdown
    row = next(line for line in markdown.splitlines() if line.startswith("| 9 |"))
    assert "headers.banner.leak" in row
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
    run = sample_run((*findings, CSP.passed("repo", "ok", exercised={"files_scanned": 1})))
    markdown = render(run, ReportFormat.MARKDOWN)
    assert len(markdown) <= LIMIT
    assert "**Truncated:**" in markdown
    assert markdown.count("<details>") == markdown.count("</details>")
    assert "### Must do now" in markdown  # the head is kept, the tail dropped


def test_short_reports_are_not_cut(run: AuditRun) -> None:
    markdown = render_markdown(build_report(run))
    assert "Truncated" not in markdown
    assert render_markdown(build_report(run), limit=3_000).count("Truncated") == 1


def test_the_top_is_verdict_root_causes_then_at_most_ten_must_do_items_with_snippets(run: AuditRun) -> None:
    markdown = render(run, ReportFormat.MARKDOWN)
    order = [
        "**NOT READY",
        "### Root causes",
        "### Must do now (6)",
        "### Readiness by stage",
        "### Top risks",
    ]
    positions = [markdown.index(marker) for marker in order]
    assert positions == sorted(positions)
    must_do = markdown[markdown.index("### Must do now") : markdown.index("### Readiness by stage")]
    assert "   server_name api.chatbot.test;" in must_do  # the snippet, in the product's names, in the item
    assert "Could not look: https://chatbot.test/api/chat" in must_do  # unverified: how to look, no fix
    big = render(big_run(), ReportFormat.MARKDOWN)
    top = big[big.index("### Must do now") : big.index("<details><summary>4 more must-do items")]
    assert re.findall(r"^(\d+)\. \*\*", top, re.MULTILINE) == [str(n) for n in range(1, 11)]
    assert "4 more must-do items" not in render(big_run(), ReportFormat.MARKDOWN, show_all=True)


def test_stage_table_names_the_command_for_stages_without_checks(run: AuditRun) -> None:
    markdown = render(run, ReportFormat.MARKDOWN)
    assert "| handover | not assessed — `launchready handover` covers this |" in markdown


def test_snippets_use_the_products_names_not_placeholders(run: AuditRun) -> None:
    markdown = render(run, ReportFormat.MARKDOWN, show_all=True)
    assert "{{" not in markdown
    assert "server_name app.chatbot.test;" in markdown  # a risk's details: filled for its own host
