"""The arrival schedule, the plan built from config and command line, the scenario, and the live view."""

from __future__ import annotations

import io

import pytest
from load_server import LoadServer
from rich.console import Console

from launchready.config.model import LaunchConfig, LoadConfig, LoadStage
from launchready.load import LoadOptions, LoadPlan, ScenarioError, build_scenario, run_load
from launchready.load.scenario import arrival_offsets


def test_constant_rate_sends_at_fixed_intervals() -> None:
    offsets = list(arrival_offsets((LoadStage(duration_s=2, target_rate=5),), 5))
    assert offsets == pytest.approx([i / 5 for i in range(10)])


def test_a_ramp_from_zero_places_the_kth_arrival_where_the_integral_reaches_k() -> None:
    ramp = (LoadStage(duration_s=10, target_rate=10),)  # N(t) = t²/2, so arrival k at sqrt(2k)
    offsets = list(arrival_offsets(ramp, 0))
    assert len(offsets) == 50
    assert offsets[:4] == pytest.approx([0.0, 2**0.5, 2.0, 6**0.5])


def test_stages_up_hold_and_down_sum_their_areas() -> None:
    stages = tuple(LoadStage(duration_s=2, target_rate=r) for r in (10, 10, 0))
    offsets = list(arrival_offsets(stages, 0))
    assert len(offsets) == 10 + 20 + 10
    assert offsets == sorted(offsets) and offsets[-1] < 6


def test_command_line_rate_replaces_a_configured_ramp() -> None:
    load = LoadConfig(
        stages=(LoadStage(duration_s=3, target_rate=50), LoadStage(duration_s=2, target_rate=0))
    )
    ramp = LoadPlan.from_config(load)
    assert (ramp.duration_s, ramp.start_rate, ramp.peak_rate) == (5, 0, 50)
    flat = LoadPlan.from_config(load, rate=7, duration_s=1)
    assert (flat.duration_s, flat.peak_rate, flat.is_open) == (1, 7, True)
    assert LoadPlan.from_config(load, users=3).is_open is False


def test_scenario_skips_login_webhook_and_callback_and_fills_the_chat_prompt(load_server: LoadServer) -> None:
    raw = load_server.config().model_dump(mode="json")
    raw["load"]["routes"] = []
    raw["routes"] = [
        {**route, "weight": 0.0 if route["name"] == "broken" else 1.0} for route in raw["routes"]
    ]
    raw["routes"].append({"name": "hook", "role": "webhook", "method": "POST", "path": "/hook"})
    raw["chat"] = {"request": {"messages": [{"role": "user", "content": "{{message}}"}]}}
    config = LaunchConfig.model_validate(raw)
    scenario = build_scenario(config)
    assert {s.name for s in scenario.steps} == {
        "fast",
        "steady",
        "me",
        "chat",
    }  # weight 0 routes are skipped too
    assert scenario.login is not None and scenario.login.name == "login"
    chat = next(s for s in scenario.steps if s.is_chat)
    assert chat.json_body == {"messages": [{"role": "user", "content": config.load.chat_prompt}]}
    with pytest.raises(ScenarioError, match="nope"):
        build_scenario(load_server.config(routes=["nope"]))


async def test_live_view_draws_on_a_terminal_and_stays_silent_on_a_pipe(load_server: LoadServer) -> None:
    terminal, pipe = io.StringIO(), io.StringIO()
    config = load_server.config(rate=10, duration_s=1.2)
    for out, is_tty in ((terminal, True), (pipe, False)):
        console = Console(file=out, force_terminal=is_tty, width=100)
        await run_load(config, LoadOptions(ca_bundle=load_server.ca_bundle, console=console))
    assert "in flight" in terminal.getvalue() and "p95 so far" in terminal.getvalue()
    assert pipe.getvalue() == ""
