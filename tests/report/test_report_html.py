"""The HTML report: Jinja2 with autoescape, self-contained, the verdict / root causes / must-do first, the
rest collapsed, artifacts through the hook table."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from report_sample import BANNER, CSP, HOSTILE, WWW, big_run, sample_run

from launchready.engine.runner import AuditRun
from launchready.report import ARTIFACT_SECTIONS, MUST_DO_SHOWN, ReportFormat, build_report, render

SCRIPT = '<script>alert("pwned")</script>'
ESCAPED = "&lt;script&gt;alert(&#34;pwned&#34;)&lt;/script&gt;"


@pytest.fixture
def html(run: AuditRun) -> str:
    return render(run, ReportFormat.HTML)


@pytest.fixture
def planted() -> AuditRun:
    """``<script>`` in a page title (details), a header value (evidence) and a TXT record (the DNS map)."""
    findings = (
        CSP.warned("app.chatbot.test", "weak CSP", details={"page_title": f"Welcome {SCRIPT}"}),
        BANNER.warned("api.chatbot.test", f"X-Powered-By: {SCRIPT}", details={"header": f"Server: {SCRIPT}"}),
        WWW.warned("chatbot.test", f"TXT chatbot.test: v=spf1 {SCRIPT}"),
    )
    run = sample_run(findings)
    dns_map = {
        "domain": "chatbot.test",
        "records": [
            {"name": "chatbot.test", "rdtype": "TXT", "value": f"v=spf1 {SCRIPT}", "ttl": 300, "note": ""}
        ],
        "missing": [],
        "errors": [],
    }
    return run.model_copy(update={"artifacts": {"dns_map": dns_map, "page": {"title": SCRIPT}}})


def test_planted_script_in_title_header_and_txt_record_is_escaped(planted: AuditRun) -> None:
    html = render(planted, ReportFormat.HTML, show_all=True)
    assert "<script" not in html.lower()
    # the evidence (header value and TXT answer), details (page title), the DNS map and a generic artifact
    assert html.count("&lt;script&gt;alert(") >= 5
    assert ESCAPED in html  # Jinja2's autoescape, quotes included


def test_planted_script_does_not_break_markdown_tables(planted: AuditRun) -> None:
    markdown = render(planted, ReportFormat.MARKDOWN, show_all=True)
    assert "<script" not in markdown.lower()
    for line in markdown.splitlines():
        if line.startswith("| ") and "chatbot.test" in line:
            header = len(re.findall(r"(?<!\\)\|", line))
            assert header in (7, 3), line  # risk rows have six cells, detail rows two: nothing broke out


def test_attacker_controlled_text_is_escaped(html: str) -> None:
    assert "<script" not in html.lower()
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    assert HOSTILE not in html


def test_self_contained(html: str) -> None:
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html, re.IGNORECASE)
    assert "@import" not in html and "url(" not in html
    assert "<script" not in html.lower()
    assert "<style>" in html and "overflow-wrap:anywhere" in html


def test_verdict_then_root_causes_then_must_do_then_the_rest(html: str) -> None:
    order = ['class="verdict', 'id="root-causes"', 'id="must-do"', 'id="readiness"', 'id="top-risks"']
    order += ['id="fix-plan"', 'id="all-findings"']
    positions = [html.index(marker) for marker in order]
    assert positions == sorted(positions)


def test_at_most_ten_must_do_items_then_a_collapsed_section() -> None:
    report = build_report(big_run())
    assert len(report.plan.must_do_now) > MUST_DO_SHOWN
    html = render(big_run(), ReportFormat.HTML)
    top = html[html.index('id="must-do"') : html.index('id="more-must-do"')]
    assert top.count('<li class="card') == MUST_DO_SHOWN
    assert f"{len(report.plan.must_do_now) - MUST_DO_SHOWN} more must-do items" in html
    everything = render(big_run(), ReportFormat.HTML, show_all=True)
    assert 'id="more-must-do"' not in everything


def test_must_do_items_carry_their_snippet_in_the_products_names(html: str) -> None:
    must_do = html[html.index('id="must-do"') : html.index('id="readiness"')]
    assert "<pre>server_name api.chatbot.test;\nadd_header Strict-Transport-Security" in must_do
    assert "{{" not in html


def test_an_unverified_item_shows_how_to_verify_not_a_fix(html: str) -> None:
    must_do = html[html.index('id="must-do"') : html.index('id="readiness"')]
    ttft = must_do[must_do.index("Verify by hand: Perf ttft slow") :]
    ttft = ttft[: ttft.index("</li>")]
    assert "could not look: https://chatbot.test/api/chat: the chat route answered 403" in ttft
    assert "Fix perf.ttft.slow" not in must_do


def test_root_cause_lists_what_it_blocked_in_a_collapsed_section(html: str) -> None:
    roots = html[html.index('id="root-causes"') : html.index('id="must-do"')]
    assert "<summary>also blocked: 3 checks</summary>" in roots
    risks = html[html.index('id="top-risks"') :]
    assert risks.index("dns.sample.unresolved") < risks.index("tls.cert.lapsed")  # first of the risk list


def test_stages_without_checks_say_which_command_covers_them(html: str) -> None:
    assert "not assessed — <code>launchready monitor --once</code> covers this" in html
    assert "The readiness score covers: audit, dns-edge, secure-delivery, performance." in html


def test_not_assessed_rules_are_listed_by_reason(html: str) -> None:
    section = html[html.index('id="not-assessed"') :]
    assert "not assessed: 2 rules — add [environments] to check env separation" in section


def test_sensitive_details_and_artifact_keys_are_not_dumped(html: str) -> None:
    assert "fp:0123456789abcdef" in html  # ordinary details are shown
    for raw in ("RAW-TOKEN-VALUE-MUST-NOT-SHOW", "RAW-NESTED-SECRET", "RAW-ARTIFACT-TOKEN"):
        assert raw not in html


def test_incomplete_checks_are_listed(html: str) -> None:
    assert "the check did not finish within its 10s time limit" in html


@pytest.fixture
def hook() -> Iterator[list[Any]]:
    seen: list[Any] = []

    def section(data: Any) -> str:
        seen.append(data)
        return '<section class="custom-inventory">inventory drawn by its owner</section>'

    ARTIFACT_SECTIONS["inventory"] = section
    try:
        yield seen
    finally:
        del ARTIFACT_SECTIONS["inventory"]


def test_registered_artifact_renderer_is_used(run: AuditRun, hook: list[Any]) -> None:
    html = render(run, ReportFormat.HTML)
    assert "inventory drawn by its owner" in html
    assert hook == [run.artifacts["inventory"]]


def test_unregistered_artifact_gets_the_generic_view(html: str) -> None:
    section = html[html.index('<section class="artifact"><h3>inventory') :]
    assert "<details>" in section and "hosts" in section


def test_dns_map_artifact_uses_its_renderer_and_stays_escaped(html: str) -> None:
    assert 'class="dns-map"' in html
    assert "www.chatbot.test" in html


def test_an_artifact_its_renderer_cannot_read_falls_back_to_the_generic_view(run: AuditRun) -> None:
    odd = run.model_copy(update={"artifacts": {"dns_map": ["an", "older", "shape"]}})
    html = render(odd, ReportFormat.HTML)
    assert '<section class="artifact"><h3>dns_map' in html and "older" in html
