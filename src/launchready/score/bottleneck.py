"""The first bottleneck a load run measured: the one number the scale sprint (and the handover's "next
steps for scale") starts from.

A route is a bottleneck when it missed a target at the rate that was sent: its error rate over
``targets.error_rate``, its p95 over ``targets.p95_ms`` (chat: first-token p95 over ``ttft_p95_ms``).
The worst miss (ratio of measured to target) comes first. A run that met every target names no
bottleneck: the rate was not high enough to find one, which is itself the next step.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from launchready.config.model import TargetsConfig


@dataclass(frozen=True)
class Bottleneck:
    route: str
    measure: str
    """``error rate``, ``p95`` or ``chat first-token p95``."""
    measured: float
    target: float
    unit: str
    rate: float
    """Requests per second the run achieved."""

    @property
    def ratio(self) -> float:
        return self.measured / self.target if self.target else float("inf")

    @property
    def line(self) -> str:
        if self.unit == "%":
            figures = f"{self.measured:.1%} against a {self.target:.1%} target"
        else:
            figures = f"{self.measured:,.0f} ms against a {self.target:,.0f} ms target"
        return f"{self.route}: {self.measure} {figures} at {self.rate:.1f} req/s"


def _number(data: dict[str, Any], *path: str) -> float | None:
    value: Any = data
    for key in path:
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def bottlenecks(load: dict[str, Any], targets: TargetsConfig) -> tuple[Bottleneck, ...]:
    """Every target missed in a saved load run (``LoadResults`` as JSON), worst first."""
    rate = _number(load, "achieved_rate") or 0.0
    found: list[Bottleneck] = []
    for route in load.get("routes") or ():
        if not isinstance(route, dict):
            continue
        name = str(route.get("route", "?"))
        error_rate = _number(route, "error_rate")
        if error_rate is not None and error_rate > targets.error_rate:
            found.append(Bottleneck(name, "error rate", error_rate, targets.error_rate, "%", rate))
        if route.get("is_chat"):
            ttft = _number(route, "chat", "ttft", "p95_ms")
            if ttft is not None and ttft > targets.ttft_p95_ms:
                found.append(Bottleneck(name, "chat first-token p95", ttft, targets.ttft_p95_ms, "ms", rate))
        else:
            p95 = _number(route, "latency", "p95_ms")
            if p95 is not None and p95 > targets.p95_ms:
                found.append(Bottleneck(name, "p95", p95, targets.p95_ms, "ms", rate))
    return tuple(sorted(found, key=lambda b: -b.ratio))


def measured_rate(load: dict[str, Any]) -> float | None:
    return _number(load, "achieved_rate")
