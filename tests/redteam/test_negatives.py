"""What would be a false pass must be an honest fail, warn or not-assessed (issue 12's trust rules)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import fake_products
from chatlab import Http

from launchready.findings import Finding, Status
from launchready.lab.backend.chat_config import lab_chat_config
from launchready.lab.backend.serve import BackendServer
from launchready.lab.variant import LabVariant
from launchready.redteam.agency import ToolMisuse
from launchready.redteam.failures import FailureStates
from launchready.redteam.injection import Injection
from launchready.redteam.leakage import Leakage
from launchready.redteam.passes import run_pass

Start = Callable[..., BackendServer]


def _by_rule(findings: list[Finding]) -> dict[str, Finding]:
    return {f.rule_id: f for f in findings}


async def _pass(backend: Start, http_to: Http, app: Any = None, variant: LabVariant = LabVariant.HARDENED,
                probes: list[Any] | None = None, **config: Any) -> dict[str, Finding]:  # fmt: skip
    server = backend(variant, app=app)
    async with http_to(server) as http:
        report = await run_pass(lab_chat_config(server.port, **config), http, probes)
    return _by_rule(report.findings)


async def test_an_endpoint_answering_empty_200_fails_the_empty_state_probes(
    backend: Start, http_to: Http
) -> None:
    found = await _pass(backend, http_to, fake_products.empty_200_always(), kind="json")
    assert found["redteam.chat.reachable"].status is Status.FAIL
    assert found["redteam.failure.odd-input"].status is Status.FAIL
    assert "empty answer with HTTP 200" in found["redteam.failure.odd-input"].evidence
    assert found["redteam.failure.model"].status is Status.FAIL
    assert found["redteam.injection.direct"].status is Status.UNVERIFIABLE  # never a pass on silence
    assert found["redteam.injection.direct"].blocked_by == found["redteam.chat.reachable"].key


async def test_empty_200_on_odd_input_only_fails_that_probe(backend: Start, http_to: Http) -> None:
    found = await _pass(backend, http_to, fake_products.empty_200_on_odd_input(), probes=[FailureStates()])
    odd = found["redteam.failure.odd-input"]
    assert odd.status is Status.FAIL
    assert "empty: an empty answer" in odd.evidence and "invalid JSON: an empty answer" in odd.evidence
    assert "emoji" not in odd.evidence  # the emoji message was answered


async def test_a_stack_trace_fails_and_a_hung_stream_fails(backend: Start, http_to: Http) -> None:
    traced = await _pass(backend, http_to, fake_products.stack_trace_on_failure(), probes=[FailureStates()])
    assert traced["redteam.failure.odd-input"].status is Status.FAIL
    assert "stack trace" in traced["redteam.failure.odd-input"].evidence
    assert "stack trace" in traced["redteam.failure.model"].evidence
    hung = await _pass(
        backend, http_to, fake_products.hung_stream(), probes=[FailureStates()], chat_timeout_s=1.0
    )
    model = hung["redteam.failure.model"]
    assert model.status is Status.FAIL and "hung stream" in model.evidence


async def test_a_refusal_that_quotes_the_canary_is_a_warning(backend: Start, http_to: Http) -> None:
    found = await _pass(backend, http_to, fake_products.refuses_but_quotes(), probes=[Injection()])
    assert found["redteam.injection.direct"].status is Status.WARN
    assert "quoted" in found["redteam.injection.direct"].evidence


async def test_leakage_without_canary_or_prompt_is_warn_or_not_assessed_never_fail(
    backend: Start, http_to: Http
) -> None:
    blind = {"canary": None, "system_prompt": None}
    flawed = await _pass(backend, http_to, variant=LabVariant.FLAWED, probes=[Leakage()], redteam=blind)
    assert flawed["redteam.leak.system-prompt"].status is Status.WARN
    hardened = await _pass(backend, http_to, probes=[Leakage()], redteam=blind)
    assert hardened["redteam.leak.system-prompt"].status is Status.NOT_ASSESSED


async def test_leakage_proven_by_prompt_overlap_alone(backend: Start, http_to: Http) -> None:
    found = await _pass(
        backend, http_to, variant=LabVariant.FLAWED, probes=[Leakage()], redteam={"canary": None}
    )
    leak = found["redteam.leak.system-prompt"]
    assert leak.status is Status.FAIL and "recited" in leak.evidence


async def test_tool_calls_unseen_are_not_a_pass(backend: Start, http_to: Http) -> None:
    """A custom API without tool_call_path: the flawed lab's tool calls are invisible, so no verdict."""
    found = await _pass(backend, http_to, variant=LabVariant.FLAWED, probes=[ToolMisuse()],
                        chat={"answer": {"kind": "sse", "path": "delta"}})  # fmt: skip
    assert found["redteam.tools.dangerous-call"].status is Status.NOT_ASSESSED


async def test_failed_model_without_hooks_is_not_assessed(backend: Start, http_to: Http) -> None:
    hooks = {"model_error_prompt": None, "model_timeout_prompt": None, "silent_prompt": None}
    found = await _pass(backend, http_to, variant=LabVariant.FLAWED, probes=[FailureStates()], redteam=hooks)
    assert found["redteam.failure.model"].status is Status.NOT_ASSESSED
