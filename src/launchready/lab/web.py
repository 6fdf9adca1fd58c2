"""Serve the lab's sites: one uvicorn server per (address, port), all in background event loops.

Each host has its own loopback address, so each HTTPS listener presents exactly one certificate and needs no
SNI routing. Listeners run in two threads, each with its own loop: the hosts that mount the backend, and the
rest. The flawed backend blocks its event loop on purpose (a sync LLM SDK in ``async def``, roadmap stage 5);
in its own loop it slows the API as it would in production, without freezing the docs or the DNS server.
Sockets are bound before the loops start, so a taken port fails ``start()`` at once with a clear error.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
import threading
import time
from dataclasses import dataclass

import uvicorn

from launchready.lab.site_app import Asgi

START_TIMEOUT_S = 10.0
GRACEFUL_SHUTDOWN_S = 1


@dataclass(frozen=True)
class Endpoint:
    """One listener: ``app`` on ``address:port``, with TLS when ``tls`` is given."""

    address: str
    port: int
    app: Asgi
    tls: ssl.SSLContext | None = None
    group: str = "sites"


class _LoopThread:
    """A thread running one event loop with the uvicorn servers of one group."""

    def __init__(self, name: str, endpoints: list[Endpoint], sockets: list[socket.socket]) -> None:
        self.servers = [_server(e) for e in endpoints]
        self.sockets = sockets
        self.loop: asyncio.AbstractEventLoop | None = None
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name=f"lab-web-{name}", daemon=True)

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        self.loop = loop
        try:
            loop.run_until_complete(self._serve())
        except BaseException as exc:  # reported to start() by the main thread
            self.error = exc
        finally:
            loop.close()

    async def _serve(self) -> None:
        await asyncio.gather(
            *(s.serve(sockets=[sock]) for s, sock in zip(self.servers, self.sockets, strict=True))
        )

    @property
    def started(self) -> bool:
        return all(s.started for s in self.servers)

    def request_stop(self) -> None:
        for server in self.servers:
            server.should_exit = True


def _server(endpoint: Endpoint) -> uvicorn.Server:
    config = uvicorn.Config(
        endpoint.app,
        lifespan="off",
        log_config=None,
        log_level="warning",
        access_log=False,
        server_header=False,
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_S,
    )
    config.load()
    config.ssl = endpoint.tls  # our own context: chain, key and minimum version chosen per host
    server = uvicorn.Server(config)
    return server


def bind(address: str, port: int) -> socket.socket:
    """A listening-ready TCP socket on ``address:port`` (raises ``OSError`` when it is taken).

    The protocol is named (``IPPROTO_TCP``, not the default 0) because asyncio turns Nagle off
    (``TCP_NODELAY``) only on accepted sockets whose ``proto`` says TCP, and accepted sockets copy the
    listener's. With proto 0 every response paid a delayed ACK: uvicorn writes the headers and the body
    separately, and Nagle held the body until the client's ACK came, ~40 ms later.
    """
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((address, port))
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(False)
    return sock


class LabWeb:
    """Start and stop every endpoint; ``sockets`` are bound by the caller (``bind``), one per endpoint."""

    def __init__(self, endpoints: list[Endpoint], sockets: list[socket.socket]) -> None:
        groups: dict[str, tuple[list[Endpoint], list[socket.socket]]] = {}
        for endpoint, sock in zip(endpoints, sockets, strict=True):
            bucket = groups.setdefault(endpoint.group, ([], []))
            bucket[0].append(endpoint)
            bucket[1].append(sock)
        self._threads = [_LoopThread(name, eps, socks) for name, (eps, socks) in groups.items()]
        self._sockets = sockets

    def start(self) -> None:
        for worker in self._threads:
            worker.thread.start()
        deadline = time.monotonic() + START_TIMEOUT_S
        while not all(w.started for w in self._threads):
            failed = [w.error for w in self._threads if w.error is not None or not w.thread.is_alive()]
            if failed or time.monotonic() > deadline:
                self.stop()
                reason = failed[0] if failed and failed[0] is not None else "timed out"
                raise RuntimeError(f"lab web servers did not start: {reason!r}")
            time.sleep(0.01)

    def stop(self) -> None:
        for worker in self._threads:
            if worker.loop is not None and worker.thread.is_alive():
                worker.loop.call_soon_threadsafe(worker.request_stop)
        for worker in self._threads:
            if worker.thread.is_alive():
                worker.thread.join(GRACEFUL_SHUTDOWN_S + 5)
        for sock in self._sockets:
            sock.close()
