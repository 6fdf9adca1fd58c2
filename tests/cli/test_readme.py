"""The README's command table, exit codes and config reference say what the code does."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import typer

from launchready.cli import app, cmd_audit, cmd_demo, cmd_spf
from launchready.cli.exit_status import ExitStatus
from launchready.config.reference import iter_keys

README = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")


def _section(title: str) -> str:
    start = README.index(f"\n## {title}\n")
    following = README.find("\n## ", start + 1)
    return README[start : following if following > 0 else None]


def _command_names() -> list[str]:
    root = typer.main.get_command(app)
    names = []
    for name, command in root.commands.items():  # type: ignore[attr-defined]
        subcommands = getattr(command, "commands", None)
        if not subcommands or getattr(command, "invoke_without_command", False):
            names.append(name)  # a command, or a group that runs on its own (`monitor`)
        names += [f"{name} {sub}" for sub in subcommands or ()]
    return names


def test_the_commands_table_lists_every_command() -> None:
    table = _section("Commands")
    missing = [name for name in _command_names() if f"`launchready {name}" not in table]
    assert missing == []


def test_the_exit_codes_table_matches_the_enum() -> None:
    rows = re.findall(r"^\| (\d+) \|", _section("Commands"), flags=re.MULTILINE)
    assert [int(code) for code in rows] == [int(status) for status in ExitStatus]


def test_the_config_reference_lists_every_key() -> None:
    reference = _section("Config reference")
    missing = [
        f"{k.table} {k.key}"
        for k in iter_keys()
        if f"`{k.table.replace('{domain}', 'chatbot.example')} {k.key}`" not in reference
    ]
    assert missing == [], "regenerate with `python -m launchready.config.reference`"


def test_stated_defaults_match_the_code() -> None:
    commands = _section("Commands")

    def default_of(function: object, name: str) -> object:
        return inspect.signature(function).parameters[name].default  # type: ignore[arg-type]

    assert f"default {default_of(cmd_audit.audit, 'deadline'):g} s" in commands
    assert f"{default_of(cmd_demo.demo, 'deadline'):g} s for `demo`" in commands
    assert f"{default_of(cmd_spf.spf, 'deadline'):g} s for `spf`" in commands


def test_the_demo_command_installs_the_lab_extra() -> None:
    assert ".venv/bin/pip install -e '.[lab]' && .venv/bin/launchready demo" in _section("Two commands")
