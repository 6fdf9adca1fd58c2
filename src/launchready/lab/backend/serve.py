"""Serve a backend app with uvicorn on a loopback address, in a thread with its own event loop.

A thread, not a task in the caller's loop: the flawed backend blocks its event loop on purpose (a sync LLM
SDK in ``async def``), and a probe sharing that loop would be frozen with it and could not measure it.
Graceful shutdown is capped at one second, so a stalled chat stream never holds a test open.
"""

from __future__ import annotations

import random
import threading
import time
from pathlib import Path
from types import TracebackType

import uvicorn
from starlette.types import ASGIApp

START_TIMEOUT_S = 10.0


def random_loopback() -> str:
    """A random 127.x.y.z address (never 127.0.0.1), so parallel labs and tests do not collide."""
    return f"127.{random.randint(1, 254)}.{random.randint(0, 255)}.{random.randint(1, 254)}"


class BackendServer:
    """``with BackendServer(app) as server:`` → ``server.host``, ``server.port``, ``server.base_url``."""

    def __init__(
        self,
        app: ASGIApp,
        host: str | None = None,
        port: int = 0,
        certfile: Path | None = None,
        keyfile: Path | None = None,
    ) -> None:
        self.host = host or random_loopback()
        self._config = uvicorn.Config(
            app,
            host=self.host,
            port=port,
            log_level="warning",
            lifespan="off",
            access_log=False,
            timeout_graceful_shutdown=1,
            ssl_certfile=str(certfile) if certfile else None,
            ssl_keyfile=str(keyfile) if keyfile else None,
        )
        self._server = uvicorn.Server(self._config)
        self._thread: threading.Thread | None = None
        self.port = port
        self.tls = certfile is not None

    @property
    def base_url(self) -> str:
        return f"{'https' if self.tls else 'http'}://{self.host}:{self.port}"

    def start(self) -> BackendServer:
        self._thread = threading.Thread(target=self._server.run, name=f"backend-{self.host}", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + START_TIMEOUT_S
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"the backend did not start on {self.host}:{self._config.port}")
            time.sleep(0.01)
        sockets = [sock for server in self._server.servers for sock in (server.sockets or ())]
        self.port = int(sockets[0].getsockname()[1])
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> BackendServer:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def ssl_server_files(directory: Path, hostnames: tuple[str, ...]) -> tuple[Path, Path, Path]:
    """A throwaway CA and a server certificate for ``hostnames``: (ca.pem, cert.pem, key.pem)."""
    import trustme

    ca = trustme.CA()
    cert = ca.issue_cert(*hostnames)
    paths = directory / "ca.pem", directory / "server.pem", directory / "server.key"
    ca.cert_pem.write_to_path(str(paths[0]))
    cert.cert_chain_pems[0].write_to_path(str(paths[1]))
    for extra in cert.cert_chain_pems[1:]:
        extra.write_to_path(str(paths[1]), append=True)
    cert.private_key_pem.write_to_path(str(paths[2]))
    return paths
