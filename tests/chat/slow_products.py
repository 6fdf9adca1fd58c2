"""Chat backends that misbehave in time or size, for the client's bounds."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

from fastapi import FastAPI
from fastapi.responses import Response, StreamingResponse


def slow_headers(delay_s: float) -> FastAPI:
    """Sends nothing, not even headers, for ``delay_s``."""
    app = FastAPI()

    @app.post("/v1/chat", response_model=None)
    async def chat() -> Response:
        await asyncio.sleep(delay_s)
        return Response(status_code=200)

    return app


def huge_stream(events: int) -> FastAPI:
    """Streams ``events`` events of 1 KiB each."""
    app = FastAPI()

    @app.post("/v1/chat", response_model=None)
    async def chat() -> Response:
        async def body() -> AsyncIterator[str]:
            for _ in range(events):
                yield f"data: {json.dumps({'delta': 'x' * 1024})}\n\n"
            yield "data: [DONE]\n\n"

        return StreamingResponse(body(), media_type="text/event-stream")

    return app


def counting(delay_s: float) -> FastAPI:
    """Answers after ``delay_s`` and records the most chats it had in flight at once."""
    app = FastAPI()
    app.state.now = 0
    app.state.peak = 0

    @app.post("/v1/chat", response_model=None)
    async def chat() -> Response:
        app.state.now += 1
        app.state.peak = max(app.state.peak, app.state.now)
        try:
            await asyncio.sleep(delay_s)
        finally:
            app.state.now -= 1
        return Response(json.dumps({"answer": "ok"}), media_type="application/json")

    return app
