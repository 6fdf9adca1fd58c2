"""``launchready report FILE.json``: a saved run re-renders in every format, in-process."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from launchready.cli import app
from launchready.engine.runner import AuditRun
from launchready.report import ReportFormat, render

runner = CliRunner()


@pytest.fixture
def saved(run: AuditRun, tmp_path: Path) -> Path:
    path = tmp_path / "run.json"
    path.write_text(render(run, ReportFormat.JSON), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "fmt", [ReportFormat.HTML, ReportFormat.SARIF, ReportFormat.MARKDOWN, ReportFormat.JSON]
)
def test_saved_run_re_renders_identically(
    run: AuditRun, saved: Path, tmp_path: Path, fmt: ReportFormat
) -> None:
    out = tmp_path / f"again.{fmt.value}"
    result = runner.invoke(app, ["report", str(saved), "--format", fmt.value, "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == render(run, fmt)


def test_fail_on_uses_the_saved_findings(saved: Path) -> None:
    assert runner.invoke(app, ["report", str(saved), "--fail-on", "critical"]).exit_code == 1
    assert runner.invoke(app, ["report", str(saved), "--fail-on", "never"]).exit_code == 0


def test_a_file_that_is_not_a_report_is_a_usage_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"schema_version": "1.0"}', encoding="utf-8")
    result = runner.invoke(app, ["report", str(bad)])
    assert result.exit_code == 2
    assert "not a launchready JSON report" in result.output
