"""The lab product's API: health, login, OAuth callback, payments webhook, models list and a streaming chat.

The lab mounts it on ``api.chatbot.test`` (root) and on ``app.chatbot.test`` (``/auth/*``, ``/v1/*``). One
app serves both variants; the flawed one carries the performance risks of roadmap stage 5 and the hardened
one their fixes:

========================  =====================================  ==========================================
risk                      flawed                                 hardened
========================  =====================================  ==========================================
rate limits               none on login and chat                 429 + Retry-After past 10/10 s (login),
                                                                 20/10 s (chat) per client address
chat timeout              streams for as long as the model does  ends the stream at ``chat_timeout_s`` with
                                                                 an ``error`` event
isolation                 sync SDK in ``async def``: every model fully async
                          wait blocks the event loop
retries                   a transient upstream 503 is a 500      retried with backoff
payload                   any size; 100,000 chars ≈ 1 s then 500 413 over 64 KiB, 422 over 8,000 chars
red team (persona.py)     obeys injected text, leaks its prompt,  refuses, never recites, confirms tools,
                          calls tools, renders outside images   friendly failure messages
failed model              provider error body; empty 200 on      a friendly message (error event / JSON)
                          a timeout; empty stream
OpenAI-compatible         ``/v1/chat/completions`` (streamed and not) on both, with the same conduct
cache (``/v1/models``)    ``no-store``, ``x-cache: MISS``        ``public, max-age=60``, ETag, ``x-cache:
                                                                 HIT`` after the first read (a CDN's view)
========================  =====================================  ==========================================
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import time
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse, StreamingResponse
from pydantic import BaseModel, Field

from launchready.lab.backend.body_limit import BodySizeLimit
from launchready.lab.backend.chat import (
    FLAWED_POLICY,
    ChatPolicy,
    complete,
    hardened_events,
    open_with_retries,
    stream_events,
)
from launchready.lab.backend.fake_llm import (
    FakeLlm,
    FakeLlmSettings,
    ProviderError,
    ProviderTimeout,
    UpstreamError,
    fault_headers,
)
from launchready.lab.backend.openai_api import add_openai_routes
from launchready.lab.backend.persona import FRIENDLY_EMPTY, FRIENDLY_FAILURE, FRIENDLY_TIMEOUT
from launchready.lab.backend.rate_limit import ClientRateLimiter, RateLimit
from launchready.lab.variant import LabVariant

DEMO_EMAIL = "demo@chatbot.test"
DEMO_PASSWORD = "demo-password"  # a lab fixture, not a secret
WEBHOOK_SECRET = b"lab-payments-webhook-secret"  # a lab fixture, not a secret
LOGIN_LIMIT = RateLimit(hits=10, per_s=10)
CHAT_LIMIT = RateLimit(hits=20, per_s=10)
MAX_BODY_BYTES = 64 * 1024
MAX_MESSAGE_CHARS = 8_000
MODELS_MAX_AGE_S = 60
MODELS = {"object": "list", "data": [{"id": "lab-chat-1", "object": "model"}, {"id": "lab-chat-mini"}]}
MODELS_ETAG = '"models-' + hashlib.sha256(repr(MODELS).encode()).hexdigest()[:16] + '"'
SSE_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}


class LoginRequest(BaseModel):
    email: str = Field(max_length=320)
    password: str = Field(max_length=256)


class ChatRequest(BaseModel):
    message: str = Field(min_length=1, max_length=MAX_MESSAGE_CHARS)


def create_app(
    variant: LabVariant,
    llm: FakeLlmSettings | None = None,
    *,
    chat_timeout_s: float = 3.0,
    retry_attempts: int = 3,
) -> FastAPI:
    """The backend of one lab variant; ``chat_timeout_s`` and ``retry_attempts`` shape the hardened one."""
    model = FakeLlm(llm, blocking=variant.flawed, guarded=not variant.flawed)
    app = FastAPI(
        title=f"chatbot.test API ({variant.value})", docs_url=None, redoc_url=None, openapi_url=None
    )
    app.state.llm = model  # lets tests see that disconnected clients leave no generation running
    _add_common_routes(app)
    if variant.flawed:
        _add_flawed_routes(app, model)
        add_openai_routes(app, model, FLAWED_POLICY, guarded=False)
    else:
        policy = ChatPolicy(timeout_s=chat_timeout_s, attempts=retry_attempts)
        _add_hardened_routes(app, model, policy)
        add_openai_routes(app, model, policy, guarded=True)
        app.add_middleware(BodySizeLimit, max_bytes=MAX_BODY_BYTES)
    return app


def _add_common_routes(app: FastAPI) -> None:
    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/auth/callback", response_class=HTMLResponse)
    async def auth_callback() -> str:
        return "<!doctype html><title>Signed in</title><p>Signed in. You can close this window.</p>"


def _login(email: str, password: str) -> JSONResponse:
    if hmac.compare_digest(email, DEMO_EMAIL) and hmac.compare_digest(password, DEMO_PASSWORD):
        token = "lab-session-" + hashlib.sha256(email.encode()).hexdigest()[:24]
        return JSONResponse({"token": token})
    return JSONResponse({"error": "invalid_credentials"}, status_code=401)


def _wants_json(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/event-stream" not in accept


def unhandled_error() -> Response:
    """What an unhandled exception in the flawed handler shows a user (Starlette's bare 500), returned
    rather than raised so the lab's console is not filled with the planted crash's traceback."""
    return Response("Internal Server Error", status_code=500, media_type="text/plain")


def _add_flawed_routes(app: FastAPI, model: FakeLlm) -> None:
    @app.post("/auth/login")
    async def login(request: Request) -> JSONResponse:
        body = await request.json()
        return _login(str(body.get("email", "")), str(body.get("password", "")))

    @app.post("/webhooks/payments")
    async def payments_webhook(request: Request) -> dict[str, str]:
        await request.body()
        return {"status": "received"}

    @app.get("/v1/models")
    async def models() -> JSONResponse:
        return JSONResponse(MODELS, headers={"Cache-Control": "no-store", "x-cache": "MISS"})

    @app.post("/v1/chat", response_model=None)
    async def chat(request: Request) -> Response:
        try:
            body = await request.json()
        except ValueError:
            return unhandled_error()
        prompt = str(body.get("message", ""))
        try:
            tokens = await open_with_retries(model, prompt, FLAWED_POLICY)
        except ProviderError as exc:  # the provider's error body, passed straight to the user
            return JSONResponse(exc.body, status_code=500)
        except ProviderTimeout:  # swallowed: an empty 200
            return Response(status_code=200)
        except UpstreamError:
            return JSONResponse({"error": "internal_error"}, status_code=500, headers=fault_headers(prompt))
        calls = model.tool_calls(prompt)
        if _wants_json(request):
            answer: dict[str, object] = {"answer": await complete(tokens, None)}
            if calls:
                answer["tool_calls"] = [{"name": name, "arguments": arguments} for name, arguments in calls]
            return JSONResponse(answer)
        return StreamingResponse(
            stream_events(tokens, None, calls), media_type="text/event-stream", headers=SSE_HEADERS
        )


def _add_hardened_routes(app: FastAPI, model: FakeLlm, policy: ChatPolicy) -> None:
    limiter = ClientRateLimiter()
    edge = _EdgeCache()

    @app.post("/auth/login", dependencies=[Depends(limiter.dependency("login", LOGIN_LIMIT))])
    async def login(credentials: LoginRequest) -> JSONResponse:
        return _login(credentials.email, credentials.password)

    @app.post("/webhooks/payments")
    async def payments_webhook(
        request: Request, signature: Annotated[str | None, Header(alias="X-Payments-Signature")] = None
    ) -> JSONResponse:
        body = await request.body()
        expected = "sha256=" + hmac.new(WEBHOOK_SECRET, body, hashlib.sha256).hexdigest()
        if signature is None or not hmac.compare_digest(signature, expected):
            return JSONResponse({"error": "bad_signature"}, status_code=400)
        return JSONResponse({"status": "received"})

    @app.get("/v1/models")
    async def models(if_none_match: Annotated[str | None, Header()] = None) -> Response:
        headers = {
            "Cache-Control": f"public, max-age={MODELS_MAX_AGE_S}",
            "ETag": MODELS_ETAG,
            **edge.read(),
        }
        if if_none_match == MODELS_ETAG:
            return Response(status_code=304, headers=headers)
        return JSONResponse(MODELS, headers=headers)

    @app.post("/v1/chat", response_model=None, dependencies=[Depends(limiter.dependency("chat", CHAT_LIMIT))])
    async def chat(request: Request, body: ChatRequest) -> Response:
        if _wants_json(request):
            return await _hardened_json_answer(model, body.message, policy)
        return StreamingResponse(
            hardened_events(model, body.message, policy),
            media_type="text/event-stream",
            headers={**SSE_HEADERS, **fault_headers(body.message)},
        )


async def _hardened_json_answer(model: FakeLlm, prompt: str, policy: ChatPolicy) -> JSONResponse:
    try:
        async with asyncio.timeout(policy.timeout_s):
            tokens = await open_with_retries(model, prompt, policy)
            answer = await complete(tokens, None)
    except (TimeoutError, ProviderTimeout):
        return JSONResponse({"error": "timeout", "message": FRIENDLY_TIMEOUT}, status_code=504)
    except ProviderError:
        return JSONResponse({"error": "upstream", "message": FRIENDLY_FAILURE}, status_code=502)
    except UpstreamError as exc:
        return JSONResponse(
            {"error": "upstream", "detail": str(exc)}, status_code=502, headers=fault_headers(prompt)
        )
    return JSONResponse({"answer": answer or FRIENDLY_EMPTY}, headers=fault_headers(prompt))


class _EdgeCache:
    """What a CDN in front of ``/v1/models`` would report: a miss, then hits until ``max-age`` runs out.

    Set by the app because the lab's edge only imitates Cloudflare's headers (``cf-cache-status: DYNAMIC``
    on everything) and lets the backend's own headers win.
    """

    def __init__(self) -> None:
        self._stored_at: float | None = None

    def read(self) -> dict[str, Any]:
        now = time.monotonic()
        if self._stored_at is None or now - self._stored_at >= MODELS_MAX_AGE_S:
            self._stored_at = now
            return {"cf-cache-status": "MISS", "x-cache": "MISS", "Age": "0"}
        return {"cf-cache-status": "HIT", "x-cache": "HIT", "Age": str(int(now - self._stored_at))}
