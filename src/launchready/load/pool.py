"""A bounded, pre-opened keep-alive connection pool for the fast path, with TLS session resumption.

Why pre-opened: an open-model run at thousands of requests/s whose first answers are not back yet would
open one connection per arrival (459 TLS handshakes in the first second at 3,000/s), and the run's first
second then measures the *client's* handshakes, not the server. wrk opens a fixed set of connections before
it starts; so does this pool: ``prefill`` opens ``limit`` connections per host before t=0.

Past ``limit``, two behaviours, because two questions are asked of a load test:
- ``ceiling == limit`` (``--connections N``, wrk2's ``-c``): a hard bound. A request that finds every
  connection busy waits for the next one (its wait stays in its latency, which runs from the intended send
  time, and the wait is counted). Right for "how fast can this server go on N connections".
- ``ceiling > limit`` (the default): when a stalled server holds every pooled connection, new ones open up
  to the ceiling (the in-flight cap), as real users' browsers would, so every request still reaches the
  server on schedule and the server's own view of the stall matches the report's. Each is counted as
  opened during the run, and its set-up time is reported apart.

Why resume TLS sessions: a full handshake costs the client ~1 ms of CPU; a resumed one a fraction of that.
The first connection's session (a TLS 1.3 ticket arrives just after the handshake) is offered by every
later connection to that host. ``ssl.SSLContext`` has no per-connection session hook in asyncio, so
``ResumingContext.wrap_bio`` (which asyncio's SSL transport calls) puts the stored session in.

Connection set-up is timed apart (``connect`` histogram): it is reported beside the latencies, never
silently inside them.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import ssl
import time
from collections import deque
from collections.abc import Callable
from typing import Generic, Protocol, TypeVar, cast

from hdrh.histogram import HdrHistogram

from launchready.load.recorder import new_histogram, record_s, summarize
from launchready.load.results import ConnectionStats
from launchready.net.errors import HttpTimeout, NetError
from launchready.net.http import translate_error

PoolKey = tuple[str, int, bool, str]
"""Connections are pooled by (address, port, TLS, host name for SNI)."""
LATENCY_GUESS_S = 0.05
"""The latency assumed when sizing the pool without a measured one."""
_PREFILL_BATCH = 32
"""Connections opened at once while pre-opening (a burst of handshakes is what the pool avoids)."""


class PooledConnection(Protocol):
    transport: asyncio.Transport | None
    lost: bool


C = TypeVar("C", bound=PooledConnection)


def pool_size(rate: float | None, users: int | None, latency_s: float, cap: int) -> int:
    """Connections per host: Little's law (rate times latency) with twice the headroom and a floor, under the cap.

    Closed model: one per user (a user never has two requests out).
    """
    if users is not None:
        return max(1, min(users, cap))
    wanted = math.ceil((rate or 1.0) * max(latency_s, 0.005) * 2) + 4
    return max(1, min(wanted, cap))


class ResumingContext(ssl.SSLContext):
    """A client context that offers the last session it saw for a host name (TLS resumption)."""

    sessions: dict[str, ssl.SSLSession]

    def wrap_bio(  # the same call, with the stored session filled in when one is known
        self,
        incoming: ssl.MemoryBIO,
        outgoing: ssl.MemoryBIO,
        server_side: bool = False,
        server_hostname: str | bytes | None = None,
        session: ssl.SSLSession | None = None,
    ) -> ssl.SSLObject:
        if session is None and isinstance(server_hostname, str):
            session = self.sessions.get(server_hostname)
        return super().wrap_bio(incoming, outgoing, server_side, server_hostname, session)


def resuming_context(ca_bundle: str | None = None) -> ResumingContext:
    """Like ``launchready.net.http.fresh_ssl_context`` (system CAs plus the bundle), resuming sessions."""
    context = ResumingContext(ssl.PROTOCOL_TLS_CLIENT)
    context.sessions = {}
    context.load_default_certs(ssl.Purpose.SERVER_AUTH)
    if ca_bundle:
        context.load_verify_locations(cafile=ca_bundle)
    return context


class Pools(Generic[C]):
    """``limit`` connections per key pre-opened, at most ``ceiling``; waiters are served in order."""

    def __init__(
        self, factory: Callable[[], C], ssl_context: ssl.SSLContext, limit: int, ceiling: int | None = None
    ) -> None:
        self._factory = factory
        self._ssl = ssl_context
        self.limit = limit
        self.ceiling = max(limit, ceiling or limit)
        self._idle: dict[PoolKey, list[C]] = {}
        self._open: dict[PoolKey, int] = {}
        self._waiters: dict[PoolKey, deque[asyncio.Future[C | None]]] = {}
        self.connect: HdrHistogram = new_histogram()
        self.opened = 0
        self.pre_opened = 0
        self.resumed = 0
        self.waited = 0

    async def prefill(self, key: PoolKey, timeout_s: float) -> None:
        """Open ``limit`` connections before the run: the first alone (its TLS session is then reused)."""
        deadline = time.monotonic() + timeout_s
        try:
            first = await self._open_counted(key, deadline)
        except NetError:
            return  # the run will record the failure on each request, where it belongs
        if key[2]:
            await self._await_session(first, key[3])
        self._put_idle(key, first)
        self.pre_opened += 1
        while self._open.get(key, 0) < self.limit:
            batch = min(_PREFILL_BATCH, self.limit - self._open.get(key, 0))
            opened = await asyncio.gather(
                *(self._open_counted(key, deadline) for _ in range(batch)), return_exceptions=True
            )
            for connection in opened:
                if isinstance(connection, BaseException):
                    return
                self._put_idle(key, connection)
                self.pre_opened += 1

    async def acquire(self, key: PoolKey, deadline: float) -> C:
        """An idle connection, a new one while under the limit, or the next one released."""
        waited = False
        while True:
            idle = self._idle.get(key)
            while idle:
                connection = idle.pop()
                if not connection.lost:
                    return connection
                self._open[key] -= 1
            if self._open.get(key, 0) < max(self.limit, self.ceiling):
                return await self._open_counted(key, deadline)
            if not waited:
                waited = True
                self.waited += 1
            future: asyncio.Future[C | None] = asyncio.get_running_loop().create_future()
            queue = self._waiters.setdefault(key, deque())
            queue.append(future)
            try:
                async with asyncio.timeout(max(0.0, deadline - time.monotonic())):
                    handed = await future
            except TimeoutError:
                with contextlib.suppress(ValueError):
                    queue.remove(future)
                if future.done() and not future.cancelled() and (late := future.result()) is not None:
                    self.release(key, late, reusable=True)  # handed over just as the wait ran out
                elif future.done() and not future.cancelled():
                    self._wake_one(key)  # the freed slot goes to the next waiter
                raise HttpTimeout("no pooled connection came free in time") from None
            if handed is not None and not handed.lost:
                return handed
            if handed is not None:
                self._open[key] -= 1

    def release(self, key: PoolKey, connection: C, reusable: bool) -> None:
        """Hand a connection to the next waiter (or back to idle); a dead one frees its slot."""
        if key[2] and reusable and connection.transport is not None:
            self._remember_session(connection.transport, key[3])
        queue = self._waiters.get(key)
        if not reusable or connection.lost:
            if connection.transport is not None:
                connection.transport.close()
            self._open[key] -= 1
            self._wake_one(key)
            return
        while queue:
            waiter = queue.popleft()
            if not waiter.done():
                waiter.set_result(connection)
                return
        self._put_idle(key, connection)

    def close(self) -> None:
        for idle in self._idle.values():
            for connection in idle:
                if connection.transport is not None:
                    connection.transport.close()
        self._idle.clear()

    def stats(self) -> ConnectionStats | None:
        if not self.opened:
            return None
        return ConnectionStats(
            pool_size=self.limit,
            ceiling=self.ceiling,
            opened=self.opened,
            pre_opened=self.pre_opened,
            connect=summarize(self.connect),
            tls_resumed=self.resumed,
            waited_for_connection=self.waited,
        )

    def _wake_one(self, key: PoolKey) -> None:
        """A slot came free: the first waiter opens its own connection."""
        queue = self._waiters.get(key)
        while queue:
            waiter = queue.popleft()
            if not waiter.done():
                waiter.set_result(None)
                return

    def _put_idle(self, key: PoolKey, connection: C) -> None:
        self._idle.setdefault(key, []).append(connection)

    async def _open_counted(self, key: PoolKey, deadline: float) -> C:
        """Open one connection, holding its slot in the count while it opens (so the limit holds)."""
        self._open[key] = self._open.get(key, 0) + 1
        try:
            connection = await self._open_one(key, deadline)
        except BaseException:
            self._open[key] -= 1
            raise
        return connection

    async def _open_one(self, key: PoolKey, deadline: float) -> C:
        address, port, tls, host = key
        began = time.monotonic()
        try:
            async with asyncio.timeout(max(0.001, deadline - began)):
                transport, protocol = await asyncio.get_running_loop().create_connection(
                    cast("Callable[[], asyncio.Protocol]", self._factory),
                    address,
                    port,
                    ssl=self._ssl if tls else None,
                    server_hostname=host if tls else None,
                )
        except TimeoutError:
            raise HttpTimeout("connect/TLS handshake did not finish in time") from None
        except (OSError, ssl.SSLError) as exc:
            raise translate_error(exc, host) from None
        record_s(self.connect, time.monotonic() - began)
        self.opened += 1
        ssl_object = transport.get_extra_info("ssl_object")
        if isinstance(ssl_object, ssl.SSLObject) and ssl_object.session_reused:
            self.resumed += 1
        return cast("C", protocol)

    async def _await_session(self, connection: C, host: str, wait_s: float = 0.05) -> None:
        """A TLS 1.3 ticket comes just after the handshake: give it a moment, then keep the session."""
        until = time.monotonic() + wait_s
        while connection.transport is not None and time.monotonic() < until:
            if self._remember_session(connection.transport, host):
                return
            await asyncio.sleep(0.005)

    def _remember_session(self, transport: asyncio.Transport, host: str) -> bool:
        sessions = getattr(self._ssl, "sessions", None)
        if not isinstance(sessions, dict) or host in sessions:
            return isinstance(sessions, dict)
        ssl_object = transport.get_extra_info("ssl_object")
        session = ssl_object.session if isinstance(ssl_object, ssl.SSLObject) else None
        if session is not None and session.has_ticket:
            sessions[host] = session
            return True
        return False
