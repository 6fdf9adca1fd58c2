"""Every option of every command, given hostile values: exit 2, one line, never a traceback.

The command tree is introspected (a new command or option is covered without editing this file; a new
positional argument needs a harmless value in ``VALID_ARGUMENTS``). Each call ends with one unexpected extra
argument: click runs every option's conversion and callback *before* it rejects extra arguments (or, after a
group's own options, an unknown subcommand), so a value that passes validation still stops the call there —
no audit starts, no lab, no packet leaves.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
import typer.testing
from typer.testing import CliRunner

from launchready.cli import app
from launchready.cli.exit_status import ExitStatus

runner = CliRunner()
EXTRA = "unexpected-extra-argument"

HOSTILE = [
    "",
    " ",
    "x" * 5000,
    "ünïcødé ☃ 名前",
    "-1",
    "0",
    "99999",
    "1e999",
    "nan",
    "-inf",
    "not a value!",
    "a\nb",
    "[bold red]markup[/]",
    "../../no/such/dir/file.json",
    "\x00",
]

VALID_ARGUMENTS: dict[tuple[str, str], str] = {
    ("spf", "ip"): "127.0.0.1",
    ("spf", "mailfrom"): "bob@chatbot.example",
    ("init", "path"): "{tmp}/new.toml",
    ("secrets", "path"): "{tmp}",
    ("explain", "rule_id"): "tls.cert.expired",
    ("*", "saved"): "{tmp}/saved.json",
    ("eval", "cases"): "{tmp}/saved.json",
}
"""A harmless value for each positional argument (``*``: of any command), so the extra one is really extra."""
REQUIRED_OPTIONS: dict[tuple[str, str], str] = {
    ("mark", "version"): "v1.2.3",
    ("user", "name"): "admin",
}
"""A harmless value for each required option, given unless it is the option under test."""


def _commands(group: Any, prefix: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Every command, and every sub-group (``lab``, ``monitor``) for its own options."""
    for name, command in sorted(group.commands.items()):
        path = (*prefix, name)
        yield path, command
        if hasattr(command, "commands"):
            yield from _commands(command, path)


def _cases() -> list[tuple[tuple[str, ...], str]]:
    root = typer.main.get_command(app)
    cases = []
    for path, command in _commands(root):
        for param in command.params:
            if param.name != "help":
                cases.append((path, param.name))
    return cases


CASES = _cases()
ROOT = typer.main.get_command(app)


@pytest.fixture(autouse=True)
def _build_the_tree_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """typer rebuilds the click tree on every invoke (~30 ms); ~1700 calls share one build here."""
    monkeypatch.setattr(typer.testing, "_get_command", lambda _app: ROOT)


def _params(path: tuple[str, ...]) -> list[Any]:
    command: Any = ROOT
    for name in path:
        command = command.commands[name]
    return list(command.params)


def _base_arguments(path: tuple[str, ...], tmp: Path) -> dict[str, str]:
    values = {}
    for param in _params(path):
        if param.param_type_name == "argument":
            value = VALID_ARGUMENTS.get((path[-1], param.name)) or VALID_ARGUMENTS.get(("*", param.name))
            assert value is not None, f"give `{' '.join(path)}` argument {param.name} a harmless value"
            values[param.name] = value.format(tmp=tmp)
    return values


def _required_options(path: tuple[str, ...], skip: str) -> list[str]:
    given = []
    for param in _params(path):
        if param.param_type_name == "option" and param.required and param.name != skip:
            value = REQUIRED_OPTIONS.get((path[-1], param.name))
            assert value is not None, f"give `{' '.join(path)}` option {param.opts[0]} a harmless value"
            given += [param.opts[0], value]
    return given


def _invoke(path: tuple[str, ...], name: str, value: str, tmp: Path) -> tuple[int, str]:
    arguments = _base_arguments(path, tmp)
    param = next(p for p in _params(path) if p.name == name)
    options: list[str] = _required_options(path, skip=name)
    if param.param_type_name == "argument":
        arguments[name] = value
    else:  # a flag takes no value: then the value is one more extra argument
        options += [param.opts[0], value]
    result = runner.invoke(app, [*path, *arguments.values(), *options, EXTRA], env={"NO_COLOR": "1"})
    return result.exit_code, result.output


def test_the_tree_is_walked() -> None:
    commands = {path for path, _ in CASES}
    assert {("audit",), ("explain",), ("lab", "up"), ("spf",), ("secrets",)} <= commands
    assert len(CASES) > 60


