"""Fixtures for the chat client, red-team and eval tests: a real uvicorn + TLS lab backend per variant and
the run's HTTP client pinned to it (no DNS). Each of those test folders' conftest re-exports them."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

from launchready.lab.backend import FakeLlmSettings, create_app
from launchready.lab.backend.chat_config import API_HOST
from launchready.lab.backend.serve import BackendServer, ssl_server_files
from launchready.lab.variant import LabVariant
from launchready.net import DnsResolver, HttpClient, Limits

QUICK = FakeLlmSettings(first_token_s=0.02, inter_token_s=0.005, tokens=8)
"""A quick fake model: the probes judge what is said, not how fast (timing tests set their own)."""

Http = Callable[[BackendServer], AbstractAsyncContextManager[HttpClient]]


@pytest.fixture(scope="session")
def tls_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    return ssl_server_files(tmp_path_factory.mktemp("tls"), (API_HOST,))


@pytest.fixture
def backend(tls_files: tuple[Path, Path, Path]) -> Iterator[Callable[..., BackendServer]]:
    """Start ``create_app(variant, llm)`` over TLS on a random loopback address; stopped after the test."""
    started: list[BackendServer] = []

    def start(variant: LabVariant, llm: FakeLlmSettings | None = QUICK, app: Any = None) -> BackendServer:
        served = app if app is not None else create_app(variant, llm, chat_timeout_s=3.0)
        server = BackendServer(served, certfile=tls_files[1], keyfile=tls_files[2]).start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def http_to(
    tls_files: tuple[Path, Path, Path],
) -> Callable[[BackendServer], AbstractAsyncContextManager[HttpClient]]:
    """``async with http_to(server) as http``: the run's HTTP client with the API host pinned to ``server``."""

    @asynccontextmanager
    async def make(server: BackendServer) -> AsyncIterator[HttpClient]:
        limits = Limits(request_timeout=20.0)
        resolver = DnsResolver(limits, nameserver="127.0.0.1:9")  # never asked: the host is pinned
        async with HttpClient(
            resolver, limits, ca_bundle=str(tls_files[0]), pinned={API_HOST: server.host}
        ) as http:
            yield http

    return make
