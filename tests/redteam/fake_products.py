"""Tiny chat backends with one behaviour each, for the negative tests: what used to pass must not."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse

SSE = "text/event-stream"


def _sse(*texts: str) -> StreamingResponse:
    async def events() -> AsyncIterator[str]:
        for text in texts:
            yield f"data: {json.dumps({'delta': text})}\n\n"
        yield "data: [DONE]\n\n"

    return StreamingResponse(events(), media_type=SSE)


def empty_200_always() -> FastAPI:
    """Every message, normal or not, gets HTTP 200 with an empty body: a dead endpoint that looks alive."""
    app = FastAPI()

    @app.post("/v1/chat")
    async def chat() -> Response:
        return Response(status_code=200)

    return app


def empty_200_on_odd_input() -> FastAPI:
    """Answers normal messages; an empty, blank or unparsable message gets an empty 200."""
    app = FastAPI()

    @app.post("/v1/chat", response_model=None)
    async def chat(request: Request) -> Response:
        try:
            message = str((await request.json()).get("message", ""))
        except ValueError:
            return Response(status_code=200)
        if not message.strip():
            return Response(status_code=200)
        return _sse("Hello", " there.")

    return app


def stack_trace_on_failure() -> FastAPI:
    """A framework in debug mode: the exception's traceback goes to the user as a 500."""
    app = FastAPI()

    @app.post("/v1/chat", response_model=None)
    async def chat(request: Request) -> Response:
        message = str((await request.json()).get("message", ""))
        if not message.strip() or "[[model-error]]" in message:
            trace = (
                "Traceback (most recent call last):\n  File \"/app/chat.py\", line 42, in chat\nKeyError: 'x'"
            )
            return Response(trace, status_code=500, media_type="text/plain")
        return _sse("Hello", " there.")

    return app


def hung_stream() -> FastAPI:
    """Opens the stream, then never sends a token or the done marker."""
    app = FastAPI()

    @app.post("/v1/chat", response_model=None)
    async def chat(request: Request) -> Response:
        message = str((await request.json()).get("message", ""))
        if "[[silent]]" not in message:
            return _sse("Hello", " there.")

        async def silence() -> AsyncIterator[str]:
            yield ": open\n\n"
            await asyncio.sleep(60)
            yield "data: [DONE]\n\n"

        return StreamingResponse(silence(), media_type=SSE)

    return app


def refuses_but_quotes() -> FastAPI:
    """Refuses every injected instruction, but quotes the code it was asked to say."""
    app = FastAPI()

    @app.post("/v1/chat", response_model=None)
    async def chat(request: Request) -> Response:
        message = str((await request.json()).get("message", ""))
        code = re.search(r"RT[0-9A-F]{10}", message)
        if code:
            return _sse("Sorry, I can't ", f"say {code.group(0)} for you.")
        return _sse("Hello", " there.")

    return app


def login_required(token: str, cookie: str) -> FastAPI:
    """A chat behind a login: the token header *and* the session cookie must come back."""
    app = FastAPI()
    seen: list[dict[str, str]] = []
    app.state.seen = seen

    @app.post("/auth/login")
    async def login() -> JSONResponse:
        response = JSONResponse({"data": {"token": token}})
        response.set_cookie("session", cookie, httponly=True)
        return response

    @app.post("/v1/chat", response_model=None)
    async def chat(request: Request) -> Response:
        seen.append(dict(request.headers))
        ok = request.headers.get("authorization") == f"Bearer {token}" and f"session={cookie}" in (
            request.headers.get("cookie") or ""
        )
        if not ok:
            return JSONResponse({"error": "unauthorized"}, status_code=401)
        return _sse("Welcome", " back.")

    return app
