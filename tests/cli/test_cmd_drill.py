"""``launchready drill`` in-process: ``--dry-run`` prints the plan and runs nothing, a real drill exits 0 and
lands in the history the audit reads back, a broken rollback exits 1, a config without commands exits 2."""

from __future__ import annotations

import asyncio
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from launchready.checks.deploy import RollbackReady
from launchready.cli import cmd_drill
from launchready.config import load_config
from launchready.deploy.history import read_history
from launchready.engine import RunOptions, run_audit
from launchready.findings import Status
from launchready.lab.deploy_app import DeployableApp


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def _root() -> None:
        """test root"""

    cmd_drill.register(app)
    return app


@pytest.fixture
def deployable(tmp_path: Path) -> Iterator[DeployableApp]:
    with DeployableApp(tmp_path / "app") as running:
        yield running


def _write_config(tmp_path: Path, app: DeployableApp, rollback: str | None = None) -> Path:
    q = json.dumps
    path = tmp_path / "launchready.toml"
    path.write_text(
        f"""[product]
name = "drill"
domain = "deploy.test"

[repo]
path = "."

[deploy]
command = {q(app.command("deploy", "--to", "2.0.0"))}
rollback_command = {q(rollback or app.command("rollback"))}
version_url = {q(app.url("/version"))}
health_url = {q(app.url("/health"))}
settle_timeout_s = 10
""",
        encoding="utf-8",
    )
    return path


def test_dry_run_prints_the_plan_and_runs_nothing(
    app: typer.Typer, deployable: DeployableApp, tmp_path: Path
) -> None:
    config = _write_config(tmp_path, deployable)
    result = CliRunner().invoke(app, ["drill", "--config", str(config), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "1. baseline" in result.stdout and "4. rollback" in result.stdout and "10 m 0 s" in result.stdout
    with_smoke = CliRunner().invoke(app, ["drill", "--config", str(config), "--dry-run", "--smoke"])
    assert "smoke          launchready smoke on the new version" in with_smoke.stdout
    assert "smoke" not in result.stdout.replace("launchready smoke", "")
    assert deployable.version == "1.0.0"
    assert not (tmp_path / ".launchready" / "drills.jsonl").exists()


def test_a_drill_is_recorded_and_the_audit_reads_it(
    app: typer.Typer, deployable: DeployableApp, tmp_path: Path
) -> None:
    config = _write_config(tmp_path, deployable)
    out = tmp_path / "drill.xml"
    result = CliRunner().invoke(app, ["drill", "--config", str(config), "--output", str(out)])
    assert result.exit_code == 0, result.output
    case = ET.parse(out).getroot().find("testsuite/testcase")
    assert (
        case is not None and case.get("classname") == "deploy.rollback.drill" and case.find("failure") is None
    )
    records, bad = read_history(tmp_path / ".launchready" / "drills.jsonl")
    assert bad == 0 and len(records) == 1 and records[0].ok
    run = asyncio.run(run_audit(load_config(config), [RollbackReady()], RunOptions(deadline_s=30)))
    finding = next(f for f in run.findings if f.rule_id == "deploy.rollback.drill")
    assert finding.status is Status.PASS and finding.evidence.startswith("last drill ")


def test_a_broken_rollback_exits_1(app: typer.Typer, deployable: DeployableApp, tmp_path: Path) -> None:
    config = _write_config(tmp_path, deployable, rollback=deployable.command("rollback", "--to", "0.0.1"))
    result = CliRunner().invoke(app, ["drill", "--config", str(config), "--format", "json"])
    assert result.exit_code == 1, result.output
    assert "rollback: exit status 1" in result.stdout
    records, _ = read_history(tmp_path / ".launchready" / "drills.jsonl")
    assert [r.ok for r in records] == [False]


def test_a_config_without_deploy_commands_exits_2(app: typer.Typer, tmp_path: Path) -> None:
    config = tmp_path / "launchready.toml"
    config.write_text('[product]\nname = "x"\ndomain = "x.test"\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["drill", "--config", str(config)])
    assert result.exit_code == 2 and "Traceback" not in result.output
