"""``launchready eval`` in-process against the lab backend over plain HTTP: a prompt change shows up as
new failures and TTFT shifts against ``--baseline``; JUnit and exit codes for CI; the OpenAI kind works
unchanged; an empty answer is never a pass."""

from __future__ import annotations

import json
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from launchready.cli import cmd_eval
from launchready.lab.backend import FakeLlmSettings, create_app
from launchready.lab.backend.serve import BackendServer
from launchready.lab.variant import LabVariant

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "redteam"))
import fake_products

CASES = Path(__file__).parent / "data" / "lab_cases.yaml"
PROMPT_V1 = FakeLlmSettings(first_token_s=0.02, inter_token_s=0.005, tokens=8)
PROMPT_V2 = FakeLlmSettings(first_token_s=0.5, inter_token_s=0.005, tokens=8, prompt_version=2)
"""The prompt change: vaguer about prices, chatty around JSON, and a longer prompt that is slower to start."""
CHANGED = ["quotes the Pro plan price", "answers in JSON when asked", "follow-up in a conversation"]


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def _root() -> None:
        """test root"""

    cmd_eval.register(app)
    return app


@pytest.fixture
def serve() -> Iterator[Any]:
    started: list[BackendServer] = []

    def start(asgi: Any) -> BackendServer:
        server = BackendServer(asgi).start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


def _config(tmp_path: Path, server: BackendServer, kind: str = "sse", stream: bool = True) -> Path:
    path = "/v1/chat/completions" if kind == "openai" else "/v1/chat"
    answer = (
        f'kind = "openai"\nstream = {str(stream).lower()}'
        if kind == "openai"
        else f'kind = "{kind}"\npath = "delta"'
    )
    config = tmp_path / f"launchready-{server.port}.toml"
    config.write_text(
        f'[product]\nname = "Lab"\ndomain = "chatbot.test"\n\n[network]\nscheme = "http"\nhttp_port = {server.port}\n\n'
        f'[[routes]]\nname = "chat"\nrole = "chat"\nmethod = "POST"\nhost = "{server.host}"\npath = "{path}"\n\n'
        f'[chat]\nmodel = "lab-chat-1"\n\n[chat.answer]\n{answer}\n'
    )
    return config


def _eval(app: typer.Typer, config: Path, *extra: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["eval", str(CASES), "--config", str(config), *extra])
    return result.exit_code, result.stdout


@pytest.mark.parametrize(("kind", "stream"), [("sse", True), ("openai", True), ("openai", False)])
def test_a_prompt_change_shows_as_new_failures_against_the_baseline(
    app: typer.Typer, serve: Any, tmp_path: Path, kind: str, stream: bool
) -> None:
    before = serve(create_app(LabVariant.HARDENED, PROMPT_V1))
    previous = tmp_path / "prev.json"
    code, _ = _eval(
        app, _config(tmp_path, before, kind, stream), "--format", "json", "--output", str(previous)
    )
    first = json.loads(previous.read_text())
    assert code == 0, first
    assert {c["status"] for c in first["cases"]} == {"pass"} and len(first["cases"]) == 4

    after = serve(create_app(LabVariant.HARDENED, PROMPT_V2))
    config = _config(tmp_path, after, kind, stream)
    now = tmp_path / "now.json"
    code, _ = _eval(app, config, "--baseline", str(previous), "--format", "json", "--output", str(now))
    second = json.loads(now.read_text())
    assert code == 1
    assert second["baseline"]["new_failures"] == CHANGED
    assert second["baseline"]["fixed"] == []
    shifted = {(s["id"], s["metric"]) for s in second["baseline"]["shifts"]}
    assert ("refuses to reveal its prompt", "ttft") in shifted

    code, text = _eval(app, config, "--baseline", str(previous))
    assert code == 1
    assert all(f"NEW FAILURE  {case}" in text for case in CHANGED)
    assert "ttft shift refuses to reveal its prompt" in text


def test_junit_html_and_fail_on_never(app: typer.Typer, serve: Any, tmp_path: Path) -> None:
    server = serve(create_app(LabVariant.HARDENED, PROMPT_V2))
    config = _config(tmp_path, server)
    junit = tmp_path / "eval.xml"
    code, _ = _eval(app, config, "--output", str(junit))
    suite = ET.parse(junit).getroot().find("testsuite")
    assert code == 1 and suite is not None
    assert suite.get("tests") == "4" and suite.get("failures") == "3"
    failed = [case.get("name") for case in suite.iter("testcase") if case.find("failure") is not None]
    assert failed == CHANGED
    page = tmp_path / "eval.html"
    code, _ = _eval(app, config, "--output", str(page), "--fail-on", "never")
    assert code == 0 and "quotes the Pro plan price" in page.read_text() and "<table>" in page.read_text()


def test_an_empty_answer_is_never_a_pass(app: typer.Typer, serve: Any, tmp_path: Path) -> None:
    """``not-contains`` alone would pass on nothing: a case with no answer is an error."""
    server = serve(fake_products.empty_200_always())
    cases = tmp_path / "cases.yaml"
    cases.write_text(
        "tests:\n  - input: hello\n    assert:\n      - type: not-contains\n        value: error\n"
    )
    out = tmp_path / "r.json"
    result = CliRunner().invoke(app, ["eval", str(cases), "--config", str(_config(tmp_path, server)),
                                      "--format", "json", "--output", str(out)])  # fmt: skip
    assert result.exit_code == 1
    case = json.loads(out.read_text())["cases"][0]
    assert case["status"] == "error" and "no answer" in case["error"]


def test_usage_errors_exit_2(app: typer.Typer, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("tests:\n  - input: hi\n    assert:\n      - type: llm-rubric\n")
    config = tmp_path / "launchready.toml"
    config.write_text('[product]\nname = "X"\ndomain = "x.test"\n')
    assert CliRunner().invoke(app, ["eval", str(bad), "--config", str(config)]).exit_code == 2
    assert (
        CliRunner().invoke(app, ["eval", str(CASES), "--config", str(config)]).exit_code == 2
    )  # no chat route
    assert (
        CliRunner()
        .invoke(app, ["eval", str(CASES), "--config", str(config), "--baseline", str(bad)])
        .exit_code
        == 2
    )
