"""The lean HTTP/1.1 client: framing (length, chunked, close), keep-alive reuse, retry, timeout, errors."""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from collections.abc import AsyncIterator

import pytest
from load_server import LoadServer

from launchready.load.fastpath import FastPath, build_request
from launchready.load.scenario import Step
from launchready.net.http import make_ssl_context


def step(server: LoadServer, path: str, **kw: object) -> Step:
    return Step(
        name=path, method="GET", url=f"https://{server.address}:{server.port}{path}", host="", path=path, **kw
    )  # type: ignore[arg-type]


@pytest.fixture
async def fast(load_server: LoadServer) -> AsyncIterator[FastPath]:
    async with FastPath({}, make_ssl_context(load_server.ca_bundle), timeout_s=0.5) as client:
        yield client


async def test_content_length_chunked_and_close_framing(load_server: LoadServer, fast: FastPath) -> None:
    for path in ("/fast", "/chunked", "/close", "/chunked", "/close"):
        outcome = await fast.send(step(load_server, path), None)
        assert (outcome.status, outcome.error) == (200, None), path
        assert outcome.first_byte is not None and outcome.sent <= outcome.first_byte <= outcome.ended


async def test_auth_token_goes_only_to_routes_that_need_it(load_server: LoadServer, fast: FastPath) -> None:
    assert (await fast.send(step(load_server, "/me", needs_auth=True), "tok-123")).status == 200
    assert (await fast.send(step(load_server, "/me"), "tok-123")).status == 401
    request = build_request(step(load_server, "/me", needs_auth=True), "tok-123")
    assert request.startswith(b"GET /me HTTP/1.1\r\n") and b"Authorization: Bearer tok-123\r\n" in request


async def test_a_slow_answer_times_out(load_server: LoadServer, fast: FastPath) -> None:
    outcome = await fast.send(step(load_server, "/slow"), None)
    assert outcome.error == "timeout" and outcome.status is None


async def test_tls_with_an_untrusted_certificate_is_a_tls_error(load_server: LoadServer) -> None:
    async with FastPath({}, ssl.create_default_context(), timeout_s=2) as client:
        outcome = await client.send(step(load_server, "/fast"), None)
    assert outcome.error == "TlsError"


async def test_an_unresolved_host_fails_as_dns_error_without_the_system_resolver() -> None:
    unresolved = Step(name="x", method="GET", url="http://nowhere.test/", host="", path="/")
    async with FastPath({"nowhere.test": ""}, ssl.create_default_context(), timeout_s=1) as client:
        outcome = await client.send(unresolved, None)
    assert outcome.error == "DnsError"


@contextlib.asynccontextmanager
async def one_answer_per_connection() -> AsyncIterator[tuple[str, int, list[int]]]:
    """A raw server that answers one keep-alive request per connection, then silently hangs up."""
    connections: list[int] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections.append(1)
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    async with server:
        yield "127.0.0.1", port, connections


async def test_a_kept_alive_connection_closed_by_the_server_is_retried_once() -> None:
    async with one_answer_per_connection() as (host, port, connections):
        plain = Step(name="p", method="GET", url=f"http://{host}:{port}/", host="", path="/")
        async with FastPath({}, ssl.create_default_context(), timeout_s=2) as client:
            first = await client.send(plain, None)
            await asyncio.sleep(0.05)  # the server has hung up on the idle connection by now
            second = await client.send(plain, None)
    assert (first.status, second.status, second.error) == (200, 200, None)
    assert len(connections) == 2
