"""Reports: the ranked risk list, the fix plan and per-stage readiness, in five formats.

``render(run, fmt)`` is the one entry point; each format is a pure function of a ``Report`` in its own
module (``terminal``, ``json``, ``markdown``, ``html``, ``sarif``), chosen by ``ReportFormat`` with
exhaustive matching, so adding a format without a renderer fails ``mypy``.
"""

from __future__ import annotations

import enum
from typing import assert_never

from launchready.engine.runner import AuditRun
from launchready.report import html as html_format
from launchready.report import json as json_format
from launchready.report import markdown as markdown_format
from launchready.report import sarif as sarif_format
from launchready.report import terminal as terminal_format
from launchready.report.html import ARTIFACT_SECTIONS
from launchready.report.json import SCHEMA_VERSION, load_report, load_report_json, report_schema
from launchready.report.model import RankedRisk, Report, StageReadiness, build_report, readiness_score
from launchready.report.ranking import FixGroup, FixPlan, blocking, is_must_do_now, rank_key


class ReportFormat(enum.StrEnum):
    TERMINAL = "terminal"
    JSON = "json"
    MARKDOWN = "markdown"
    HTML = "html"
    SARIF = "sarif"


def render_report(report: Report, fmt: ReportFormat, *, no_color: bool = False, width: int = 100) -> str:
    """Render an already-built report (``no_color`` and ``width`` apply to the terminal format only)."""
    match fmt:
        case ReportFormat.TERMINAL:
            return terminal_format.render(report, no_color=no_color, width=width)
        case ReportFormat.JSON:
            return json_format.render(report)
        case ReportFormat.MARKDOWN:
            return markdown_format.render(report)
        case ReportFormat.HTML:
            return html_format.render(report)
        case ReportFormat.SARIF:
            return sarif_format.render(report)
        case _:
            assert_never(fmt)


def render(run: AuditRun, fmt: ReportFormat, *, no_color: bool = False, width: int = 100) -> str:
    """Build the report of ``run`` and render it as ``fmt``."""
    return render_report(build_report(run), fmt, no_color=no_color, width=width)


__all__ = [
    "ARTIFACT_SECTIONS",
    "SCHEMA_VERSION",
    "FixGroup",
    "FixPlan",
    "RankedRisk",
    "Report",
    "ReportFormat",
    "StageReadiness",
    "blocking",
    "build_report",
    "is_must_do_now",
    "load_report",
    "load_report_json",
    "rank_key",
    "readiness_score",
    "render",
    "render_report",
    "report_schema",
]
