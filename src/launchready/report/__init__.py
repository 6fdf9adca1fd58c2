"""Reports: the verdict, root causes, the fix plan, ranked risks and per-stage readiness, in six formats.

``render(run, fmt)`` is the one entry point; each format is a pure function of a ``Report`` in its own
module (``terminal``, ``json``, ``markdown``, ``html``, ``sarif``, ``junit``), chosen by ``ReportFormat`` with
exhaustive matching, so adding a format without a renderer fails ``mypy``.

``show_all`` (the CLI's ``--all``) lifts the human formats' cut-offs: every must-do item, every risk,
every not-assessed rule and every blocked check. By default the top of each format is the verdict, the
root causes and at most ``MUST_DO_SHOWN`` must-do items; the rest is one flag (terminal, Markdown) or one
click (a collapsed section in HTML) away. JSON and SARIF always hold everything.
"""

from __future__ import annotations

import enum
from typing import assert_never

from launchready.engine.runner import AuditRun
from launchready.report import json as json_format
from launchready.report import sarif as sarif_format
from launchready.report.artifacts import ARTIFACT_SECTIONS
from launchready.report.fixplan import FixGroup, FixItem, FixKind, FixPlan
from launchready.report.json import SCHEMA_VERSION, load_report, load_report_json, report_schema
from launchready.report.model import Report, StageReadiness, Tally, build_report, readiness_score, tally
from launchready.report.ranking import blocking, is_must_do_now, rank_key
from launchready.report.risks import RankedRisk, Risk
from launchready.report.text import MUST_DO_SHOWN


class ReportFormat(enum.StrEnum):
    TERMINAL = "terminal"
    JSON = "json"
    MARKDOWN = "markdown"
    HTML = "html"
    SARIF = "sarif"
    JUNIT = "junit"


def render_report(
    report: Report,
    fmt: ReportFormat,
    *,
    no_color: bool = False,
    width: int | None = None,
    show_all: bool = False,
) -> str:
    """Render an already-built report.

    ``no_color`` and ``width`` apply to the terminal format only; ``width=None`` uses Rich's measured
    width of the real terminal (``COLUMNS`` when set, 80 when stdout is not a terminal).
    """
    match fmt:  # the human formats load Rich / Jinja2 only when asked for
        case ReportFormat.TERMINAL:
            from launchready.report import terminal as terminal_format

            return terminal_format.render(
                report, no_color=no_color, width=width or terminal_format.measured_width(), show_all=show_all
            )
        case ReportFormat.JSON:
            return json_format.render(report)
        case ReportFormat.MARKDOWN:
            from launchready.report import markdown as markdown_format

            return markdown_format.render(report, show_all=show_all)
        case ReportFormat.HTML:
            from launchready.report import html as html_format

            return html_format.render(report, show_all=show_all)
        case ReportFormat.SARIF:
            return sarif_format.render(report)
        case ReportFormat.JUNIT:
            from launchready.report import junit as junit_format

            return junit_format.render(report)
        case _:
            assert_never(fmt)


def render(
    run: AuditRun,
    fmt: ReportFormat,
    *,
    no_color: bool = False,
    width: int | None = None,
    show_all: bool = False,
) -> str:
    """Build the report of ``run`` and render it as ``fmt`` (see ``render_report``)."""
    return render_report(build_report(run), fmt, no_color=no_color, width=width, show_all=show_all)


__all__ = [
    "ARTIFACT_SECTIONS",
    "MUST_DO_SHOWN",
    "SCHEMA_VERSION",
    "FixGroup",
    "FixItem",
    "FixKind",
    "FixPlan",
    "RankedRisk",
    "Report",
    "ReportFormat",
    "Risk",
    "StageReadiness",
    "Tally",
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
    "tally",
]
