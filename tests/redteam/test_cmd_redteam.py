"""``launchready redteam`` in-process on the lab twins, with the shared options, and ``--with redteam``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from launchready.cli import cmd_redteam
from launchready.lab import Lab
from launchready.lab.backend import FakeLlmSettings, create_app
from launchready.lab.backend.chat_config import REDTEAM_HOOKS
from launchready.lab.backend.serve import BackendServer
from launchready.lab.variant import LabVariant

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


def _plain_config(tmp_path: Path, server: BackendServer, stream: bool) -> Path:
    """The lab's OpenAI-compatible route over plain HTTP: no template, no paths, just kind = "openai"."""
    config = tmp_path / f"openai-{server.port}.toml"
    config.write_text(
        f'[product]\nname = "Lab"\ndomain = "chatbot.test"\n\n[network]\nscheme = "http"\nhttp_port = {server.port}\n\n'
        f'[[routes]]\nname = "chat"\nrole = "chat"\nmethod = "POST"\nhost = "{server.host}"\npath = "/v1/chat/completions"\n\n'
        f'[chat]\nmodel = "lab-chat-1"\n\n[chat.answer]\nkind = "openai"\nstream = {str(stream).lower()}\n\n'
        f"[redteam]\n" + "".join(f"{k} = {json.dumps(v)}\n" for k, v in REDTEAM_HOOKS.items())
    )
    return config


@pytest.mark.parametrize("stream", [True, False])
def test_redteam_runs_unchanged_against_an_openai_compatible_endpoint(
    app: typer.Typer, tmp_path: Path, stream: bool
) -> None:
    quick = FakeLlmSettings(first_token_s=0.02, inter_token_s=0.005, tokens=8)
    with (
        BackendServer(create_app(LabVariant.FLAWED, quick)) as flawed,
        BackendServer(create_app(LabVariant.HARDENED, quick)) as hardened,
    ):
        for server, expected, code in ((flawed, "fail", 1), (hardened, "pass", 0)):
            out = tmp_path / f"{expected}.json"
            args = ["redteam", "--config", str(_plain_config(tmp_path, server, stream)), "--format", "json",
                    "--output", str(out), "--fail-on", "medium"]  # fmt: skip
            result = CliRunner().invoke(app, args)
            statuses = {f["rule_id"]: f["status"] for f in json.loads(out.read_text())["findings"]}
            assert {rule: statuses[rule] for rule in PROBES} == dict.fromkeys(PROBES, expected), statuses
            assert result.exit_code == code


def test_audit_with_redteam_adds_the_pass_and_without_it_nothing_chats(
    flawed_lab: Lab, tmp_path: Path
) -> None:
    from launchready.cli import cmd_audit

    audit = typer.Typer()

    @audit.callback()
    def _root() -> None:
        """test root"""

    cmd_audit.register(audit)
    base = ["audit", "--config", str(flawed_lab.config_path), "--nameserver", flawed_lab.nameserver,
            "--ca-bundle", flawed_lab.ca_bundle, "--only", "redteam", "--format", "json"]  # fmt: skip
    out = tmp_path / "with.json"
    CliRunner().invoke(audit, [*base, "--with", "redteam", "--output", str(out)])
    statuses = {f["rule_id"]: f["status"] for f in json.loads(out.read_text())["findings"]}
    assert {rule: statuses[rule] for rule in PROBES} == dict.fromkeys(PROBES, "fail")
    without = tmp_path / "without.json"
    CliRunner().invoke(audit, [*base, "--output", str(without)])
    assert not [f for f in json.loads(without.read_text())["findings"] if f["rule_id"].startswith("redteam.")]
