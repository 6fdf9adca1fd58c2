"""The native generator against a real HTTPS server with a known latency and a planned stall."""

from __future__ import annotations

import asyncio
import time

from load_server import BASE_LATENCY_S, FIRST_TOKEN_DELAY_S, STALL_S, TOKEN_GAP_S, TOKENS, LoadServer

from launchready.findings import Status
from launchready.load import LoadOptions, audit_run_of, run_load


def _options(server: LoadServer) -> LoadOptions:
    return LoadOptions(ca_bundle=server.ca_bundle)


async def test_open_model_charges_the_stall_to_every_request_that_waited(load_server: LoadServer) -> None:
    config = load_server.config(rate=100, duration_s=3)
    results = await run_load(config, _options(load_server))
    fast = results.route("fast")
    assert results.scheduled == results.sent == 300
    assert fast.requests == 300 and fast.errors == 0
    # a third of the arrivals fall in the 1 s stall and wait on average half of it (from their intended time)
    assert fast.latency.p50_ms < 100
    assert fast.latency.p90_ms > 0.5 * STALL_S * 1000
    assert fast.latency.p99_ms > 0.85 * STALL_S * 1000
    assert results.latency_from == "intended-send"
    assert sum(point.requests for point in fast.timeline) == 300
    findings = {f.rule_id: f for f in audit_run_of(config, results).findings}
    assert findings["load.p95.over-target"].status is Status.FAIL
    assert findings["load.error-rate.over-target"].status is Status.PASS


async def test_latency_runs_from_the_intended_send_time_when_the_generator_itself_is_late(
    load_server: LoadServer,
) -> None:
    """wrk2's correction: requests due during a 0.5 s client-side freeze are charged for their wait."""
    config = load_server.config(routes=["steady"], rate=100, duration_s=1.5)
    calm = (await run_load(config, _options(load_server))).route("steady")
    asyncio.get_running_loop().call_later(0.6, time.sleep, 0.5)  # freezes this loop, not the server's thread
    frozen_run = await run_load(config, _options(load_server))
    frozen = frozen_run.route("steady")
    assert calm.requests == frozen.requests == 150 and frozen.errors == 0
    assert calm.latency.p90_ms < 100  # the server answers in ~5 ms
    assert frozen.latency.p90_ms > 250 and frozen.latency.max_ms > 450  # ~50 requests waited up to 0.5 s
    assert any("late" in note for note in frozen_run.notes)


async def test_closed_model_with_one_user_barely_sees_the_same_stall(load_server: LoadServer) -> None:
    """What the open model corrects: a waiting user sends nothing during the stall, so one slow sample."""
    results = await run_load(load_server.config(users=1, duration_s=3), _options(load_server))
    fast = results.route("fast")
    assert results.latency_from == "actual-send"
    assert fast.requests > 50
    assert fast.latency.p90_ms < 20 * BASE_LATENCY_S * 1000
    assert fast.latency.max_ms > 0.8 * STALL_S * 1000


async def test_request_cap_bounds_the_run(load_server: LoadServer) -> None:
    results = await run_load(
        load_server.config(rate=200, duration_s=30, max_requests=40), _options(load_server)
    )
    assert results.scheduled == results.sent == results.completed == 40
    assert load_server.requests == 40


async def test_arrivals_past_the_in_flight_cap_are_dropped_and_counted(load_server: LoadServer) -> None:
    results = await run_load(
        load_server.config(rate=100, duration_s=2.5, max_in_flight=5), _options(load_server)
    )
    fast = results.route("fast")
    assert results.peak_in_flight == 5
    assert results.dropped > 40  # the stall holds 5 requests for ~1 s while ~100 more arrive
    assert fast.dropped == results.dropped
    assert results.sent + results.dropped == results.scheduled == 250
    assert load_server.requests == results.sent


