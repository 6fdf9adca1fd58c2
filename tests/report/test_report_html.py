"""The HTML report: escaped, self-contained, top risks first, artifacts through the hook table."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from report_sample import HOSTILE

from launchready.engine.runner import AuditRun
from launchready.report import ARTIFACT_SECTIONS, ReportFormat, render


@pytest.fixture
def html(run: AuditRun) -> str:
    return render(run, ReportFormat.HTML)


def test_attacker_controlled_text_is_escaped(html: str) -> None:
    assert "<script" not in html.lower()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert HOSTILE not in html


def test_self_contained(html: str) -> None:
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html, re.IGNORECASE)
    assert "@import" not in html and "url(" not in html
    assert "<script" not in html.lower()
    assert "<style>" in html


def test_top_risks_come_before_everything_else(html: str) -> None:
    first_risk = html.index("tls.cert.expired")
    assert first_risk < html.index('id="readiness"') < html.index('id="all-findings"')
    assert html.index('id="top-risks"') < html.index('id="fix-plan"')


def test_snippets_are_shown_in_pre(html: str) -> None:
    assert (
        "<pre>add_header Strict-Transport-Security "
        "&quot;max-age=31536000; includeSubDomains&quot; always;</pre>" in html
    )


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
