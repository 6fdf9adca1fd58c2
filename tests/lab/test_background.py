"""BackgroundLoop: a server on its own loop starts, reports a start-up error, and stops."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Callable

import pytest

from launchready.lab.background import BackgroundLoop


def test_serves_until_stopped_then_releases_its_socket() -> None:
    bound: list[int] = []

    async def serve(stopping: asyncio.Event, ready: Callable[[], None]) -> None:
        server = await asyncio.start_server(lambda r, w: w.close(), "127.0.0.1", 0)
        bound.append(server.sockets[0].getsockname()[1])
        ready()
        await stopping.wait()
        server.close()
        await server.wait_closed()

    loop = BackgroundLoop("test-server", serve)
    loop.start()
    with socket.create_connection(("127.0.0.1", bound[0]), timeout=2):
        pass
    loop.stop()
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", bound[0]), timeout=2)


def test_a_start_up_error_reaches_the_caller() -> None:
    async def serve(stopping: asyncio.Event, ready: Callable[[], None]) -> None:
        raise OSError("address already in use")

    loop = BackgroundLoop("failing", serve)
    with pytest.raises(OSError, match="already in use"):
        loop.start()
    loop.stop()


def test_a_server_that_never_gets_ready_times_out() -> None:
    async def serve(stopping: asyncio.Event, ready: Callable[[], None]) -> None:
        await stopping.wait()

    loop = BackgroundLoop("slow", serve)
    with pytest.raises(RuntimeError, match=r"did not start within 0\.2 s"):
        loop.start(timeout_s=0.2)
    loop.stop()
