"""``launchready score``: each sprint pinned to a sample report, the labs, the questionnaire and the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from score_samples import LOAD, automate_report, launch_report, rescue_report, scale_report
from typer.testing import CliRunner

from launchready.cli import app
from launchready.engine.runner import AuditRun
from launchready.report import ReportFormat, load_report, render
from launchready.score import parse_rules, score_answers, score_report, to_document
from launchready.score.rules import load_rules

runner = CliRunner()


def test_a_leaked_key_recommends_rescue_and_cites_it() -> None:
    result = score_report(rescue_report())
    assert result.recommended.sprint.id == "rescue"
    cited = [key for r in result.recommended.fired for key in r.cites]
    assert cited == ["secrets.source.exposed@app/settings.py:3"]
    assert not result.ready and result.risk_score >= 10


def test_a_must_do_that_does_not_break_the_product_recommends_launch() -> None:
    result = score_report(launch_report())
    assert result.recommended.sprint.id == "launch"
    blockers, weak = result.recommended.fired
    assert blockers.signal.name == "blockers_remain"
    assert blockers.cites == ("perf.ratelimit.login-missing@chatbot.test",)
    assert weak.signal.name == "core_stage_weak" and weak.cites[0].startswith("stage performance: ")


def test_basics_met_without_a_drill_recommends_automate() -> None:
    result = score_report(automate_report())
    assert result.ready
    assert result.recommended.sprint.id == "automate"
    assert [r.signal.name for r in result.recommended.fired] == ["no_drill"]
    assert result.recommended.fired[0].cites == ("deploy.rollback.drill@repo",)


def test_everything_in_place_and_a_measured_bottleneck_recommends_scale() -> None:
    result = score_report(scale_report())
    assert result.recommended.sprint.id == "scale"
    (fired,) = result.recommended.fired
    assert fired.cites == ("load:chat",)
    assert "chat: chat first-token p95 4,500 ms against a 3,000 ms target at 40.0 req/s" in fired.because


def test_a_load_run_within_every_target_names_no_bottleneck() -> None:
    calm = {**LOAD, "routes": [LOAD["routes"][0]]}  # type: ignore[index]
    result = score_report(scale_report(), load=calm)
    scale = next(r for r in result.signals if r.signal.name == "bottleneck_measured")
    assert not scale.fired and "raise the rate" in scale.because


def test_flawed_lab_needs_rescue_with_its_root_causes_and_leaks(flawed_run: AuditRun) -> None:
    report = load_report(render(flawed_run, ReportFormat.JSON))
    result = score_report(report)
    assert result.recommended.sprint.id == "rescue"
    cited = {key.split("@")[0] for r in result.recommended.fired for key in r.cites}
    assert "dns.host.unresolved" in cited and any(c.startswith("secrets.") for c in cited)
    assert result.risk_level in ("high", "severe") and not result.ready


def test_hardened_lab_needs_automation_not_rescue(hardened_run: AuditRun) -> None:
    report = load_report(render(hardened_run, ReportFormat.JSON))
    result = score_report(report)
    problems = [f"{r.finding.key}: {r.finding.evidence[:120]}" for r in report.risks]
    assert result.ready, f"the hardened lab has blockers ({result.verdict}): {problems}"
    assert result.recommended.sprint.id in ("automate", "scale")
    assert result.recommended.fired, "the recommendation must say why"
    names = {r.signal.name for r in result.recommended.fired}
    assert names <= {"no_ci_gates", "no_monitor", "no_drill", "bottleneck_measured"}
    assert result.risk_score < 20


def test_questionnaire_answers_pick_the_first_sprint_that_fires() -> None:
    result = score_answers({"product_breaking": False, "blockers_remain": True, "no_monitor": True})
    assert result.recommended.sprint.id == "launch"
    assert result.risk_score == 40 and result.source == "questionnaire"
    assert any("not answered: no_drill" in note for note in result.notes)


def test_sprint_rules_refuse_an_unknown_signal() -> None:
    text = (Path(__file__).parents[2] / "src/launchready/score/data/sprints.toml").read_text()
    broken = text.replace('when_any = ["no_ci_gates",', 'when_any = ["no_such_signal",')
    with pytest.raises(ValueError, match="no_such_signal"):
        parse_rules(broken)
    assert load_rules().sprint[0].id == "rescue"


def test_cli_json_names_the_recommended_sprint(tmp_path: Path) -> None:
    saved = tmp_path / "run.json"
    saved.write_text(render(rescue_report().run, ReportFormat.JSON))
    out = tmp_path / "score.json"
    result = runner.invoke(app, ["score", str(saved), "--output", str(out)], env={"NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    document = json.loads(out.read_text())
    assert document["recommended"]["sprint"] == "rescue"
    assert document == json.loads(json.dumps(to_document(score_report(rescue_report()))))


def test_cli_reads_a_load_file_and_answers(tmp_path: Path) -> None:
    saved = tmp_path / "run.json"
    saved.write_text(render(scale_report().run.model_copy(update={"artifacts": {}}), ReportFormat.JSON))
    load = tmp_path / "load.json"
    load.write_text(json.dumps(LOAD))
    result = runner.invoke(app, ["score", str(saved), "--load", str(load), "-f", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["recommended"]["sprint"] == "scale"
    asked = runner.invoke(app, ["score", "--answer", "no_drill=yes", "-f", "markdown"])
    assert asked.exit_code == 0 and "## Recommended: Automate sprint" in asked.output


def test_cli_usage_errors_exit_2(tmp_path: Path) -> None:
    assert runner.invoke(app, ["score"]).exit_code == 2
    assert runner.invoke(app, ["score", "--answer", "bogus=yes"]).exit_code == 2
    junk = tmp_path / "junk.json"
    junk.write_text("{}")
    result = runner.invoke(app, ["score", str(junk)], env={"NO_COLOR": "1"})
    assert result.exit_code == 2 and "not a launchready JSON report" in result.output


def test_cli_interactive_asks_each_question_and_names_the_sprint() -> None:
    questions = list(load_rules().signal)
    answers = {"no_monitor": "y"}  # everything else "no"
    typed = "".join(f"{answers.get(name, 'n')}\n" for name in questions)
    result = runner.invoke(app, ["score", "--interactive", "-f", "json"], input=typed)
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout[result.stdout.index("{") :])
    assert document["source"] == "questionnaire"
    assert document["recommended"]["sprint"] == "automate"
    assert document["recommended"]["because"][0]["cites"] == ["answer:no_monitor=yes"]
    assert document["notes"] == []  # every question was answered


def test_cli_takes_the_shared_options(tmp_path: Path) -> None:
    saved = tmp_path / "run.json"
    saved.write_text(render(automate_report().run, ReportFormat.JSON))
    config = tmp_path / "launchready.toml"
    config.write_text('[product]\nname = "Bot"\ndomain = "chatbot.test"\n[targets]\np95_ms = 500\n')
    bundle = tmp_path / "ca.pem"
    bundle.write_text("-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n")
    out = tmp_path / "score.md"
    args = ["score", str(saved), "--config", str(config), "--nameserver", "127.0.0.1:5353",
            "--ca-bundle", str(bundle), "--format", "markdown", "--output", str(out)]  # fmt: skip
    result = runner.invoke(app, args, env={"NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    assert "## Recommended: Automate sprint" in out.read_text()
    sarif = runner.invoke(app, ["score", str(saved), "--format", "sarif"], env={"NO_COLOR": "1"})
    assert sarif.exit_code == 2 and "not sarif" in sarif.output
    page = runner.invoke(app, ["score", str(saved), "--format", "html"])
    assert page.exit_code == 0 and "<h2>Recommended: Automate sprint</h2>" in page.stdout
