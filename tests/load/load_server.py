"""A small real HTTPS server with a known latency and one planned stall, for the load generator tests.

It runs in its own thread and event loop (like a real server, it is not slowed by the generator), on a
random 127.x.y.z address with a trustme certificate for that IP, so route URLs work unchanged.
"""

from __future__ import annotations

import asyncio
import json
import random
import ssl
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import trustme
from aiohttp import web

from launchready.config.model import LaunchConfig

BASE_LATENCY_S = 0.005
"""Every fast answer takes 5 ms."""
STALL_AFTER_S = 1.0
"""The stall starts this long after the server's first request..."""
STALL_S = 1.0
"""...and holds every answer until it ends."""
TOKENS = ("Hello", " there", ",", " friend", ".")
FIRST_TOKEN_DELAY_S = 0.3
"""The chat sends a keep-alive comment at once, then its first token after this delay."""
TOKEN_GAP_S = 0.05


@dataclass
class LoadServer:
    address: str
    port: int
    ca_bundle: str
    requests: int = 0
    tls: bool = True
    connections: int = 0
    """TCP connections accepted so far (to check the generator's pool bound)."""

    def config(self, **load: object) -> LaunchConfig:
        return LaunchConfig.model_validate(
            {
                "product": {"name": "Load test", "domain": "loadtest.test"},
                "network": (
                    {"https_port": self.port} if self.tls else {"http_port": self.port, "scheme": "http"}
                ),
                "routes": [
                    {
                        "name": "login",
                        "role": "login",
                        "method": "POST",
                        "host": self.address,
                        "path": "/login",
                        "body": {"email": "a@b.test", "password": "pw"},
                    },
                    {"name": "fast", "host": self.address, "path": "/fast", "weight": 1},
                    {"name": "steady", "host": self.address, "path": "/steady", "weight": 0},
                    {"name": "me", "host": self.address, "path": "/me", "needs_auth": True, "weight": 0},
                    {"name": "broken", "host": self.address, "path": "/broken", "weight": 0},
                    {
                        "name": "chat",
                        "role": "chat",
                        "method": "POST",
                        "host": self.address,
                        "path": "/chat",
                        "weight": 0,
                    },
                ],
                "targets": {"p95_ms": 200, "chat_timeout_s": 5, "error_rate": 0.01},
                "load": {"routes": ["fast"], **load},
            }
        )


def _app(server: LoadServer) -> web.Application:
    stall: dict[str, float] = {}

    async def fast(request: web.Request) -> web.Response:
        server.requests += 1
        now = time.monotonic()
        start = stall.setdefault("start", now + STALL_AFTER_S)
        if start <= now < start + STALL_S:
            await asyncio.sleep(start + STALL_S - now)
        await asyncio.sleep(BASE_LATENCY_S)
        return web.Response(text="ok")

    async def steady(request: web.Request) -> web.Response:
        await asyncio.sleep(BASE_LATENCY_S)
        return web.Response(text="ok")

    async def login(request: web.Request) -> web.Response:
        return web.json_response({"token": "tok-123"})

    async def me(request: web.Request) -> web.Response:
        ok = request.headers.get("Authorization") == "Bearer tok-123"
        return web.json_response({"me": "a"}, status=200 if ok else 401)

    async def broken(request: web.Request) -> web.Response:
        return web.Response(status=503 if random.random() < 0.5 else 200)

    async def chat(request: web.Request) -> web.StreamResponse:
        await request.json()
        if request.headers.get("Accept") == "application/json":
            await asyncio.sleep(FIRST_TOKEN_DELAY_S)
            return web.json_response({"answer": "".join(TOKENS)})
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
        await response.prepare(request)
        await response.write(b": keep-alive\n\n")
        await response.write(b'data: {"delta": ""}\n\n')  # an empty fragment is not a first token
        await asyncio.sleep(FIRST_TOKEN_DELAY_S)
        for token in TOKENS:
            await response.write(f"data: {json.dumps({'delta': token})}\n\n".encode())
            await asyncio.sleep(TOKEN_GAP_S)
        await response.write(b"data: [DONE]\n\n")
        return response

    async def chunked(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse()
        response.enable_chunked_encoding()
        await response.prepare(request)
        for part in (b"one ", b"two ", b"three"):
            await response.write(part)
        await response.write_eof()
        return response

    async def close(request: web.Request) -> web.Response:
        return web.Response(text="bye", headers={"Connection": "close"})

    async def slow(request: web.Request) -> web.Response:
        await asyncio.sleep(3)
        return web.Response(text="late")

    app = web.Application()
    app.router.add_get("/chunked", chunked)
    app.router.add_get("/close", close)
    app.router.add_get("/slow", slow)
    app.router.add_get("/fast", fast)
    app.router.add_get("/steady", steady)
    app.router.add_post("/login", login)
    app.router.add_get("/me", me)
    app.router.add_get("/broken", broken)
    app.router.add_post("/chat", chat)
    return app


@contextmanager
def running_load_server(tmp_path: Path, *, tls: bool = True) -> Iterator[LoadServer]:
    """Start the server in its own thread (plain HTTP when not ``tls``); stop it (and its loop) on exit."""
    address = f"127.{random.randint(1, 254)}.{random.randint(0, 255)}.{random.randint(1, 254)}"
    ca = trustme.CA()
    cert = ca.issue_cert(address)
    ca_path = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_path))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(context)
    server = LoadServer(address=address, port=0, ca_bundle=str(ca_path), tls=tls)
    loop = asyncio.new_event_loop()
    ready = threading.Event()
    runner = web.AppRunner(_app(server), access_log=None)

    listeners: list[asyncio.Server] = []

    async def start() -> None:
        await runner.setup()
        handler = runner.server
        assert handler is not None

        def counting() -> asyncio.BaseProtocol:
            server.connections += 1  # every accepted connection, to check the generator's pool bound
            return handler()

        listener = await asyncio.get_running_loop().create_server(
            counting, address, 0, ssl=context if tls else None, backlog=1024
        )
        listeners.append(listener)
        server.port = listener.sockets[0].getsockname()[1]
        ready.set()

    async def stop() -> None:
        for listener in listeners:
            listener.close()
        await runner.cleanup()

    thread = threading.Thread(
        target=lambda: (loop.run_until_complete(start()), loop.run_forever()), daemon=True
    )
    thread.start()
    assert ready.wait(10), "load test server did not start"
    try:
        yield server
    finally:
        asyncio.run_coroutine_threadsafe(stop(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()
