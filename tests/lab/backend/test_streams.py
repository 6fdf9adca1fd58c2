"""Streaming behaviour over a real uvicorn server: stalls, timeouts and disconnects leave nothing running."""

from __future__ import annotations

import asyncio
import time

import aiohttp

from launchready.lab.backend import create_app
from launchready.lab.backend.serve import BackendServer
from launchready.lab.variant import LabVariant


async def _wait_until(condition: object, timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        await asyncio.sleep(0.05)
    return False


async def test_a_client_leaving_a_stalled_stream_stops_the_generation() -> None:
    app = create_app(LabVariant.FLAWED)
    with BackendServer(app) as server:
        async with aiohttp.ClientSession() as session:
            response = await session.post(f"{server.base_url}/v1/chat", json={"message": "[[stall]]"})
            assert response.status == 200
            first = await asyncio.wait_for(response.content.readuntil(b"\n\n"), timeout=5)
            assert first == b": keep-alive\n\n"  # the flawed stream stays open, sending keep-alives
            assert app.state.llm.active_streams == 1
            response.close()  # the user closes the tab
        assert await _wait_until(lambda: app.state.llm.active_streams == 0)


async def test_hardened_stream_is_cut_at_the_timeout() -> None:
    app = create_app(LabVariant.HARDENED, chat_timeout_s=0.5)
    with BackendServer(app) as server:
        async with aiohttp.ClientSession() as session:
            started = time.monotonic()
            async with session.post(f"{server.base_url}/v1/chat", json={"message": "[[stall]]"}) as response:
                text = await asyncio.wait_for(response.text(), timeout=5)
            elapsed = time.monotonic() - started
        assert "event: error" in text
        assert elapsed < 3
        assert await _wait_until(lambda: app.state.llm.active_streams == 0)


async def test_health_answers_while_a_hardened_chat_stalls() -> None:
    app = create_app(LabVariant.HARDENED, chat_timeout_s=5)
    with BackendServer(app) as server:
        async with aiohttp.ClientSession() as session:
            stalled = asyncio.ensure_future(
                session.post(f"{server.base_url}/v1/chat", json={"message": "[[stall]]"})
            )
            await asyncio.sleep(0.2)
            async with session.get(f"{server.base_url}/health") as health:
                assert health.status == 200
            stalled.cancel()
            await asyncio.gather(stalled, return_exceptions=True)
