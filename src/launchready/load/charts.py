"""Inline SVG charts of a load run for the HTML report: pure functions, strings in, string out.

Hand-written because the report is one self-contained HTML file (no JavaScript charting library, no
external assets) and two small line charts do not justify a plotting dependency. The percentile spectrum
uses HdrHistogram's x axis, ``1 / (1 - p)`` on a log scale, so the tail (p99, p99.9) gets the room it
deserves instead of being squeezed against the right edge.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

from launchready.load.results import RouteResult

_COLOURS = ("#2563eb", "#dc2626", "#059669", "#d97706", "#7c3aed", "#0891b2")
_PAD_LEFT, _PAD_RIGHT, _PAD_TOP, _PAD_BOTTOM = 56, 12, 24, 32


def _frame(width: int, height: int, title: str, body: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
        'font-family="system-ui, sans-serif" font-size="11">'
        f"<title>{escape(title)}</title>"
        f'<text x="{_PAD_LEFT}" y="14" font-weight="600">{escape(title)}</text>' + "".join(body) + "</svg>"
    )


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    magnitude = 10.0 ** math.floor(math.log10(value))
    return float(next(step * magnitude for step in (1, 2, 2.5, 5, 10) if step * magnitude >= value))


def _axes(width: int, height: int, y_max: float, y_label: str) -> list[str]:
    x0, y0, x1, y1 = _PAD_LEFT, height - _PAD_BOTTOM, width - _PAD_RIGHT, _PAD_TOP
    parts = [f'<path d="M{x0},{y1} V{y0} H{x1}" fill="none" stroke="#6b7280"/>']
    for i in range(5):
        value = y_max * i / 4
        y = y0 - (y0 - y1) * i / 4
        parts.append(f'<line x1="{x0}" x2="{x1}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e5e7eb"/>')
        parts.append(f'<text x="{x0 - 4}" y="{y + 4:.1f}" text-anchor="end">{value:g}</text>')
    parts.append(
        f'<text x="12" y="{(y0 + y1) / 2:.0f}" transform="rotate(-90 12 {(y0 + y1) / 2:.0f})" '
        f'text-anchor="middle">{escape(y_label)}</text>'
    )
    return parts


def _polyline(points: Sequence[tuple[float, float]], colour: str, dashed: bool = False) -> str:
    coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    dash = ' stroke-dasharray="4 3"' if dashed else ""
    return f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="1.5"{dash}/>'


def _legend(width: int, items: Sequence[tuple[str, str]]) -> list[str]:
    parts = []
    x = width - _PAD_RIGHT
    for label, colour in reversed(items):
        x -= 8 + 6 * len(label) + 16
        parts.append(f'<rect x="{x}" y="6" width="10" height="10" fill="{colour}"/>')
        parts.append(f'<text x="{x + 14}" y="15">{escape(label)}</text>')
    return parts


def latency_over_time_svg(route: RouteResult, width: int = 640, height: int = 220) -> str:
    """p50 and p95 of each 1-second bucket (requests by intended send time); empty when not measured."""
    points = [p for p in route.timeline if p.p95_ms is not None and p.p50_ms is not None]
    title = f"{route.route}: latency over time"
    if not points:
        return _frame(width, height, title + " (no per-second latencies)", [])
    last_second = max(p.second for p in points) or 1
    y_max = _nice_max(max(p.p95_ms or 0.0 for p in points))
    x0, y0, x1, y1 = _PAD_LEFT, height - _PAD_BOTTOM, width - _PAD_RIGHT, _PAD_TOP

    def xy(second: int, ms: float) -> tuple[float, float]:
        return x0 + (x1 - x0) * second / last_second, y0 - (y0 - y1) * min(ms, y_max) / y_max

    body = _axes(width, height, y_max, "ms")
    body.append(f'<text x="{x1}" y="{height - 8}" text-anchor="end">{last_second} s</text>')
    body.append(_polyline([xy(p.second, p.p50_ms or 0.0) for p in points], _COLOURS[0]))
    body.append(_polyline([xy(p.second, p.p95_ms or 0.0) for p in points], _COLOURS[1]))
    body += _legend(width, (("p50", _COLOURS[0]), ("p95", _COLOURS[1])))
    return _frame(width, height, title, body)


def percentile_spectrum_svg(routes: Sequence[RouteResult], width: int = 640, height: int = 240) -> str:
    """Latency by percentile for each route, x = 1/(1-p) on a log scale (90 %, 99 %, 99.9 %...)."""
    title = "Latency by percentile"
    curves = [
        (r.route, [(s.percentile, s.latency_ms) for s in r.spectrum if s.percentile < 100]) for r in routes
    ]
    curves = [(name, pts) for name, pts in curves if pts]
    if not curves:
        return _frame(width, height, title + " (no data)", [])
    top = max(p for _, pts in curves for p, _ in pts)
    x_max = math.log10(1 / (1 - top / 100)) if top < 100 else 4.0
    x_max = max(x_max, 1.0)
    y_max = _nice_max(max(ms for _, pts in curves for _, ms in pts))
    x0, y0, x1, y1 = _PAD_LEFT, height - _PAD_BOTTOM, width - _PAD_RIGHT, _PAD_TOP

    def xy(percentile: float, ms: float) -> tuple[float, float]:
        x = math.log10(1 / (1 - percentile / 100))
        return x0 + (x1 - x0) * x / x_max, y0 - (y0 - y1) * ms / y_max

    body = _axes(width, height, y_max, "ms")
    for label, percentile in (("0%", 0.0), ("90%", 90.0), ("99%", 99.0), ("99.9%", 99.9), ("99.99%", 99.99)):
        x, _ = xy(percentile, 0)
        if x <= x1 + 0.5:
            body.append(f'<text x="{x:.1f}" y="{height - 8}" text-anchor="middle">{label}</text>')
    legend = []
    for index, (name, pts) in enumerate(curves):
        colour = _COLOURS[index % len(_COLOURS)]
        body.append(_polyline([xy(p, ms) for p, ms in pts], colour))
        legend.append((name, colour))
    body += _legend(width, legend)
    return _frame(width, height, title, body)
