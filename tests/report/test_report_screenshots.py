"""The HTML report never scrolls sideways: Debian's chromium renders a large report with long DKIM keys,
URLs and tokens at a desktop (1400 px) and a phone (390 px) width, every ``<details>`` opened, and the
page must be no wider than the window. Screenshots are saved next to the test's tmp dir for a human look
(``--basetemp=DIR`` keeps them somewhere known)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from report_sample import DKIM, big_run

from launchready.report import ReportFormat, render

if TYPE_CHECKING:
    from playwright.sync_api import Browser

WIDTHS = (1400, 390)


@pytest.fixture(scope="module")
def report_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    html = render(big_run(), ReportFormat.HTML)
    assert DKIM in html  # the long values are really on the page
    path = tmp_path_factory.mktemp("html") / "report.html"
    path.write_text(html, encoding="utf-8")
    return path


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("opened", [False, True], ids=["as-sent", "all-open"])
def test_no_horizontal_page_scroll(
    browser: Browser, report_file: Path, tmp_path: Path, width: int, opened: bool
) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900})
    try:
        page.goto(report_file.as_uri())
        if opened:
            page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        inner_width = page.evaluate("window.innerWidth")
        shot = tmp_path / f"report-{width}-{'open' if opened else 'sent'}.png"
        page.screenshot(path=str(shot), full_page=not opened)  # the opened page is huge: its first screen
        assert shot.stat().st_size > 0
        offenders = page.evaluate(
            """() => [...document.querySelectorAll('body *')]
                .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1)
                .filter(el => !el.closest('.scroll'))
                .slice(0, 5).map(el => el.tagName + '.' + el.className + ': ' + (el.textContent || '').slice(0, 60))"""
        )
        assert scroll_width <= inner_width, (
            f"page is {scroll_width}px wide in a {inner_width}px window: {offenders}"
        )
    finally:
        page.close()


def test_the_top_of_the_page_is_the_verdict_then_root_causes_then_must_do(
    browser: Browser, report_file: Path
) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844})
    try:
        page.goto(report_file.as_uri())
        tops = page.evaluate(
            """() => ['.verdict', '#root-causes', '#must-do', '#readiness'].map(
                s => document.querySelector(s).getBoundingClientRect().top)"""
        )
        assert tops == sorted(tops)
        visible_items = page.evaluate("document.querySelectorAll('#must-do > ol.must-do > li').length")
        assert 1 <= visible_items <= 10
    finally:
        page.close()
