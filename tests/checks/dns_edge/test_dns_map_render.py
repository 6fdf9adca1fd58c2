"""The DNS map renders the same rows as Markdown and as an escaped HTML section."""

from __future__ import annotations

from launchready.checks.dns_edge.dns_map_render import render_dns_map_html, render_dns_map_markdown

MAP = {
    "domain": "zone.test",
    "records": [
        {
            "name": "zone.test",
            "rdtype": "TXT",
            "value": '"v=spf1 -all"',
            "ttl": 300,
            "note": "SPF for outbound mail",
        },
        {
            "name": "zone.test",
            "rdtype": "CAA",
            "value": '0 issue "<ca>|x"',
            "ttl": 3600,
            "note": "only <ca> may issue",
        },
    ],
    "missing": ["status.zone.test"],
    "names": [
        {"name": "zone.test", "why": "configured"},
        {"name": "mx.zone.test", "why": "mail server (MX of zone.test)"},
        {"name": "<b>.zone.test", "why": "discovered by probing common names (not in the config)"},
    ],
    "errors": ["no DNS answer for app.zone.test A within 3s"],
}


def test_markdown_has_a_row_per_record_and_escapes_pipes() -> None:
    text = render_dns_map_markdown(MAP)
    assert text.startswith("# DNS map of zone.test")
    assert "| zone.test | TXT |" in text and "SPF for outbound mail" in text
    assert "<ca>\\|x" in text
    assert "status.zone.test" in text and "map incomplete" in text
    assert "- mx.zone.test: mail server (MX of zone.test)" in text
    assert "- zone.test: configured" not in text


def test_html_escapes_values() -> None:
    html = render_dns_map_html(MAP)
    assert "&lt;ca&gt;" in html and "<ca>" not in html
    assert html.count("<tr>") == 3  # header + two records
    assert "status.zone.test" in html
    assert "<li>mx.zone.test: mail server (MX of zone.test)</li>" in html
    assert "&lt;b&gt;.zone.test" in html and "<b>" not in html
