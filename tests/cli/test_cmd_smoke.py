"""``launchready smoke`` in-process, as a pipeline runs it: exit 0 on the hardened lab, 1 with a failing
JUnit test case when a route breaks, 2 for bad arguments."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from launchready.cli import cmd_smoke
from launchready.lab import Lab
from launchready.lab.route_fault import broken_route


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def _root() -> None:
        """test root"""

    cmd_smoke.register(app)
    return app


def _args(lab: Lab, *extra: str) -> list[str]:
    return ["smoke", "--config", str(lab.config_path), "--nameserver", lab.nameserver,
            "--ca-bundle", lab.ca_bundle, *extra]  # fmt: skip


def test_green_lab_exits_0_with_junit(app: typer.Typer, hardened_lab: Lab, tmp_path: Path) -> None:
    out = tmp_path / "smoke.xml"
    result = CliRunner().invoke(app, _args(hardened_lab, "--output", str(out)))
    assert result.exit_code == 0, result.output
    suite = ET.parse(out).getroot().find("testsuite")
    assert suite is not None and suite.get("failures") == "0"
    cases = suite.findall("testcase")
    assert {c.get("classname") for c in cases} >= {"deploy.smoke.route", "deploy.smoke.chat"}
    assert any(c.find("skipped") is not None for c in cases)  # the version test, with no --expect-version
    routes = [c for c in cases if c.get("classname") == "deploy.smoke.route"]
    assert all(float(c.get("time", "0")) > 0 for c in routes)  # each request's own time


def test_broken_route_exits_1_and_names_it(app: typer.Typer, hardened_lab: Lab) -> None:
    with broken_route(hardened_lab, "api.chatbot.test", "/health", status=500):
        result = CliRunner().invoke(app, _args(hardened_lab, "--format", "junit"))
    assert result.exit_code == 1, result.output
    root = ET.fromstring(result.stdout.split("\n", 1)[1])
    failed = [c for c in root.iter("testcase") if c.find("failure") is not None]
    assert [c.get("name", "").rsplit("/", 1)[-1] for c in failed] == ["health"]


def test_json_format_lists_the_findings(app: typer.Typer, hardened_lab: Lab) -> None:
    result = CliRunner().invoke(app, _args(hardened_lab, "--format", "json"))
    assert result.exit_code == 0, result.output
    text = json.dumps(json.loads(result.stdout))
    assert "deploy.smoke.chat" in text


@pytest.mark.parametrize(
    "extra",
    [["--nameserver", "127.0.0.1:notaport"], ["--output", "r.xyz"], ["--config", "/nonexistent.toml"],
     ["--format", "pdf"], ["--expect-version", " "]],
)  # fmt: skip
def test_bad_arguments_exit_2_without_a_traceback(
    app: typer.Typer, hardened_lab: Lab, extra: list[str]
) -> None:
    result = CliRunner().invoke(app, _args(hardened_lab) + extra)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
