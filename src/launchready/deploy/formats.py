"""The formats of the gating commands (``smoke``, ``drill``): the report's five, plus JUnit XML for CI.

Kept beside the deploy engines rather than in ``report`` because JUnit suits pass/fail gates, not the
ranked audit report; every other format is the report module's own renderer, unchanged. Importing this
module loads only the standard library (the CLI's options use ``GateFormat``; ``--help`` stays fast).
"""

from __future__ import annotations

import enum
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, assert_never

if TYPE_CHECKING:
    from launchready.engine import AuditRun


class GateFormat(enum.StrEnum):
    TERMINAL = "terminal"
    JSON = "json"
    MARKDOWN = "markdown"
    HTML = "html"
    SARIF = "sarif"
    JUNIT = "junit"


SUFFIXES = {
    ".json": GateFormat.JSON, ".md": GateFormat.MARKDOWN, ".html": GateFormat.HTML, ".sarif": GateFormat.SARIF,
    ".xml": GateFormat.JUNIT, ".txt": GateFormat.TERMINAL,
}  # fmt: skip


def resolve(fmt: GateFormat | None, output: Path | None) -> GateFormat:
    """``--format``, else the output file's suffix, else terminal; an unknown suffix is a ValueError."""
    if fmt is not None:
        return fmt
    if output is None:
        return GateFormat.TERMINAL
    try:
        return SUFFIXES[output.suffix.lower()]
    except KeyError:
        known = " ".join(SUFFIXES)
        raise ValueError(
            f"cannot tell the format of {output} from its suffix ({known}); use --format"
        ) from None


def render_gate(run: AuditRun, fmt: GateFormat, suite: str) -> str:
    from launchready.report import ReportFormat, render

    match fmt:
        case GateFormat.JUNIT:
            from launchready.report import build_report, junit

            return junit.render(build_report(run), suite)
        case GateFormat.TERMINAL | GateFormat.JSON | GateFormat.MARKDOWN | GateFormat.HTML | GateFormat.SARIF:
            no_color = (
                bool(os.environ.get("NO_COLOR")) or fmt is not GateFormat.TERMINAL or not sys.stdout.isatty()
            )
            return render(run, ReportFormat(fmt.value), no_color=no_color)
        case _:
            assert_never(fmt)
