"""The terminal report: verdict, root causes and ≤ 10 one-line must-do items first; fits 80 columns;
never splits a rule id; colour only when asked; finding text never read as markup."""

from __future__ import annotations

import pytest
from report_sample import big_run

from launchready.engine.runner import AuditRun
from launchready.report import MUST_DO_SHOWN, ReportFormat, build_report, render

SCREEN = 24


def test_no_color_has_no_escape_codes_and_keeps_the_content(run: AuditRun) -> None:
    text = render(run, ReportFormat.TERMINAL, no_color=True, width=120)
    assert "\x1b[" not in text
    assert text.startswith("NOT READY: 7 blockers")
    for line in ("Root causes", "Must do now (6)", "Readiness by stage", "Top risks", "dns.zone timed_out"):
        assert line in text
    assert "also blocked: 3 checks" in text
    assert "not assessed: 2 rules — add [environments] to check env separation" in text


def test_color_when_asked(run: AuditRun) -> None:
    assert "\x1b[" in render(run, ReportFormat.TERMINAL, no_color=False, width=100)


def test_markup_in_evidence_is_printed_literally(run: AuditRun) -> None:
    text = render(run, ReportFormat.TERMINAL, no_color=True, width=200)
    assert "[bold]markup[/bold]" in text


@pytest.mark.parametrize("width", [80, 100, 140])
def test_width_is_respected_and_rule_ids_are_never_split(width: int) -> None:
    run = big_run()
    for show_all in (False, True):
        lines = render(run, ReportFormat.TERMINAL, no_color=True, width=width, show_all=show_all).splitlines()
        assert max(len(line) for line in lines) <= width
    shown = render(run, ReportFormat.TERMINAL, no_color=True, width=width)
    report = build_report(run)
    for risk in report.risks[:10]:
        assert any(risk.finding.rule_id in line for line in shown.splitlines()), risk.finding.rule_id


def test_the_top_fits_one_80x24_screen_verdict_root_causes_and_must_do() -> None:
    run = big_run()
    report = build_report(run)
    assert len(report.plan.must_do_now) > MUST_DO_SHOWN  # the cut is exercised
    lines = render(run, ReportFormat.TERMINAL, no_color=True, width=80).splitlines()
    top = lines[:SCREEN]
    assert top[0].startswith("NOT READY")
    assert any(line.startswith("Root causes") for line in top)
    start = next(i for i, line in enumerate(top) if line.startswith("Must do now"))
    items = [
        line
        for line in lines[start + 1 : start + 1 + MUST_DO_SHOWN]
        if line[:4].strip().rstrip(".").isdigit()
    ]
    assert len(items) == MUST_DO_SHOWN
    assert (
        start + MUST_DO_SHOWN + 1 < SCREEN
    )  # the tenth item (and the "+N more: --all" line) are above the fold
    assert "more must-do items: --all" in lines[start + MUST_DO_SHOWN + 1]
    # each must-do item is ONE line: what — where — why
    for line in items:
        assert line.count(" — ") >= 2, line


def test_show_all_lists_every_must_do_item_blocked_check_and_not_assessed_rule() -> None:
    run = big_run()
    report = build_report(run)
    text = render(run, ReportFormat.TERMINAL, no_color=True, width=120, show_all=True)
    assert "--all" not in text
    assert f"Must do now ({len(report.plan.must_do_now)})" in text
    for root in report.root_causes:
        for blocked in root.blocked:
            assert f"{blocked.rule_id} on {blocked.target}" in text
    for group in report.not_assessed:
        assert ", ".join(group.rule_ids) in text


def test_stages_without_checks_name_their_command(run: AuditRun) -> None:
    text = render(run, ReportFormat.TERMINAL, no_color=True, width=120)
    assert "monitoring: not assessed — `launchready monitor --once` covers this" in text
    assert "The score covers: audit, dns-edge, secure-delivery, performance" in text
