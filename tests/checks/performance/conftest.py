"""A real uvicorn + TLS backend per variant, and a CheckContext aimed at it (pinned, no DNS)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

from launchready.config.model import LaunchConfig
from launchready.engine.context import CheckContext
from launchready.lab.backend import FakeLlmSettings, create_app
from launchready.lab.backend.serve import BackendServer, ssl_server_files
from launchready.lab.variant import LabVariant
from launchready.net import DnsResolver, HttpClient, Limits, TlsProber

API_HOST = "api.chatbot.test"
SERVER_CHAT_TIMEOUT_S = 1.2
"""The hardened backend's own chat timeout in these tests (the lab's default is 3 s)."""


ROUTES: list[dict[str, Any]] = [
    {"name": "health", "role": "health", "host": "api", "path": "/health"},
    {"name": "login", "role": "login", "host": "api", "method": "POST", "path": "/auth/login"},
    {"name": "chat", "role": "chat", "host": "api", "method": "POST", "path": "/v1/chat"},
    {"name": "models", "host": "api", "path": "/v1/models", "cacheable": True},
]


def probe_config(
    port: int,
    *,
    targets: dict[str, Any] | None = None,
    routes: list[dict[str, Any]] | None = None,
    **performance: Any,
) -> LaunchConfig:
    """The probes' config; ``targets`` are merged over the defaults, ``routes`` replace them."""
    return LaunchConfig.model_validate(
        {
            "product": {"name": "Chatbot", "domain": "chatbot.test"},
            "routes": ROUTES if routes is None else routes,
            "network": {"https_port": port},
            "targets": {"chat_timeout_s": 1.5, **(targets or {})},
            "performance": {
                "stall_prompt": "[[stall]]",
                "flaky_prompt": "[[flaky]]",
                "timeout_margin_s": 1.0,
                "burst_size": 25,
                **performance,
            },
        }
    )


@pytest.fixture(scope="module")
def tls_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    return ssl_server_files(tmp_path_factory.mktemp("tls"), (API_HOST,))


@pytest.fixture
def backend(tls_files: tuple[Path, Path, Path]) -> Iterator[Callable[[LabVariant], BackendServer]]:
    """Start ``create_app(variant)`` over TLS on a random loopback address; stopped after the test."""
    started: list[BackendServer] = []

    def start(variant: LabVariant, llm: FakeLlmSettings | None = None) -> BackendServer:
        app = create_app(variant, llm, chat_timeout_s=SERVER_CHAT_TIMEOUT_S)
        server = BackendServer(app, certfile=tls_files[1], keyfile=tls_files[2]).start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def probe_context(
    tls_files: tuple[Path, Path, Path],
) -> Callable[..., AbstractAsyncContextManager[CheckContext]]:
    """``async with probe_context(server, targets=..., routes=..., **performance) as ctx``: api pinned."""

    @asynccontextmanager
    async def make(
        server: BackendServer,
        *,
        targets: dict[str, Any] | None = None,
        routes: list[dict[str, Any]] | None = None,
        **performance: Any,
    ) -> AsyncIterator[CheckContext]:
        limits = Limits(request_timeout=10.0)
        resolver = DnsResolver(limits, nameserver="127.0.0.1:9")  # never asked: the host is pinned
        ca = str(tls_files[0])
        async with HttpClient(resolver, limits, ca_bundle=ca, pinned={API_HOST: server.host}) as http:
            yield CheckContext(
                config=probe_config(server.port, targets=targets, routes=routes, **performance),
                resolver=resolver,
                http=http,
                tls=TlsProber(resolver, limits, ca),
                limits=limits,
                ca_bundle=ca,
            )

    return make
