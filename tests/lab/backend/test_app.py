"""The lab backend's routes, in both variants, through httpx's in-process ASGI transport."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import AsyncIterator, Callable

import httpx
import pytest

from launchready.lab.backend import FakeLlmSettings, create_app
from launchready.lab.backend.app import WEBHOOK_SECRET
from launchready.lab.variant import LabVariant

QUICK = FakeLlmSettings(first_token_s=0.0, inter_token_s=0.0, tokens=4)
Client = Callable[..., httpx.AsyncClient]


@pytest.fixture
async def client() -> AsyncIterator[Client]:
    opened: list[httpx.AsyncClient] = []

    def make(variant: LabVariant, llm: FakeLlmSettings | None = QUICK, **kw: float) -> httpx.AsyncClient:
        app = create_app(variant, llm, **kw)  # type: ignore[arg-type]
        opened.append(
            httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://api.chatbot.test")
        )
        return opened[-1]

    yield make
    for c in opened:
        await c.aclose()


def _events(text: str) -> list[str]:
    return [block.removeprefix("data: ") for block in text.split("\n\n") if block.startswith("data: ")]


@pytest.mark.parametrize("variant", list(LabVariant))
async def test_health_login_and_callback(client: Client, variant: LabVariant) -> None:
    api = client(variant)
    assert (await api.get("/health")).json() == {"status": "ok"}
    ok = await api.post("/auth/login", json={"email": "demo@chatbot.test", "password": "demo-password"})
    assert ok.status_code == 200 and ok.json()["token"].startswith("lab-session-")
    wrong = await api.post("/auth/login", json={"email": "demo@chatbot.test", "password": "nope"})
    assert wrong.status_code == 401
    assert (await api.get("/auth/callback")).status_code == 200


@pytest.mark.parametrize("variant", list(LabVariant))
async def test_chat_streams_deltas_then_done_or_answers_json(client: Client, variant: LabVariant) -> None:
    api = client(variant)
    streamed = await api.post("/v1/chat", json={"message": "hello"})
    assert streamed.headers["content-type"].startswith("text/event-stream")
    events = _events(streamed.text)
    assert events[-1] == "[DONE]"
    deltas = [json.loads(e)["delta"] for e in events[:-1]]
    assert len(deltas) == 4
    whole = await api.post("/v1/chat", json={"message": "hello"}, headers={"Accept": "application/json"})
    assert whole.json() == {"answer": "".join(deltas)}


async def test_flaky_upstream_is_a_500_when_flawed_and_retried_when_hardened(client: Client) -> None:
    flawed = await client(LabVariant.FLAWED).post("/v1/chat", json={"message": "[[flaky]] hi"})
    hardened = await client(LabVariant.HARDENED).post("/v1/chat", json={"message": "[[flaky]] hi"})
    assert flawed.status_code == 500
    assert hardened.status_code == 200 and _events(hardened.text)[-1] == "[DONE]"


async def test_random_upstream_failures_become_an_error_event_after_retries(client: Client) -> None:
    api = client(LabVariant.HARDENED, FakeLlmSettings(failure_rate=1.0, first_token_s=0.0))
    response = await api.post("/v1/chat", json={"message": "hi"})
    assert "event: error" in response.text and "upstream" in response.text


async def test_oversized_messages(client: Client) -> None:
    huge = {"message": "x" * 100_000}
    flawed = await client(LabVariant.FLAWED, FakeLlmSettings(read_s_per_char=0.0)).post("/v1/chat", json=huge)
    assert flawed.status_code == 500
    hardened = client(LabVariant.HARDENED)
    assert (await hardened.post("/v1/chat", json=huge)).status_code == 413
    assert (await hardened.post("/v1/chat", json={"message": "x" * 9_000})).status_code == 422


async def test_hardened_stall_ends_with_an_error_event_at_the_timeout(client: Client) -> None:
    api = client(LabVariant.HARDENED, chat_timeout_s=0.3)
    response = await api.post("/v1/chat", json={"message": "[[stall]]"})
    assert "event: error" in response.text and '"timeout"' in response.text
    assert "[DONE]" not in response.text
    as_json = await api.post(
        "/v1/chat", json={"message": "[[stall]]"}, headers={"Accept": "application/json"}
    )
    assert as_json.status_code == 504


async def test_webhook_signature(client: Client) -> None:
    body = b'{"event": "payment.succeeded"}'
    assert (await client(LabVariant.FLAWED).post("/webhooks/payments", content=body)).status_code == 200
    hardened = client(LabVariant.HARDENED)
    assert (await hardened.post("/webhooks/payments", content=body)).status_code == 400
    signature = "sha256=" + hmac.new(WEBHOOK_SECRET, body, hashlib.sha256).hexdigest()
    signed = await hardened.post(
        "/webhooks/payments", content=body, headers={"X-Payments-Signature": signature}
    )
    assert signed.status_code == 200


async def test_models_cache_headers(client: Client) -> None:
    flawed = client(LabVariant.FLAWED)
    first, second = await flawed.get("/v1/models"), await flawed.get("/v1/models")
    assert first.headers["cache-control"] == "no-store" and second.headers["x-cache"] == "MISS"
    hardened = client(LabVariant.HARDENED)
    first, second = await hardened.get("/v1/models"), await hardened.get("/v1/models")
    assert first.headers["x-cache"] == "MISS" and second.headers["x-cache"] == "HIT"
    assert second.headers["cf-cache-status"] == "HIT"
    assert "max-age=60" in second.headers["cache-control"] and first.json()["data"]
    again = await hardened.get("/v1/models", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304


async def test_rate_limits(client: Client) -> None:
    body = {"email": "a@b.test", "password": "x"}
    flawed = client(LabVariant.FLAWED)
    assert {(await flawed.post("/auth/login", json=body)).status_code for _ in range(30)} == {401}
    hardened = client(LabVariant.HARDENED)
    logins = [await hardened.post("/auth/login", json=body) for _ in range(11)]
    assert [r.status_code for r in logins] == [401] * 10 + [429]
    assert int(logins[-1].headers["retry-after"]) >= 1
    chats = [(await hardened.post("/v1/chat", json={"message": "hi"})).status_code for _ in range(21)]
    assert chats == [200] * 20 + [429]
