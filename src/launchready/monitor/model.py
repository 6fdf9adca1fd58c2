"""What one run of one monitor check observed: the typed record every other part of the monitor reads.

A check is *up*, *degraded* (answered correctly but slower than its target — the state Gatus lacks), *down*
(wrong answer, no answer, expired certificate, weakened email authentication) or *unknown* (the monitor
could not tell: nothing configured to compare with, a heartbeat never seen). Unknown never alerts and never
counts as uptime.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any


class CheckKind(enum.StrEnum):
    ROUTE = "route"
    CHAT = "chat"
    TLS = "tls"
    EMAIL = "email"
    HEARTBEAT = "heartbeat"
    LOGS = "logs"


class CheckState(enum.StrEnum):
    UP = "up"
    DEGRADED = "degraded"
    DOWN = "down"
    UNKNOWN = "unknown"

    @property
    def failing(self) -> bool:
        return self is CheckState.DOWN


@dataclass(frozen=True)
class MonitorCheck:
    """A check the monitor schedules: stable ``check_id`` (``route:health``), what it targets, how often."""

    check_id: str
    kind: CheckKind
    name: str
    target: str
    interval_s: float
    spec: dict[str, Any] = field(default_factory=dict)
    """Kind-specific settings (route conditions, heartbeat period...), JSON-serialisable."""


@dataclass(frozen=True)
class CheckResult:
    check_id: str
    kind: CheckKind
    target: str
    state: CheckState
    message: str
    at: float
    """Unix time the check started."""
    latency_ms: float | None = None
    ttft_ms: float | None = None
    details: dict[str, Any] = field(default_factory=dict)
    exercised: dict[str, int] = field(default_factory=dict)
    """What the check really did (requests, chats streamed, handshakes): an empty record is never *up*."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "check_id": self.check_id,
            "kind": self.kind.value,
            "target": self.target,
            "state": self.state.value,
            "message": self.message,
            "at": self.at,
            "latency_ms": self.latency_ms,
            "ttft_ms": self.ttft_ms,
            "details": self.details,
        }
