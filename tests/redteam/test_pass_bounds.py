"""The whole pass runs its probes at once (within 2x the slowest probe alone) and never past its budget."""

from __future__ import annotations

import time
from collections.abc import Callable

from chatlab import Http

from launchready.findings import Status
from launchready.lab.backend import FakeLlmSettings
from launchready.lab.backend.chat_config import lab_chat_config
from launchready.lab.backend.serve import BackendServer
from launchready.lab.variant import LabVariant
from launchready.redteam.passes import all_probes, run_pass

PACED = FakeLlmSettings(first_token_s=0.15, inter_token_s=0.02, tokens=8)
"""Slow enough that running probes one after another would clearly show in the wall time."""


async def test_the_pass_takes_at_most_twice_its_slowest_probe(
    backend: Callable[..., BackendServer], http_to: Http
) -> None:
    server = backend(LabVariant.HARDENED, PACED)
    config = lab_chat_config(server.port, kind="openai", stream=True)
    async with http_to(server) as http:
        alone = {}
        for probe in all_probes():
            begun = time.monotonic()
            await run_pass(config, http, [probe])  # dry call + this probe
            alone[probe.name] = time.monotonic() - begun
        begun = time.monotonic()
        report = await run_pass(config, http)
        whole = time.monotonic() - begun
    assert {f.status for f in report.findings} == {Status.PASS}
    slowest = max(alone.values())
    assert whole <= 2 * slowest, f"whole pass {whole:.2f}s vs slowest probe alone {slowest:.2f}s ({alone})"
    assert whole < 0.6 * sum(alone.values()), "the probes did not overlap"


async def test_the_pass_stops_at_its_call_budget_and_says_so(
    backend: Callable[..., BackendServer], http_to: Http
) -> None:
    server = backend(LabVariant.FLAWED)
    config = lab_chat_config(server.port, kind="openai", chat={"max_calls": 6})
    async with http_to(server) as http:
        report = await run_pass(config, http)
    assert report.calls == 6
    statuses = {f.rule_id: f.status for f in report.findings}
    assert Status.PASS not in {s for r, s in statuses.items() if r != "redteam.chat.reachable"}
    budget_spent = [f for f in report.findings if "budget of 6 calls" in f.model_dump_json()]
    assert budget_spent, "no finding names the spent budget"
