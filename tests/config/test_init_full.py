"""``launchready init --full`` writes every key of the model, commented, and the file still loads."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from launchready.cli import app
from launchready.config import load_config
from launchready.config.reference import iter_keys

runner = CliRunner()


def test_init_full_writes_every_key_commented(tmp_path: Path) -> None:
    target = tmp_path / "launchready.toml"
    result = runner.invoke(app, ["init", str(target), "--domain", "acme.example", "--full"])
    assert result.exit_code == 0, result.output
    text = target.read_text()
    config = load_config(target)
    assert config.apex == "acme.example"
    commented = [line for line in text.splitlines() if line.startswith("# ")]
    for key in iter_keys():
        table = key.table.replace("{domain}", "acme.example")
        assert f"# {table}" in commented, table
        assert any(line.startswith(f"# {key.key} = ") for line in commented), f"{table} {key.key}"


def test_every_key_is_listed_with_its_default() -> None:
    keys = {(k.table, k.key): k for k in iter_keys()}
    assert keys[("[targets]", "p95_ms")].default == "800.0"
    assert keys[("[product]", "domain")].required
    assert keys[("[[routes]]", "method")].default == '"GET"'
    assert ("[environments]", "NAME") in keys
    assert len(keys) > 80


def test_every_key_says_what_it_is_for() -> None:
    undocumented = [f"{k.table} {k.key}" for k in iter_keys() if not k.description]
    assert undocumented == [], "add a Field(description=...) or a line in config/reference.py _MEANING"
