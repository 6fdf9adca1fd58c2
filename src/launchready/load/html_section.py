"""The load results as an HTML report section: a per-route table and the two inline SVG charts.

The HTML report draws artifacts through its ``ARTIFACT_SECTIONS`` table; this is the ``"load"`` entry
(``render_load_html(run.artifacts["load"])``). Every string is escaped here, as the report requires; the
data is re-validated with the ``LoadResults`` model, so a malformed artifact raises ``ValueError`` and the
report falls back to its generic view.
"""

from __future__ import annotations

from html import escape
from typing import Any

from launchready.load.charts import latency_over_time_svg, percentile_spectrum_svg
from launchready.load.results import LoadResults, RouteResult


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _row(route: RouteResult) -> str:
    cells = [
        f"<td><code>{_e(route.method)} {_e(route.route)}</code></td>",
        *(f'<td class="num">{_e(value)}</td>' for value in (*route.summary_cells(), route.dropped)),
    ]
    return "<tr>" + "".join(cells) + "</tr>"


def render_load_html(data: Any) -> str:
    results = LoadResults.model_validate(data)
    heads = (
        "route",
        "requests",
        "errors",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "max ms",
        "TTFT p95",
        "tokens/s",
        "dropped",
    )
    header = "".join(f"<th{'' if h == 'route' else ' class=num'}>{_e(h)}</th>" for h in heads)
    summary = (
        f"{_e(results.engine)} engine, {_e(results.model)} model: {results.completed} requests in "
        f"{results.duration_s:.1f} s ({results.achieved_rate:.1f}/s), {results.dropped} dropped; "
        f"latency measured from the {_e(results.latency_from)} time"
    )
    notes = "".join(f"<li>{_e(note)}</li>" for note in results.notes)
    charts = "".join(f"<figure>{latency_over_time_svg(route)}</figure>" for route in results.routes)
    return (
        '<section class="artifact" id="load"><h3>Load test</h3>'
        f'<p class="muted">{summary}</p>'
        f"<table><thead><tr>{header}</tr></thead><tbody>"
        + "".join(_row(route) for route in results.routes)
        + "</tbody></table>"
        + (f"<ul>{notes}</ul>" if notes else "")
        + f"<figure>{percentile_spectrum_svg(results.routes)}</figure>{charts}</section>"
    )
