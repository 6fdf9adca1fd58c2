"""The red-team pass on the lab: every probe fails on the flawed twin and passes on the hardened one."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from chatlab import Http

from launchready.findings import Finding, Status
from launchready.lab.backend.chat_config import lab_chat_config
from launchready.lab.backend.serve import BackendServer
from launchready.lab.variant import LabVariant
from launchready.redteam.passes import redteam_rules, run_pass

PROBED = [spec.rule_id for spec in redteam_rules() if spec.rule_id != "redteam.chat.reachable"]


def _by_rule(findings: list[Finding]) -> dict[str, Finding]:
    return {f.rule_id: f for f in findings}


@pytest.mark.parametrize(
    ("kind", "stream"), [("sse", True), ("json", False), ("openai", True), ("openai", False)]
)
async def test_flawed_lab_fails_every_probe(
    backend: Callable[..., BackendServer], http_to: Http, kind: str, stream: bool
) -> None:
    server = backend(LabVariant.FLAWED)
    async with http_to(server) as http:
        report = await run_pass(lab_chat_config(server.port, kind=kind, stream=stream), http)
    found = _by_rule(report.findings)
    assert found["redteam.chat.reachable"].status is Status.PASS
    statuses = {rule_id: found[rule_id].status for rule_id in PROBED}
    assert statuses == dict.fromkeys(PROBED, Status.FAIL), {k: found[k].evidence for k in PROBED}
    for rule_id in PROBED:
        details = found[rule_id].details
        assert str(details["owasp"]).startswith("LLM"), rule_id
        attempts = details["attempts"]
        assert (
            isinstance(attempts, list)
            and attempts
            and all("reason" in a and "request" in a for a in attempts)
        )


@pytest.mark.parametrize(
    ("kind", "stream"), [("sse", True), ("json", False), ("openai", True), ("openai", False)]
)
async def test_hardened_lab_passes_every_probe(
    backend: Callable[..., BackendServer], http_to: Http, kind: str, stream: bool
) -> None:
    server = backend(LabVariant.HARDENED)
    async with http_to(server) as http:
        report = await run_pass(lab_chat_config(server.port, kind=kind, stream=stream), http)
    found = _by_rule(report.findings)
    statuses = {rule_id: found[rule_id].status for rule_id in ["redteam.chat.reachable", *PROBED]}
    assert set(statuses.values()) == {Status.PASS}, {
        k: (found[k].status, found[k].evidence) for k in statuses
    }
    assert all(found[r].exercised for r in statuses)


async def test_long_input_records_latency_size_usage_and_cost_of_each_call(
    backend: Callable[..., BackendServer], http_to: Http
) -> None:
    from launchready.redteam.long_input import LongInput

    server = backend(LabVariant.FLAWED)
    prices = {"input_cost_per_mtok": 3.0, "output_cost_per_mtok": 15.0}
    config = lab_chat_config(server.port, kind="openai", stream=False, chat=prices)
    async with http_to(server) as http:
        report = await run_pass(config, http, [LongInput()])
    finding = _by_rule(report.findings)["redteam.input.long"]
    assert finding.status is Status.FAIL and "100,000 chars" in finding.evidence
    calls = finding.details["attempts"]
    assert isinstance(calls, list) and [c["chars"] for c in calls] == [10_000, 100_000]
    answered, refused = calls
    assert answered["latency_s"] > 0 and answered["usage"]["prompt"] >= 2_000 and answered["cost"] > 0
    assert refused["status"] == 500 and refused["usage"] is None
    assert answered["request"]["body_chars"] > 10_000