async def test_streamed_chat_time_to_first_token_skips_keepalives_and_empty_fragments(
    load_server: LoadServer,
) -> None:
    results = await run_load(load_server.config(routes=["chat"], rate=5, duration_s=1), _options(load_server))
    chat = results.route("chat")
    assert chat.is_chat and chat.chat is not None
    assert chat.requests == 5 and chat.errors == 0
    assert chat.chat.answers == 5 and chat.chat.empty_answers == 0
    assert chat.chat.ttfb.p50_ms < FIRST_TOKEN_DELAY_S * 1000
    assert chat.chat.ttft.p50_ms >= FIRST_TOKEN_DELAY_S * 1000
    assert TOKEN_GAP_S * 1000 * 0.8 <= chat.chat.inter_token.p50_ms < TOKEN_GAP_S * 1000 * 3
    assert chat.chat.inter_token.count == 5 * (len(TOKENS) - 1)
    assert chat.chat.tokens_per_s > 0
    findings = {f.rule_id: f for f in audit_run_of(load_server.config(routes=["chat"]), results).findings}
    assert findings["load.chat.over-timeout"].status is Status.PASS
    assert "load.p95.over-target" not in findings


async def test_json_chat_answers_are_timed_as_one_fragment(load_server: LoadServer) -> None:
    config = load_server.config(routes=["chat"], rate=4, duration_s=1)
    config = config.model_copy(
        update={
            "chat": config.chat.model_copy(
                update={"answer": config.chat.answer.model_copy(update={"kind": "json"})}
            )
        }
    )
    chat = (await run_load(config, _options(load_server))).route("chat")
    assert chat.chat is not None and chat.errors == 0
    assert chat.chat.answers == 4 and chat.chat.empty_answers == 0
    assert chat.chat.ttft.p50_ms >= FIRST_TOKEN_DELAY_S * 1000 and chat.chat.inter_token.count == 0


async def test_login_once_and_send_the_token_on_auth_routes(load_server: LoadServer) -> None:
    results = await run_load(
        load_server.config(routes=["me"], rate=20, duration_s=0.5), _options(load_server)
    )
    me = results.route("me")
    assert me.requests == 10
    assert me.errors_by_status == {}


async def test_errors_are_counted_by_status_and_judged(load_server: LoadServer) -> None:
    config = load_server.config(routes=["broken"], rate=50, duration_s=1)
    results = await run_load(config, _options(load_server))
    broken = results.route("broken")
    assert broken.errors_by_status.get("503", 0) == broken.errors > 5
    findings = {f.rule_id: f for f in audit_run_of(config, results).findings}
    assert findings["load.error-rate.over-target"].status is Status.FAIL
    assert "HTTP 503" in findings["load.error-rate.over-target"].evidence


async def test_an_unreachable_route_is_counted_by_exception(load_server: LoadServer) -> None:
    config = load_server.config(rate=20, duration_s=0.5)
    config = config.model_copy(update={"network": config.network.model_copy(update={"https_port": 1})})
    results = await run_load(config, _options(load_server))
    fast = results.route("fast")
    assert fast.ok == 0 and fast.errors_by_exception == {"ConnectError": 10}


async def test_locust_engine_with_two_workers_reports_into_the_same_model(
    load_server: LoadServer, tmp_path
) -> None:
    from launchready.load import LoadEngine

    config = load_server.config(routes=["fast", "broken"], rate=40, duration_s=3, max_requests=60)
    options = LoadOptions(
        ca_bundle=load_server.ca_bundle, engine=LoadEngine.LOCUST, workers=2, work_dir=tmp_path
    )
    results = await run_load(config, options)
    assert results.engine == "locust" and results.workers == 2
    assert 0 < results.completed <= 60 + results.users  # the per-user budget rounds up
    fast, broken = results.route("fast"), results.route("broken")
    assert fast.requests > 0 and fast.latency.p50_ms > 0
    assert broken.errors_by_status.get("503", 0) == broken.errors > 0
    assert (tmp_path / "locustfile.py").exists()
    findings = {(f.rule_id, f.details["route"]) for f in audit_run_of(config, results).findings}
    assert ("load.error-rate.over-target", "broken") in findings


async def test_closed_model_users_pause_for_their_think_time(load_server: LoadServer) -> None:
    config = load_server.config(routes=["steady"], users=2, think_time_s=0.4, duration_s=1.0)
    results = await run_load(config, _options(load_server))
    # each user: send (~5 ms), think 0.4 s, ... for 1 s: 3 requests each, never the ~300 of no think time
    assert results.model == "closed" and results.users == 2
    assert 4 <= results.route("steady").requests <= 8
