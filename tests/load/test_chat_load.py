"""Chat under load, end to end on the test server: an empty answer is a failed chat, a slow one fails TTFT."""

from __future__ import annotations

import asyncio

from load_server import LoadServer

from launchready.config.model import LaunchConfig
from launchready.findings import Status
from launchready.load import LoadOptions, audit_run_of, run_load


def _chat_config(server: LoadServer, **changes: object) -> LaunchConfig:
    data = server.config(routes=["chat"]).model_dump()
    for section, values in changes.items():
        data[section] = {**data[section], **values} if isinstance(values, dict) else values
    return LaunchConfig.model_validate(data)


def _verdicts(server: LoadServer, config: LaunchConfig, requests: int) -> dict[str, Status]:
    options = LoadOptions(rate=requests, duration_s=1, ca_bundle=server.ca_bundle)
    run = audit_run_of(config, asyncio.run(run_load(config, options)))
    return {f.rule_id: f.status for f in run.findings}


def test_answers_at_a_path_that_points_nowhere_fail(load_server: LoadServer) -> None:
    """Negative test: with [chat.answer] path pointing nowhere, 11/11 empty answers gave "TTFT p95 0 ms",
    "No risk found", exit 0."""
    config = _chat_config(load_server, chat={"answer": {"kind": "sse", "path": "choices.0.nowhere"}})
    verdicts = _verdicts(load_server, config, 11)
    assert verdicts["load.error-rate.over-target"] is Status.FAIL
    assert verdicts["load.chat.ttft-over-target"] is Status.UNVERIFIABLE
    assert verdicts["load.chat.over-timeout"] is not Status.PASS


def test_a_first_token_slower_than_the_target_fails(load_server: LoadServer) -> None:
    """The test server's first token comes after 300 ms: a 100 ms target fails, a 1 s target passes."""
    strict = _chat_config(load_server, targets={"ttft_p95_ms": 100})
    assert _verdicts(load_server, strict, 4)["load.chat.ttft-over-target"] is Status.FAIL
    loose = _chat_config(load_server, targets={"ttft_p95_ms": 1000})
    verdicts = _verdicts(load_server, loose, 4)
    assert verdicts["load.chat.ttft-over-target"] is Status.PASS
    assert verdicts["load.error-rate.over-target"] is Status.PASS


def test_chats_past_the_chat_timeout_are_errors(load_server: LoadServer) -> None:
    """A chat that ends after targets.chat_timeout_s served nobody: it counts against the error budget."""
    config = _chat_config(load_server, targets={"chat_timeout_s": 0.2})
    verdicts = _verdicts(load_server, config, 4)
    assert verdicts["load.chat.over-timeout"] is Status.FAIL
    assert verdicts["load.error-rate.over-target"] is Status.FAIL
