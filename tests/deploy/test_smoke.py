"""``launchready smoke`` against the running hardened lab: green as deployed, red with the right finding when
a route breaks, one retry for transient failures only, conditions from ``[[deploy.smoke]]``."""

from __future__ import annotations

import asyncio
from pathlib import Path

from launchready.config import LaunchConfig
from launchready.config.model import DeployConfig, ProductConfig, SmokeCheckConfig
from launchready.deploy.smoke import SmokeSettings, run_smoke
from launchready.engine import AuditRun
from launchready.findings import Finding, Status
from launchready.lab import Lab
from launchready.lab.deploy_app import DeployableApp
from launchready.lab.route_fault import broken_route

API = "api.chatbot.test"


def _smoke(lab: Lab, config: LaunchConfig | None = None, **kw: object) -> AuditRun:
    settings = SmokeSettings(nameserver=lab.nameserver, ca_bundle=lab.ca_bundle, backoff_s=0.05, **kw)  # type: ignore[arg-type]
    return asyncio.run(run_smoke(config or lab.config, settings))


def _with_smoke(lab: Lab, *checks: SmokeCheckConfig) -> LaunchConfig:
    return lab.config.model_copy(update={"deploy": DeployConfig(smoke=checks)})


def _route(run: AuditRun, path: str) -> Finding:
    return next(f for f in run.findings if f.rule_id == "deploy.smoke.route" and f.target.endswith(path))


def test_the_hardened_lab_passes_every_smoke_test(hardened_lab: Lab) -> None:
    run = _smoke(hardened_lab)
    by_target = {(f.rule_id, f.target): f for f in run.findings}
    routes = [f for f in run.findings if f.rule_id == "deploy.smoke.route"]
    assert {f.target.rsplit("/", 1)[-1] for f in routes} == {"", "health", "models"}
    assert all(f.status is Status.PASS and f.exercised["requests"] == 1 for f in routes), routes
    chat = next(f for f in run.findings if f.rule_id == "deploy.smoke.chat")
    assert chat.status is Status.PASS and chat.exercised == {"chats_streamed": 1}, chat.evidence
    assert "first token in" in chat.evidence
    version = next(f for f in run.findings if f.rule_id == "deploy.smoke.version")
    assert version.status is Status.NOT_ASSESSED  # no --expect-version: not checked, and not a pass
    assert len(by_target) == len(run.findings)


def test_a_broken_route_fails_with_its_own_finding(hardened_lab: Lab) -> None:
    with broken_route(hardened_lab, API, "/health", status=500):
        run = _smoke(hardened_lab)
    health = _route(run, "/health")
    assert health.status is Status.FAIL
    assert "status 500, expected 2xx" in health.evidence
    assert health.details["attempts"] == 1  # a 500 is the release's answer: not retried
    assert _route(run, "/v1/models").status is Status.PASS
    assert _route(_smoke(hardened_lab), "/health").status is Status.PASS  # restored


def test_a_transient_503_is_retried_once_then_fails(hardened_lab: Lab) -> None:
    with broken_route(hardened_lab, API, "/v1/models", status=503):
        run = _smoke(hardened_lab)
    models = _route(run, "/v1/models")
    assert models.status is Status.FAIL
    assert models.details["attempts"] == 2 and "after one retry" in models.evidence


def test_broken_chat_fails_the_chat_smoke_test(hardened_lab: Lab) -> None:
    with broken_route(hardened_lab, API, "/v1/chat", status=500, body=b'{"error": "no key"}'):
        run = _smoke(hardened_lab)
    chat = next(f for f in run.findings if f.rule_id == "deploy.smoke.chat")
    assert chat.status is Status.FAIL and "status 500" in chat.evidence


def test_conditions_keyword_json_and_latency(hardened_lab: Lab) -> None:
    good = _with_smoke(
        hardened_lab,
        SmokeCheckConfig(route="health", json_path="status", json_equals="ok", keyword="ok", latency_ms=5000),
    )
    assert _route(_smoke(hardened_lab, good), "/health").status is Status.PASS
    bad = _with_smoke(
        hardened_lab,
        SmokeCheckConfig(route="health", json_path="status", json_equals="down", keyword="healthy-ish"),
        SmokeCheckConfig(route="models", latency_ms=0.001),
    )
    run = _smoke(hardened_lab, bad)
    health = _route(run, "/health")
    assert health.status is Status.FAIL
    assert "'ok', expected 'down'" in health.evidence and "keyword 'healthy-ish'" in health.evidence
    assert "over the 0 ms target" in _route(run, "/v1/models").evidence
    assert len([f for f in run.findings if f.rule_id == "deploy.smoke.route"]) == 2


def test_expect_version_without_a_version_endpoint_is_not_a_pass(hardened_lab: Lab) -> None:
    run = _smoke(hardened_lab, expect_version="1.2.3")
    version = next(f for f in run.findings if f.rule_id == "deploy.smoke.version")
    assert version.status is Status.NOT_ASSESSED and "version_url" in (version.reason or "")


def test_expect_version_against_a_running_version_endpoint(tmp_path: Path) -> None:
    with DeployableApp(tmp_path / "app") as app:
        config = LaunchConfig(
            product=ProductConfig(name="app", domain="deploy.test"),
            deploy=DeployConfig(version_url=app.url("/version")),
        )
        for expected, status in (("1.0.0", Status.PASS), ("2.0.0", Status.FAIL)):
            settings = SmokeSettings(expect_version=expected, backoff_s=0.05)
            run = asyncio.run(run_smoke(config, settings))
            version = next(f for f in run.findings if f.rule_id == "deploy.smoke.version")
            assert version.status is status, version.evidence
        assert "expected 2.0.0, saw version 1.0.0" in version.evidence
        chat = next(f for f in run.findings if f.rule_id == "deploy.smoke.chat")
        assert chat.status is Status.NOT_ASSESSED  # no chat route: said, not passed


def test_tests_cut_by_the_deadline_are_unverifiable_not_passed(hardened_lab: Lab) -> None:
    run = _smoke(hardened_lab, deadline_s=0.001)
    cut = [f for f in run.findings if f.status is Status.UNVERIFIABLE]
    assert cut and all("not finished within" in (f.reason or "") for f in cut)
    assert not any(f.status is Status.PASS for f in run.findings)
