"""Run ``launchready monitor`` as a real process against loopback HTTP targets: what the kill -9 and the
two-instance PostgreSQL tests need."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any


class TargetServer:
    """Loopback HTTP server answering every path with ``status``; counts requests per path."""

    def __init__(self, status: int = 200) -> None:
        self.status = status
        self.hits: dict[str, int] = {}
        self._lock = threading.Lock()
        target = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                with target._lock:
                    target.hits[self.path] = target.hits.get(self.path, 0) + 1
                body = b"ok\n"
                self.send_response(target.status)
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return int(self.server.server_address[1])

    def __enter__(self) -> TargetServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def write_config(folder: Path, port: int, routes: int, database: str, **monitor: object) -> Path:
    lines = [
        '[product]\nname = "Loopback"\ndomain = "chatbot.test"\n',
        f'[network]\nhttp_port = {port}\nscheme = "http"\n',
    ]
    for i in range(routes):
        lines.append(f'[[routes]]\nname = "r{i}"\nhost = "127.0.0.1"\npath = "/r{i}"\n')
    settings = {"database": database, "listen": "", **monitor}
    lines.append("[monitor]\n" + "".join(f"{k} = {_toml(v)}\n" for k, v in settings.items()))
    path = folder / "launchready.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _toml(value: object) -> str:
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return str(value).lower() if isinstance(value, bool) else str(value)


def start_monitor(config: Path, instance: str, log: Path) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-c", "from launchready.cli.app import main; main()", "monitor",
               "--config", str(config), "--only", "monitor.route", "--instance", instance]  # fmt: skip
    handle = log.open("ab")
    return subprocess.Popen(command, stdout=handle, stderr=handle, env={**os.environ, "NO_COLOR": "1"})


def stop(process: subprocess.Popen[bytes], sig: int = signal.SIGTERM, timeout_s: float = 20) -> int:
    process.send_signal(sig)
    return process.wait(timeout_s)


def wait_for(condition: Callable[[], bool], timeout_s: float, what: str) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout_s:g} s waiting for {what}")
