"""A lean HTTP/1.1 keep-alive client for the plain (non-chat) requests of a load run.

Hand-written on purpose: a general client (aiohttp) spends ~200 µs of Python per request on things a load
generator does not need (cookie jars, redirect logic, header objects, per-request timers), which caps one
core at ~4k requests/s — below the rates we must generate to test a launch. Here each step's request bytes
are built once; a response is parsed only for its status, ``Content-Length`` / ``chunked`` framing (RFC 9112
§6) and ``Connection: close``; timeouts are enforced by one sweeper for all connections, not a timer per
request. Chat streams, which need real SSE parsing, still go through aiohttp (``sender.py``).

Names resolve through launchready's resolver once per run (like wrk), TLS uses the run's CA bundle with
SNI and certificate checks on the real host name. Errors are the ``launchready.net`` kinds.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import ssl
import time
from collections.abc import Iterable, Mapping
from urllib.parse import urlsplit

from launchready.load.pool import PoolKey, Pools
from launchready.load.results import ConnectionStats
from launchready.load.scenario import Step
from launchready.load.sender import Outcome
from launchready.net.errors import ConnectError, HttpProtocolError, HttpTimeout, NetError

_MAX_HEAD = 64 * 1024
_SWEEP_S = 0.1
_NO_BODY = frozenset({204, 304})


class _Response:
    __slots__ = ("close", "first_byte", "status")

    def __init__(self, status: int, close: bool, first_byte: float) -> None:
        self.status, self.close, self.first_byte = status, close, first_byte


class _Connection(asyncio.Protocol):
    """One keep-alive connection: at most one request at a time."""

    def __init__(self, max_body: int) -> None:
        self.transport: asyncio.Transport | None = None
        self.buffer = bytearray()
        self.waiter: asyncio.Future[_Response] | None = None
        self.deadline = 0.0
        self.lost = False
        self.used = False
        self.head_only = False
        self._max_body = max_body
        self._first_byte = 0.0
        self._status = 0
        self._close = False
        self._body_left = -1  # -1: headers not read yet; -2: chunked; -3: read until close
        self._skipped = 0

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def connection_lost(self, exc: Exception | None) -> None:
        self.lost = True
        if self.waiter is not None and not self.waiter.done():
            if self._body_left == -3 and self._status:
                self.waiter.set_result(_Response(self._status, True, self._first_byte))
            else:
                self.waiter.set_exception(ConnectError(f"connection closed: {exc or 'by the server'}"))

    def send(self, payload: bytes, deadline: float, head_only: bool) -> asyncio.Future[_Response]:
        assert self.transport is not None
        self.waiter = asyncio.get_running_loop().create_future()
        self.deadline, self.head_only, self.used = deadline, head_only, True
        self.buffer.clear()
        self._first_byte, self._status, self._close, self._body_left, self._skipped = 0.0, 0, False, -1, 0
        self.transport.write(payload)
        return self.waiter

    def data_received(self, data: bytes) -> None:
        if self.waiter is None or self.waiter.done():
            return
        if not self._first_byte:
            self._first_byte = time.monotonic()
        self.buffer += data
        try:
            self._advance()
        except HttpProtocolError as exc:
            self.waiter.set_exception(exc)
            if self.transport is not None:
                self.transport.abort()

    def _advance(self) -> None:
        buffer = self.buffer
        if self._body_left == -1:
            end = buffer.find(b"\r\n\r\n")
            if end < 0:
                if len(buffer) > _MAX_HEAD:
                    raise HttpProtocolError("response headers too large")
                return
            self._read_head(bytes(buffer[:end]))
            del buffer[: end + 4]
        if self._body_left >= 0:
            take = min(len(buffer), self._body_left)
            del buffer[:take]
            self._body_left -= take
            if self._body_left == 0:
                self._finish()
        elif self._body_left == -2:
            self._read_chunks()
        elif self._body_left == -3:
            self._skipped += len(buffer)
            buffer.clear()
            if self._skipped > self._max_body:
                raise HttpProtocolError("body larger than the cap")

    def _read_head(self, head: bytes) -> None:
        if not head.startswith(b"HTTP/1.") or len(head) < 12 or not head[9:12].isdigit():
            raise HttpProtocolError(f"not an HTTP/1.x response: {head[:40]!r}")
        self._status = int(head[9:12])
        lower = head.lower()  # header names are case-insensitive (RFC 9110 §5.1); searching beats splitting
        length_value = _header_value(lower, b"content-length")
        length = int(length_value) if length_value else None
        chunked = b"chunked" in (_header_value(lower, b"transfer-encoding") or b"")
        self._close = b"close" in (_header_value(lower, b"connection") or b"") or head.startswith(b"HTTP/1.0")
        if self.head_only or self._status in _NO_BODY or 100 <= self._status < 200:
            self._body_left = 0
        elif chunked:
            self._body_left = -2
        elif length is not None:
            if length > self._max_body:
                raise HttpProtocolError("body larger than the cap")
            self._body_left = length
        else:
            self._body_left, self._close = -3, True

    def _read_chunks(self) -> None:
        buffer = self.buffer
        while True:
            line_end = buffer.find(b"\r\n")
            if line_end < 0:
                return
            size = int(bytes(buffer[:line_end]).split(b";")[0].strip() or b"0", 16)
            if size == 0:
                if buffer.find(b"\r\n\r\n", line_end) < 0:
                    return  # the trailer section (usually empty) has not fully arrived
                buffer.clear()
                self._finish()
                return
            if len(buffer) < line_end + 2 + size + 2:
                return
            self._skipped += size
            if self._skipped > self._max_body:
                raise HttpProtocolError("body larger than the cap")
            del buffer[: line_end + 2 + size + 2]

    def _finish(self) -> None:
        assert self.waiter is not None
        self._body_left = -1
        self.waiter.set_result(_Response(self._status, self._close, self._first_byte))


def _header_value(lower_head: bytes, name: bytes) -> bytes | None:
    """The value of the first ``name`` header in a lower-cased response head, stripped; None when absent."""
    start = lower_head.find(b"\r\n" + name + b":")
    if start < 0:
        return None
    start += len(name) + 3
    end = lower_head.find(b"\r\n", start)
    return lower_head[start : end if end >= 0 else None].strip()


class FastPath:
    """Bounded keep-alive pools per (address, port, TLS) for plain requests; one sweeper enforces timeouts.

    ``addresses`` maps each host name of the scenario to the address launchready's resolver gave it, or to
    ``""`` when it did not resolve (those requests fail as ``DnsError``; the system resolver is never used).
    ``pool_size`` bounds the connections per host (``launchready.load.pool``); ``prefill`` opens them before
    the run so connection set-up is not measured as the server's latency.
    """

    def __init__(
        self,
        addresses: Mapping[str, str],
        ssl_context: ssl.SSLContext,
        timeout_s: float,
        max_body: int = 1 << 20,
        pool_size: int = 64,
        ceiling: int | None = None,
    ) -> None:
        self._addresses = dict(addresses)
        self._timeout = timeout_s
        self._max_body = max_body
        self._pools: Pools[_Connection] = Pools(
            lambda: _Connection(max_body), ssl_context, pool_size, ceiling
        )
        self._busy: set[_Connection] = set()
        self._prepared_steps: dict[tuple[str, str | None], tuple[PoolKey | None, bytes]] = {}
        self._sweeper: asyncio.Task[None] | None = None

    @property
    def pool_size(self) -> int:
        return self._pools.limit

    async def __aenter__(self) -> FastPath:
        self._sweeper = asyncio.create_task(self._sweep())
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._sweeper is not None:
            self._sweeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._sweeper
        self._pools.close()

    async def prefill(self, steps: Iterable[Step], timeout_s: float = 10.0) -> None:
        """Open the pool of every host the plain steps go to, before the run starts."""
        keys = {key for step in steps if not step.is_chat for key in [self._prepared(step, None)[0]] if key}
        for key in keys:
            await self._pools.prefill(key, timeout_s)

    def stats(self) -> ConnectionStats | None:
        """Connections opened and their set-up time, apart from request latency (None: none opened)."""
        return self._pools.stats()

    async def _sweep(self) -> None:
        while True:
            await asyncio.sleep(_SWEEP_S)
            now = time.monotonic()
            for connection in [c for c in self._busy if c.deadline < now]:
                if connection.waiter is not None and not connection.waiter.done():
                    connection.waiter.set_exception(HttpTimeout("no complete response in time"))
                if connection.transport is not None:
                    connection.transport.abort()

    def _prepared(self, step: Step, token: str | None) -> tuple[PoolKey | None, bytes]:
        """The pool key (None when the host did not resolve) and request bytes of a step, built once."""
        auth = token if step.needs_auth else None
        cached = self._prepared_steps.get((step.name, auth))
        if cached is None:
            parts = urlsplit(step.url)
            host = parts.hostname or ""
            tls = parts.scheme == "https"
            address = self._addresses.get(host, host)
            key = (address, parts.port or (443 if tls else 80), tls, host) if address else None
            cached = self._prepared_steps[(step.name, auth)] = (key, build_request(step, auth))
        return cached

    async def send(self, step: Step, token: str | None) -> Outcome:
        outcome = Outcome(sent=time.monotonic())
        key, payload = self._prepared(step, token)
        if key is None:
            outcome.error, outcome.ended = "DnsError", time.monotonic()
            return outcome
        deadline = outcome.sent + self._timeout
        for attempt in range(2):
            try:
                connection = await self._pools.acquire(key, deadline)
            except NetError as exc:
                outcome.error = "timeout" if isinstance(exc, HttpTimeout) else type(exc).__name__
                break
            self._busy.add(connection)
            reused = connection.used
            try:
                response = await connection.send(payload, deadline, step.method == "HEAD")
            except NetError as exc:
                self._busy.discard(connection)
                self._pools.release(key, connection, reusable=False)
                if reused and attempt == 0 and not connection.buffer and not isinstance(exc, HttpTimeout):
                    continue  # a kept-alive connection the server had closed: retry once on a new one
                outcome.error = "timeout" if isinstance(exc, HttpTimeout) else type(exc).__name__
                break
            self._busy.discard(connection)
            outcome.status, outcome.first_byte = response.status, response.first_byte
            self._pools.release(key, connection, reusable=not (response.close or connection.lost))
            break
        outcome.ended = time.monotonic()
        return outcome


def build_request(step: Step, token: str | None) -> bytes:
    """The exact bytes of one request (RFC 9112 §3): built once per step and reused for every send."""
    parts = urlsplit(step.url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    default_port = 443 if parts.scheme == "https" else 80
    host = parts.hostname or ""
    authority = host if parts.port in (None, default_port) else f"{host}:{parts.port}"
    headers = {"Host": authority, "User-Agent": "launchready-load", "Accept": "*/*"}
    headers.update(step.headers)
    body = step.body or b""
    if step.json_body is not None:
        body = json.dumps(step.json_body).encode()
        headers.setdefault("Content-Type", "application/json")
    if body or step.method in ("POST", "PUT", "PATCH"):
        headers["Content-Length"] = str(len(body))
    if token:
        headers["Authorization"] = f"Bearer {token}"
    head = (
        f"{step.method} {target} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
    )
    return head.encode("latin-1") + body
