"""The SVG charts are self-contained, escape route names, and place points where the data says."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from launchready.load.charts import latency_over_time_svg, percentile_spectrum_svg
from launchready.load.results import LatencySummary, RouteResult, SpectrumPoint, TimelinePoint

SVG = "{http://www.w3.org/2000/svg}"


def route(
    name: str, timeline: tuple[TimelinePoint, ...] = (), spectrum: tuple[SpectrumPoint, ...] = ()
) -> RouteResult:
    return RouteResult(
        route=name, method="GET", url="https://x.test/", requests=10, ok=10, errors=0, error_rate=0.0,
        throughput_rps=1.0, latency=LatencySummary(), timeline=timeline, spectrum=spectrum,
    )  # fmt: skip


def test_latency_over_time_draws_p50_and_p95_lines_scaled_to_the_data() -> None:
    timeline = tuple(
        TimelinePoint(second=s, requests=5, errors=0, p50_ms=10.0, p95_ms=100.0 if s != 2 else 900.0)
        for s in range(5)
    )
    svg = latency_over_time_svg(route("<chat>", timeline))
    root = ET.fromstring(svg)
    lines = root.findall(f"{SVG}polyline")
    assert len(lines) == 2
    p95 = [tuple(map(float, pair.split(","))) for pair in lines[1].attrib["points"].split()]
    assert len(p95) == 5
    assert min(p95, key=lambda xy: xy[1]) == p95[2]  # the 900 ms second is the highest point (smallest y)
    assert "&lt;chat&gt;" in svg and "http" not in svg.replace("http://www.w3.org/2000/svg", "")


def test_locust_timeline_without_latencies_draws_nothing() -> None:
    svg = latency_over_time_svg(route("r", (TimelinePoint(second=0, requests=3, errors=0),)))
    assert ET.fromstring(svg).findall(f"{SVG}polyline") == []


def test_spectrum_has_one_curve_per_route_and_a_log_tail_axis() -> None:
    points = tuple(
        SpectrumPoint(percentile=p, latency_ms=v)
        for p, v in ((50, 5), (90, 8), (99, 500), (99.9, 990), (100, 1000))
    )
    svg = percentile_spectrum_svg([route("a", spectrum=points), route("b", spectrum=points[:3])])
    root = ET.fromstring(svg)
    curves = root.findall(f"{SVG}polyline")
    assert len(curves) == 2
    xs = [float(pair.split(",")[0]) for pair in curves[0].attrib["points"].split()]
    assert xs == sorted(xs)
    assert abs((xs[2] - xs[1]) - (xs[3] - xs[2])) < 0.2  # 90→99 and 99→99.9 are one decade each
    assert "99.9%" in svg


def test_the_report_section_escapes_and_draws_every_route() -> None:
    from launchready.load.html_section import render_load_html

    point = TimelinePoint(second=0, requests=1, errors=0, p50_ms=1, p95_ms=2, max_ms=3)
    results = {
        "engine": "native", "model": "open", "started_at": "2026-01-01T00:00:00Z", "planned_duration_s": 1,
        "duration_s": 1, "max_requests": 10, "scheduled": 10, "sent": 10, "completed": 10, "dropped": 0,
        "achieved_rate": 10, "latency_from": "intended-send", "notes": ["<b>late</b>"],
        "routes": [route("<script>", (point,)).model_dump(mode="json")],
    }  # fmt: skip
    html = render_load_html(results)
    assert "<script>" not in html and "&lt;script&gt;" in html and "&lt;b&gt;late" in html
    assert html.count("<svg") == 2  # the spectrum and one latency-over-time chart
    with pytest.raises(ValueError):
        render_load_html({"engine": "native"})
