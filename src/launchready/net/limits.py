"""Caps for every network operation: a timeout per phase and a size per body (httpx's ``Timeout`` shape)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    dns_timeout: float = 3.0
    """Seconds for one DNS question, across retries."""
    connect_timeout: float = 5.0
    tls_timeout: float = 5.0
    read_timeout: float = 10.0
    """Seconds between two reads of a response."""
    request_timeout: float = 15.0
    """Seconds for one whole request, headers and body: stops a server that trickles a byte a second."""
    max_body_bytes: int = 2 * 1024 * 1024
    """Bytes of a response body kept; the rest is not read (the response is marked truncated)."""
    max_header_bytes: int = 64 * 1024
    max_redirects: int = 5
    max_connections: int = 32
