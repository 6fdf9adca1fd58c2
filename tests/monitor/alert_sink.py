"""A loopback alert receiver for Apprise's ``json://`` channel: records each alert, and can refuse them
(HTTP 503) while "down", to test retries and the outbox."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class AlertSink:
    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.refused = 0
        self.down = False
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                if sink.down:
                    sink.refused += 1
                    self.send_response(503)
                else:
                    sink.received.append(json.loads(body or b"{}"))
                    self.send_response(200)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"json://127.0.0.1:{self.server.server_address[1]}/alerts"

    def titles(self) -> list[str]:
        return [str(item.get("title", "")) for item in self.received]

    def __enter__(self) -> AlertSink:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
