"""``launchready cost`` reads what a red-team run recorded: token usage per call and the long-input probe's
measured tokens (the worst case), on a hand-built report and on a real run against the flawed lab."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from launchready.cli import app
from launchready.cost import probe_from_run, read_usage
from launchready.engine.runner import AuditRun
from launchready.lab import Lab
from launchready.report import ReportFormat, load_report_json, render
from launchready.rules import rule

runner = CliRunner()
STARTED = datetime(2026, 11, 30, tzinfo=UTC)


def _redteam_report(tmp_path: Path) -> Path:
    attempts = [
        {"status": 200, "chars": 10_000, "usage": {"prompt": 2_600, "completion": 40}, "reason": "bounded"},
        {"status": 200, "chars": 100_000, "usage": {"prompt": 25_400, "completion": 35}, "reason": "bounded"},
        {"status": 413, "chars": 200_000, "usage": None, "reason": "a clean refusal (HTTP 413)"},
    ]
    finding = rule("redteam.input.long").passed(
        "https://api.chatbot.test/v1/chat", "every size bounded", details={"attempts": attempts},
        exercised={"chats": 3},
    )  # fmt: skip
    run = AuditRun(product="Bot", domain="chatbot.test", started_at=STARTED, finished_at=STARTED,
                   deadline_s=60, findings=(finding,), attempts=())  # fmt: skip
    path = tmp_path / "redteam.json"
    path.write_text(render(run, ReportFormat.JSON))
    return path


def test_a_red_team_run_gives_tokens_per_call_and_a_measured_worst_case(tmp_path: Path) -> None:
    saved = _redteam_report(tmp_path)
    usage = read_usage(saved)
    assert (usage.calls, usage.input_tokens, usage.output_tokens) == (2, 28_000, 75)
    seen = probe_from_run(load_report_json(saved.read_text()))
    assert seen is not None and (seen.chars, seen.prompt_tokens, seen.completion_tokens) == (
        100_000,
        25_400,
        35,
    )
    args = [
        "cost",
        "--users",
        "100",
        "--messages",
        "2",
        "--usage",
        str(saved),
        "--report",
        str(saved),
        "-f",
        "json",
    ]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    # 28,000 / 2 = 14,000 tokens in, 75 / 2 = 37.5 out per call, from the recorded usage
    assert (doc["traffic"]["input_tokens"], doc["traffic"]["output_tokens"]) == (14_000, 37.5)
    # worst case, measured: 25,400 x $0.15/M + 35 x $0.60/M = $0.00381 + $0.000021
    assert doc["worst_case"]["cost_per_call"] == pytest.approx(0.003831)
    assert doc["worst_case"]["tokens_from"] == "measured"


def test_cost_reads_a_real_red_team_run_on_the_flawed_lab(flawed_lab: Lab, tmp_path: Path) -> None:
    saved = tmp_path / "redteam.json"
    args = ["redteam", "--config", str(flawed_lab.config_path), "--nameserver", flawed_lab.nameserver,
            "--ca-bundle", flawed_lab.ca_bundle, "--format", "json", "--output", str(saved), "--fail-on", "never"]  # fmt: skip
    ran = runner.invoke(app, args)
    assert ran.exit_code == 0, ran.output
    usage = read_usage(saved)
    seen = probe_from_run(load_report_json(saved.read_text()))
    assert seen is not None and seen.chars >= 100_000  # the probe's largest message is on record
    cost = runner.invoke(
        app, ["cost", "--users", "10", "--messages", "3", "--input-tokens", "500", "--output-tokens", "200",
              "--report", str(saved), "-f", "json"],
    )  # fmt: skip
    assert cost.exit_code == 0, cost.output
    worst = json.loads(cost.stdout)["worst_case"]
    assert worst["chars"] == seen.chars
    # The flawed lab answers 100,000 chars with a bare 500: the worst case says it may have been billed.
    assert seen.status.startswith(("answered", "server error"))
    if seen.prompt_tokens is not None:  # the product reported usage: the worst case is measured
        assert worst["tokens_from"] == "measured" and worst["input_tokens"] == seen.prompt_tokens
        assert usage.calls > 0
    else:
        assert worst["tokens_from"].startswith("estimated")
