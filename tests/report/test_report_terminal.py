"""The terminal report: summary first, colour only when asked, finding text never read as markup."""

from __future__ import annotations

from launchready.engine.runner import AuditRun
from launchready.report import ReportFormat, render


def test_no_color_has_no_escape_codes_and_keeps_the_content(run: AuditRun) -> None:
    text = render(run, ReportFormat.TERMINAL, no_color=True, width=120)
    assert "\x1b[" not in text
    assert text.startswith("NOT READY: 5 blockers")
    expected: tuple[str, ...] = (
        "Readiness by stage",
        "secure-delivery",
        "Top risks",
        "tls.cert.expired",
        "Must do now",
    )
    expected += ("Renew the certificate", "api.chatbot.test, app.chatbot.test", "dns.zone timed_out")
    for line in expected:
        assert line in text


def test_color_when_asked(run: AuditRun) -> None:
    assert "\x1b[" in render(run, ReportFormat.TERMINAL, no_color=False)


def test_markup_in_evidence_is_printed_literally(run: AuditRun) -> None:
    text = render(run, ReportFormat.TERMINAL, no_color=True, width=200)
    assert "[bold]markup[/bold]" in text


def test_width_is_respected(run: AuditRun) -> None:
    for width in (80, 140):
        lines = render(run, ReportFormat.TERMINAL, no_color=True, width=width).splitlines()
        assert max(len(line) for line in lines) <= width
