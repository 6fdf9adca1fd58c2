"""Property tests over arbitrary finding text: HTML never gains markup, JSON always round-trips."""

from __future__ import annotations

from html import escape

from hypothesis import given, settings
from hypothesis import strategies as st
from report_sample import BANNER, sample_run

from launchready.report import ReportFormat, load_report_json, render

# Any text a hostile server could put in a header or a page, minus lone surrogates (not encodable UTF-8).
hostile_text = st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=80)


@settings(max_examples=30, deadline=None)
@given(evidence=hostile_text, target=hostile_text, key=hostile_text)
def test_any_text_is_escaped_in_html_and_round_trips_in_json(evidence: str, target: str, key: str) -> None:
    finding = BANNER.warned(target, evidence, details={key: evidence})
    run = sample_run((finding,)).model_copy(update={"artifacts": {key: {key: evidence}}})
    html = render(run, ReportFormat.HTML)
    assert "<script" not in html.lower()
    assert html.count("<article") == 1
    assert (
        f"<p>{escape(evidence, quote=True).replace('&#x27;', '&#39;').replace('&quot;', '&#34;')}</p>" in html
    )
    text = render(run, ReportFormat.JSON)
    assert render(load_report_json(text), ReportFormat.JSON) == text
    assert load_report_json(text).findings == (finding,)
