"""``launchready redteam`` in-process on the lab twins, with the shared options, and ``--with redteam``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from launchready.cli import cmd_redteam
from launchready.lab import Lab

PROBES = (
    "redteam.injection.direct", "redteam.injection.indirect", "redteam.leak.system-prompt",
    "redteam.tools.dangerous-call", "redteam.input.long", "redteam.failure.model",
    "redteam.failure.odd-input", "redteam.output.secrets", "redteam.output.exfil-image",
)  # fmt: skip


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def _root() -> None:
        """test root"""

    cmd_redteam.register(app)
    return app


def _run(app: typer.Typer, lab: Lab, out: Path, *extra: str) -> tuple[int, dict[str, str]]:
    args = ["redteam", "--config", str(lab.config_path), "--nameserver", lab.nameserver,
            "--ca-bundle", lab.ca_bundle, "--format", "json", "--output", str(out), *extra]  # fmt: skip
    result = CliRunner().invoke(app, args)
    report = json.loads(out.read_text())
    statuses = {f["rule_id"]: f["status"] for f in report["findings"]}
    return result.exit_code, statuses


def test_flawed_lab_fails_the_probes_and_exits_1(app: typer.Typer, flawed_lab: Lab, tmp_path: Path) -> None:
    code, statuses = _run(app, flawed_lab, tmp_path / "r.json")
    assert code == 1
    assert {rule: statuses[rule] for rule in PROBES} == dict.fromkeys(PROBES, "fail")
    assert all(rule.startswith("redteam.") for rule in statuses)


def test_hardened_lab_passes_and_exits_0(app: typer.Typer, hardened_lab: Lab, tmp_path: Path) -> None:
    code, statuses = _run(app, hardened_lab, tmp_path / "r.json", "--fail-on", "medium")
    assert {rule: statuses[rule] for rule in PROBES} == dict.fromkeys(PROBES, "pass"), statuses
    assert code == 0


def test_no_chat_route_is_not_assessed_not_passed(app: typer.Typer, tmp_path: Path) -> None:
    config = tmp_path / "launchready.toml"
    config.write_text('[product]\nname = "X"\ndomain = "x.test"\n')
    out = tmp_path / "r.json"
    result = CliRunner().invoke(
        app, ["redteam", "--config", str(config), "--format", "json", "--output", str(out)]
    )
    assert result.exit_code == 0, result.output
    findings = json.loads(out.read_text())["findings"]
    assert findings and {f["status"] for f in findings} == {"not_assessed"}
