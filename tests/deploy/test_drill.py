"""``launchready drill`` deploys and rolls back the lab's deployable app for real: phases timed, a broken or
slow rollback fails at its own deadline, a broken release never counts as deployed, output is redacted."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from launchready.config import LaunchConfig
from launchready.config.model import DeployConfig, ProductConfig, RepoConfig
from launchready.deploy.drill import DrillConfigError, drill_finding, drill_plan, run_drill
from launchready.deploy.history import DrillRecord
from launchready.deploy.smoke import SmokeSettings, smoke_hook
from launchready.findings import Status
from launchready.lab import Lab
from launchready.lab.deploy_app import DeployableApp
from launchready.lab.route_fault import broken_route
from launchready.secrets.rules import fake_value


@pytest.fixture
def app(tmp_path: Path) -> Iterator[DeployableApp]:
    with DeployableApp(tmp_path / "app") as running:
        yield running


def _config(app: DeployableApp, **deploy: object) -> LaunchConfig:
    settings: dict[str, object] = {
        "command": app.command("deploy", "--to", "2.0.0"), "rollback_command": app.command("rollback"),
        "version_url": app.url("/version"), "health_url": app.url("/health"),
        "deploy_timeout_s": 20.0, "rollback_timeout_s": 20.0, "settle_timeout_s": 10.0, **deploy,
    }  # fmt: skip
    return LaunchConfig(
        product=ProductConfig(name="app", domain="deploy.test"),
        repo=RepoConfig(path=app.root),
        deploy=DeployConfig.model_validate(settings),
    )


def _drill(config: LaunchConfig) -> DrillRecord:
    return asyncio.run(run_drill(drill_plan(config)))


def test_a_real_deploy_and_rollback_with_phase_timings(app: DeployableApp) -> None:
    record = _drill(_config(app))
    assert record.ok, record.failure
    assert [p.name for p in record.phases] == ["baseline", "deploy", "wait-new", "rollback", "wait-previous"]
    assert (record.previous_version, record.new_version) == ("1.0.0", "2.0.0")
    assert app.version == "1.0.0"
    assert (app.root / "db" / "schema_version").read_text().strip() == "2"  # the release's migration ran
    assert record.rollback_s is not None and 0 < record.rollback_s <= record.total_s
    deploy = record.phases[1]
    assert deploy.ok and "deployed 2.0.0 (was 1.0.0)" in deploy.output
    finding = drill_finding(drill_plan(_config(app)), record)
    assert finding.status is Status.PASS and "rollback in" in finding.evidence
    assert finding.exercised == {"phases_run": 5, "commands_run": 2}


def test_a_broken_rollback_command_fails_the_drill(app: DeployableApp) -> None:
    record = _drill(_config(app, rollback_command=app.command("rollback", "--to", "0.9.0")))
    assert not record.ok and record.failure == "rollback: exit status 1"
    assert "no release 0.9.0" in record.phases[-1].output
    assert app.version == "2.0.0"  # still on the new version: exactly what the drill exists to find
    finding = drill_finding(drill_plan(_config(app)), record)
    assert finding.status is Status.FAIL
    assert "failed at rollback: exit status 1" in finding.fix.summary
    assert any("no release 0.9.0" in step for step in finding.fix.steps)  # the command's own last words


def test_a_rollback_that_exits_0_but_switches_nothing_fails_waiting(app: DeployableApp) -> None:
    record = _drill(_config(app, rollback_command="true", settle_timeout_s=1.5))
    assert not record.ok
    assert record.phases[-1].name == "wait-previous"
    assert "version 1.0.0 not seen within" in (record.failure or "")
    assert "last: version 2.0.0" in (record.failure or "")


def test_a_slow_rollback_is_killed_at_its_own_deadline(app: DeployableApp) -> None:
    slow = app.command("rollback", "--delay", "30")
    begun = time.monotonic()
    record = _drill(_config(app, rollback_command=slow, rollback_timeout_s=1.0))
    assert time.monotonic() - begun < 15
    rollback = record.phases[-1]
    assert rollback.name == "rollback" and not rollback.ok and "killed at its" in rollback.detail
    assert rollback.duration_s < 5
    assert app.version == "2.0.0"


def test_the_whole_drill_is_bounded_by_its_deadline(app: DeployableApp) -> None:
    record = _drill(_config(app, command=app.command("deploy", "--delay", "30"), drill_deadline_s=2.0))
    assert not record.ok and record.total_s < 8
    deploy = record.phases[1]
    assert deploy.name == "deploy" and not deploy.ok and deploy.deadline_s <= 2.0
    assert (record.failure or "").startswith("deploy: killed at its")
    assert [p.name for p in record.phases][2:3] == ["rollback"]  # a restore is always attempted


def test_a_broken_new_release_never_counts_as_deployed(tmp_path: Path) -> None:
    with DeployableApp(tmp_path / "app", broken=("2.0.0",)) as broken:
        record = _drill(_config(broken, settle_timeout_s=1.5))
    assert not record.ok and "wait-new: " in (record.failure or "")
    assert "health answered 503" in (record.failure or "")
    assert [p.name for p in record.phases][-2:] == ["rollback", "wait-previous"]
    assert record.phases[-1].ok and record.phases[-1].detail == "1.0.0"  # the drill put the old version back


def test_command_output_is_redacted(app: DeployableApp) -> None:
    key = fake_value("secrets.openai.project-key", seed="drill-output")
    noisy = f"echo using OPENAI_API_KEY={key}; {app.command('deploy')}"
    record = _drill(_config(app, command=noisy))
    assert record.ok, record.failure
    output = record.phases[1].output
    assert key not in record.model_dump_json()
    assert "[REDACTED" in output


def test_a_config_without_commands_cannot_be_drilled(tmp_path: Path) -> None:
    config = LaunchConfig(product=ProductConfig(name="x", domain="x.test"), repo=RepoConfig(path=tmp_path))
    with pytest.raises(DrillConfigError, match="command, rollback_command, version_url"):
        drill_plan(config)


def _lab_drill(lab: Lab, app: DeployableApp) -> DrillRecord:
    config = lab.config.model_copy(update={"deploy": _config(app).deploy})
    hook = smoke_hook(
        config, SmokeSettings(nameserver=lab.nameserver, ca_bundle=lab.ca_bundle, backoff_s=0.05)
    )
    return asyncio.run(run_drill(drill_plan(config), smoke=hook))


def test_smoke_tests_run_between_the_flip_and_the_rollback(hardened_lab: Lab, app: DeployableApp) -> None:
    record = _lab_drill(hardened_lab, app)
    assert record.ok, record.failure
    assert [p.name for p in record.phases][2:4] == ["wait-new", "smoke"]
    assert "smoke tests passed" in record.phases[3].detail


def test_a_failing_smoke_test_fails_the_drill_and_the_rollback_still_runs(
    hardened_lab: Lab, app: DeployableApp
) -> None:
    with broken_route(hardened_lab, "api.chatbot.test", "/health", status=500):
        record = _lab_drill(hardened_lab, app)
    assert not record.ok and (record.failure or "").startswith("smoke: ")
    assert "/health" in (record.failure or "") and "status 500" in (record.failure or "")
    assert app.version == "1.0.0" and record.phases[-1].name == "wait-previous" and record.phases[-1].ok
