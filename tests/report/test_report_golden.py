"""Golden files for the JSON, SARIF and Markdown reports of the fixed sample run.

Regenerate after an intended change with ``UPDATE_GOLDEN=1 .venv/bin/pytest tests/report -q`` and review
the diff: a golden change is a change of a public format.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from launchready.engine.runner import AuditRun
from launchready.report import ReportFormat, render

GOLDEN = Path(__file__).parent / "golden"
FILES = {
    ReportFormat.JSON: "sample.json",
    ReportFormat.SARIF: "sample.sarif",
    ReportFormat.MARKDOWN: "sample.md",
}


@pytest.mark.parametrize("fmt", list(FILES))
def test_output_matches_golden_file(run: AuditRun, fmt: ReportFormat) -> None:
    rendered = render(run, fmt)
    path = GOLDEN / FILES[fmt]
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_text(rendered, encoding="utf-8")
    assert path.exists(), f"missing golden file {path}: run with UPDATE_GOLDEN=1 to create it"
    assert rendered == path.read_text(encoding="utf-8"), f"{fmt} output changed; UPDATE_GOLDEN=1 if intended"


def test_rendering_is_deterministic(run: AuditRun) -> None:
    for fmt in ReportFormat:
        assert render(run, fmt, no_color=True) == render(run, fmt, no_color=True)
