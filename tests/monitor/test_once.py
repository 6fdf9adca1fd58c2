"""``launchready monitor --once`` against the running lab: each kind of check up on the hardened lab, and
each fault the monitor exists for seen with the honest state — a broken route and an unreachable host down,
the chat degraded when the model slows and down when it stalls, DMARC reject → none as email-auth drift."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import typer
from monitor_faults import dmarc_policy, slow_llm
from typer.testing import CliRunner

from launchready.cli import cmd_monitor
from launchready.config import LaunchConfig
from launchready.config.model import MonitorConfig, MonitorRouteConfig, RouteConfig
from launchready.findings import Status
from launchready.lab import Lab
from launchready.lab.route_fault import broken_route
from launchready.monitor.model import CheckResult, CheckState
from launchready.monitor.once import monitor_once
from launchready.monitor.probes import MemoryState

API = "api.chatbot.test"


def _once(
    lab: Lab, config: LaunchConfig | None = None, state: MemoryState | None = None
) -> dict[str, CheckResult]:
    _, results = asyncio.run(monitor_once(config or lab.config, lab.run_options(60), state, state))
    return {r.check_id: r for r in results}


def _with(lab: Lab, **updates: object) -> LaunchConfig:
    return lab.config.model_copy(update=updates)


def test_the_hardened_lab_is_up_everywhere_and_the_chat_has_a_ttft(hardened_lab: Lab) -> None:
    results = _once(hardened_lab)
    assert {"route:homepage", "route:health", "route:models", "chat", "email"} <= results.keys()
    assert any(key.startswith("tls:") for key in results)
    for key, result in results.items():
        if key != "email":  # first run: the email posture becomes the baseline, nothing to compare yet
            assert result.state is CheckState.UP, (key, result.message)
            assert result.exercised, key
    chat = results["chat"]
    assert chat.ttft_ms is not None and 0 < chat.ttft_ms < (chat.latency_ms or 0)
    assert results["email"].state is CheckState.UNKNOWN and "baseline" in results["email"].message


def test_a_broken_route_is_down_and_the_others_stay_up(hardened_lab: Lab) -> None:
    with broken_route(hardened_lab, API, "/health", status=500):
        results = _once(hardened_lab)
    assert results["route:health"].state is CheckState.DOWN
    assert "status 500, expected 2xx" in results["route:health"].message
    assert results["route:models"].state is CheckState.UP


def test_a_host_that_does_not_resolve_is_down(hardened_lab: Lab) -> None:
    gone = RouteConfig(name="gone", host="gone", path="/health")
    config = _with(hardened_lab, routes=(*hardened_lab.config.routes, gone))
    result = _once(config=config, lab=hardened_lab)["route:gone"]
    assert result.state is CheckState.DOWN and "gone.chatbot.test" in result.message


def test_conditions_keyword_json_and_degraded_latency(hardened_lab: Lab) -> None:
    routes = (
        MonitorRouteConfig(route="health", json_path="status", json_equals="ok"),
        MonitorRouteConfig(route="models", keyword="no-such-model-name"),
        MonitorRouteConfig(route="homepage", latency_ms=0.001),
    )
    results = _once(hardened_lab, _with(hardened_lab, monitor=MonitorConfig(routes=routes)))
    assert results["route:health"].state is CheckState.UP
    assert results["route:models"].state is CheckState.DOWN and "keyword" in results["route:models"].message
    homepage = results["route:homepage"]
    assert homepage.state is CheckState.DEGRADED and "over the 0 ms target" in homepage.message


def test_the_chat_turns_degraded_when_the_model_slows_and_down_when_it_stalls(hardened_lab: Lab) -> None:
    targets = hardened_lab.config.targets.model_copy(update={"ttft_p95_ms": 1500.0})
    config = _with(hardened_lab, targets=targets)
    assert _once(hardened_lab, config)["chat"].state is CheckState.UP
    with slow_llm(hardened_lab, first_token_s=2.0):
        slow = _once(hardened_lab, config)["chat"]
    assert slow.state is CheckState.DEGRADED and "first token after" in slow.message, slow.message
    assert slow.ttft_ms is not None and slow.ttft_ms >= 2000
    with slow_llm(hardened_lab, first_token_s=30.0):  # past the backend's and the monitor's chat timeout
        stalled = _once(hardened_lab, config)["chat"]
    assert stalled.state is CheckState.DOWN, stalled.message


def test_dmarc_reject_to_none_on_the_lab_zone_is_email_auth_drift(hardened_lab: Lab) -> None:
    state = MemoryState()
    first = _once(hardened_lab, state=state)["email"]
    assert first.state is CheckState.UNKNOWN  # the baseline is recorded
    unchanged = _once(hardened_lab, state=state)["email"]
    assert unchanged.state is CheckState.UP and unchanged.exercised["domains_compared"] >= 1
    with dmarc_policy(hardened_lab, "none"):
        drift = _once(hardened_lab, state=state)["email"]
        again = _once(hardened_lab, state=state)["email"]
    assert drift.state is CheckState.DOWN, drift.message
    assert "DMARC policy weakened (reject -> none)" in drift.message
    assert again.state is CheckState.DOWN  # the baseline stays the last *good* posture
    assert _once(hardened_lab, state=state)["email"].state is CheckState.UP  # restored


def test_cli_once_json_lists_each_check_with_the_chat_ttft(hardened_lab: Lab, tmp_path: Path) -> None:
    app = typer.Typer()

    @app.callback()
    def _root() -> None:
        """test root"""

    cmd_monitor.register(app)
    config = tmp_path / "launchready.toml"
    text = hardened_lab.config_path.read_text(encoding="utf-8")
    config.write_text(text + '\n[monitor]\ndatabase = "sqlite:///state/monitor.db"\n', encoding="utf-8")
    args = ["monitor", "--config", str(config), "--nameserver", hardened_lab.nameserver,
            "--ca-bundle", hardened_lab.ca_bundle, "--once", "--format", "json"]  # fmt: skip
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    checks = {c["check_id"]: c for c in report["artifacts"]["monitor"]["checks"]}
    assert checks["chat"]["state"] == "up" and checks["chat"]["ttft_ms"] > 0
    assert checks["route:health"]["state"] == "up"
    statuses = {
        f["rule_id"]: f["status"] for f in report["findings"] if f["rule_id"] != "monitor.email.drift"
    }
    assert set(statuses.values()) == {Status.PASS.value}
    assert (tmp_path / "state" / "monitor.db").is_file()  # relative to the config's folder
    with broken_route(hardened_lab, API, "/health", status=503):
        failing = CliRunner().invoke(app, args)
    assert failing.exit_code == 1, failing.output


def test_a_chat_that_cannot_be_called_as_configured_is_unknown_not_down(hardened_lab: Lab) -> None:
    chat = hardened_lab.config.chat.model_copy(
        update={"headers_from_env": {"Authorization": "Bearer ${NO_SUCH_VAR_LR}"}}
    )
    result = _once(hardened_lab, _with(hardened_lab, chat=chat))["chat"]
    assert result.state is CheckState.UNKNOWN and "NO_SUCH_VAR_LR" in result.message


def test_both_chat_senders_see_the_same_answer_on_the_lab(hardened_lab: Lab) -> None:
    from launchready.deploy.smoke import chat_route
    from launchready.monitor.chat_client import SharedChatSender, SseChatSender
    from launchready.net import DnsResolver, HttpClient, Limits

    config = hardened_lab.config
    route = chat_route(config)
    assert route is not None

    async def both() -> list[tuple[str, bool]]:
        limits = Limits()
        async with HttpClient(DnsResolver(limits, nameserver=hardened_lab.nameserver), limits,
                              ca_bundle=hardened_lab.ca_bundle) as http:  # fmt: skip
            out = []
            for sender in (SharedChatSender(http, config), SseChatSender(http, config)):
                answer = await sender.send(route, config.route_url(route), "Say hello.", 10)
                out.append((answer.end, answer.completed and (answer.ttft_s or 0) > 0))
            return out

    assert asyncio.run(both()) == [("done", True), ("done", True)]


def test_an_up_result_without_an_exercised_record_is_no_pass() -> None:
    from launchready.monitor.model import CheckKind
    from launchready.monitor.once import to_finding

    bare = CheckResult("route:x", CheckKind.ROUTE, "https://x/", CheckState.UP, "200 in 5 ms", 0.0)
    assert to_finding(bare).status is Status.UNVERIFIABLE
    real = CheckResult(
        "route:x", CheckKind.ROUTE, "https://x/", CheckState.UP, "200", 0.0, exercised={"requests": 1}
    )
    assert to_finding(real).status is Status.PASS
