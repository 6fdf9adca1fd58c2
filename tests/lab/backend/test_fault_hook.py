"""The lab's fault hook says when it injected a fault: the retry probe's pass rests on that acknowledgement."""

from __future__ import annotations

import httpx
import pytest

from launchready.lab.backend import FLAKY_MARKER, FakeLlmSettings, create_app
from launchready.lab.backend.fake_llm import FAULT_HEADER
from launchready.lab.variant import LabVariant

QUICK = FakeLlmSettings(first_token_s=0.0, inter_token_s=0.0, tokens=4)


async def _chat(variant: LabVariant, message: str, accept: str) -> tuple[httpx.Response, int]:
    app = create_app(variant, QUICK)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://api.chatbot.test") as client:
        response = await client.post("/v1/chat", json={"message": message}, headers={"Accept": accept})
    return response, app.state.llm.faults_injected


@pytest.mark.parametrize("accept", ["text/event-stream", "application/json"])
async def test_hardened_acknowledges_the_injected_fault_and_still_answers(accept: str) -> None:
    response, injected = await _chat(LabVariant.HARDENED, f"hello {FLAKY_MARKER}", accept)
    assert response.status_code == 200
    assert response.headers[FAULT_HEADER].startswith("upstream-503")
    assert injected == 1
    assert "delta" in response.text or "answer" in response.text


async def test_flawed_acknowledges_the_fault_it_passes_on() -> None:
    response, injected = await _chat(LabVariant.FLAWED, f"hello {FLAKY_MARKER}", "text/event-stream")
    assert response.status_code == 500 and FAULT_HEADER in response.headers
    assert injected == 1


async def test_no_marker_no_fault_and_no_acknowledgement() -> None:
    response, injected = await _chat(LabVariant.HARDENED, "hello", "text/event-stream")
    assert response.status_code == 200 and FAULT_HEADER not in response.headers
    assert injected == 0