@pytest.mark.parametrize(("path", "name"), CASES, ids=[f"{' '.join(p)}:{n}" for p, n in CASES])
def test_hostile_values_exit_2_with_one_line(
    path: tuple[str, ...], name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "saved.json").write_text("{}")
    param = next(p for p in _params(path) if p.name == name)
    label = param.opts[0] if param.param_type_name == "option" else param.name
    for value in HOSTILE:
        code, output = _invoke(path, name, value, tmp_path)
        where = f"{' '.join(path)} {label}={value[:40]!r}"
        assert code == ExitStatus.USAGE, f"{where}: exit {code}\n{output}"
        assert "Traceback" not in output, f"{where}\n{output}"
        lines = [line for line in output.splitlines() if line.strip()]
        assert len(lines) == 1, f"{where}: {len(lines)} lines\n{output}"
        assert lines[0].startswith("error: "), f"{where}\n{output}"
        # rejected by the value's own check (naming it), or it passed and the extra argument stopped the call
        named = (label, str(param.metavar), "unexpected extra argument", "No such option", "No such command")
        assert any(words in lines[0] for words in named), where


STRICT = [
    (["audit", "--nameserver", "notanip"], "--nameserver", "not an IP address"),
    (["audit", "--nameserver", "127.0.0.1:notaport"], "--nameserver", "1 to 65535"),
    (["audit", "--nameserver", "127.0.0.1:99999"], "--nameserver", "1 to 65535"),
    (["audit", "--nameserver", "127.0.0.1:0"], "--nameserver", "1 to 65535"),
    (["audit", "--nameserver", "[::1"], "--nameserver", "malformed"),
    (["audit", "--nameserver", "dns.example"], "--nameserver", "not an IP address"),
    (["audit", "--deadline", "0"], "--deadline", "1 to 3600"),
    (["audit", "--deadline", "nan"], "--deadline", "1 to 3600"),
    (["audit", "--deadline", "1e999"], "--deadline", "1 to 3600"),
    (["audit", "--deadline", "soon"], "--deadline", "valid number"),
    (["audit", "--only", "tsl"], "--only", "did you mean 'tls'"),
    (["audit", "--only", "tls.cert.expird"], "--only", "did you mean 'tls.cert.expired'"),
    (["audit", "--skip", "nosuchthing"], "--skip", "no rule id, id prefix or stage"),
    (["audit", "--only", "dns-egde"], "--only", "did you mean 'dns-edge'"),
    (["audit", "--with", "perfromance"], "--with", "did you mean 'performance'"),
    (["audit", "--output", "r.xyz"], "--output", "cannot tell the report format"),
    (["audit", "--output", "report"], "--output", "cannot tell the report format"),
    (["audit", "--output", "."], "--output", "is a directory"),
    (["audit", "--ca-bundle", "missing.pem"], "--ca-bundle", "does not exist"),
    (["audit", "--config", "."], "--config", "is a directory"),
    (["email", "--baseline", "missing.json"], "--baseline", "does not exist"),
    (["load", "--rate", "0"], "--rate", "0.001 to 100000"),
    (["load", "--rate", "nan"], "--rate", "0.001 to 100000"),
    (["load", "--duration", "-3"], "--duration", "0.1 to 3600"),
    (["load", "--users", "0"], "--users", "1 to 10000"),
    (["load", "--workers", "999"], "--workers", "1 to 64"),
    (["load", "--max-requests", "0"], "--max-requests", "1 to 10000000"),
    (["db", "--dsn", "mysql://root@db/app"], "--dsn", "postgresql://"),
    (["db", "--dsn", "notadsn"], "--dsn", "malformed"),
    (["db", "--slow-ms", "0"], "--slow-ms", "1 to 3.6e+06"),
    (["secrets", "--jobs", "-1"], "--jobs", "0 to 256"),
    (["secrets", "--since", "--all"], "--since", "not a git revision"),
    (["secrets", "no-such-dir"], "path", "not an existing directory"),
    (["spf", "notanip", "bob@chatbot.example"], "ip", "not an IPv4 or IPv6 address"),
    (["spf", "127.0.0.1", "bob@" + "x" * 300], "mailfrom", "MAIL FROM"),
    (["spf", "127.0.0.1", "bob@chatbot.example", "--helo", "bad host!"], "--helo", "HELO name"),
    (["init", "new.toml", "--domain", "not a domain!"], "--domain", "not a valid domain"),
    (["init", "new.toml", "--name", "a\x01b"], "--name", "control character"),
    (["explain", "tls.cert.expird"], "RULE", "did you mean 'tls.cert.expired'"),
    (["report", "missing.json"], "saved", "does not exist"),
    (["lab", "up", "--workdir", "afile"], "--workdir", "is a file"),
    (["dns", "--deadline", "-1"], "--deadline", "1 to 3600"),
]


@pytest.mark.parametrize(("args", "option", "words"), STRICT, ids=[" ".join(a)[:60] for a, _, _ in STRICT])
def test_each_bad_value_is_named_by_its_own_option(
    args: list[str], option: str, words: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "afile").write_text("")
    result = runner.invoke(app, [*args, EXTRA], env={"NO_COLOR": "1"})
    assert result.exit_code == ExitStatus.USAGE, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert option in lines[0] and words in lines[0], lines[0]
    assert "Traceback" not in result.output
