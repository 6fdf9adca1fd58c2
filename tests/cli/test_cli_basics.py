"""The CLI in-process: help, version, init, checks, and bad input ending in exit 2 with a clear message."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from launchready import __version__
from launchready.cli import app
from launchready.cli.exit_status import ExitStatus
from launchready.config import load_config

runner = CliRunner()


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"launchready {__version__}"


@pytest.mark.parametrize("command", ["audit", "demo", "checks", "report", "init", "lab"])
def test_every_command_has_help(command: str) -> None:
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage" in result.output


def test_init_with_flags_writes_a_valid_config(tmp_path: Path) -> None:
    target = tmp_path / "launchready.toml"
    result = runner.invoke(
        app, ["init", str(target), "--name", "Acme", "--domain", "acme.example", "--canonical", "www"]
    )
    assert result.exit_code == 0, result.output
    config = load_config(target)
    assert config.product.name == "Acme" and config.canonical_host == "www.acme.example"
    again = runner.invoke(app, ["init", str(target), "--domain", "acme.example"])
    assert again.exit_code == ExitStatus.USAGE
    assert "already exists" in again.output


def test_init_without_a_terminal_needs_the_domain(tmp_path: Path) -> None:
    result = runner.invoke(app, ["init", str(tmp_path / "x.toml")])
    assert result.exit_code == ExitStatus.USAGE
    assert "--domain is required" in result.output


def test_audit_with_a_bad_config_names_file_line_and_key(tmp_path: Path) -> None:
    bad = tmp_path / "launchready.toml"
    bad.write_text('[product]\nname = "Bot"\ndomain = "bot.example"\ncanonical = "sideways"\n')
    result = runner.invoke(app, ["audit", "--config", str(bad)])
    assert result.exit_code == ExitStatus.USAGE
    assert f"{bad}:4:" in result.output
    assert "product.canonical" in result.output
    assert "Traceback" not in result.output


def test_audit_with_a_missing_config_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["audit", "--config", str(tmp_path / "missing.toml")])
    assert result.exit_code == ExitStatus.USAGE
    assert "not found" in result.output


def test_checks_lists_every_rule_with_stage_and_severity() -> None:
    result = runner.invoke(app, ["checks", "--json"])
    assert result.exit_code == 0
    rules = json.loads(result.stdout)
    ids = [r["rule_id"] for r in rules]
    assert len(ids) == len(set(ids))
    for expected in (
        "dns.host.unresolved",
        "http.https-redirect.missing",
        "tls.cert.expired",
        "headers.hsts.missing",
    ):
        assert expected in ids
    assert all(r["stage"] and r["severity"] and r["description"] for r in rules)


def test_checks_never_splits_a_rule_id_at_80_columns() -> None:
    from rich.console import Console

    from launchready.cli.cmd_checks import rule_tables
    from launchready.rules import all_rules

    rules = all_rules()
    console = Console(width=80, record=True, file=io.StringIO())
    console.print(*rule_tables(rules))
    text = console.export_text()
    assert max(len(line) for line in text.splitlines()) <= 80
    first_words = {line.split()[0] for line in text.splitlines() if line.strip()}
    assert {rule.rule_id for rule in rules} <= first_words
