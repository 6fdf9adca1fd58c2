"""The typed result of one load run, whichever engine produced it (native generator or Locust).

It is the wire shape too: ``launchready load`` writes it as JSON and the audit keeps it in
``AuditRun.artifacts["load"]``, so the HTML report can draw its charts from the same data. Latencies are in
milliseconds; percentiles come from an HDR histogram (3 significant digits), so a p99 is exact to 0.1 %.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class LatencySummary(_Model):
    count: int = 0
    mean_ms: float = 0.0
    p50_ms: float = 0.0
    p90_ms: float = 0.0
    p95_ms: float = 0.0
    p99_ms: float = 0.0
    max_ms: float = 0.0


class SpectrumPoint(_Model):
    """One point of the percentile spectrum (HdrHistogram's "percentile distribution" plot)."""

    percentile: float
    latency_ms: float


class TimelinePoint(_Model):
    """One 1-second bucket of a route's latency over the run (by intended send time).

    Locust reports only counts per second, so its points carry no latencies (None, not a made-up 0).
    """

    second: int
    requests: int
    errors: int
    p50_ms: float | None = None
    p95_ms: float | None = None
    max_ms: float | None = None


class ChatSummary(_Model):
    """Streamed-chat timings: what a user waits for, not only when the last byte came."""

    ttfb: LatencySummary = Field(description="Time to the response headers")
    ttft: LatencySummary = Field(
        description="Time to the first non-empty answer fragment (keep-alives excluded)"
    )
    inter_token: LatencySummary = Field(description="Gap between two answer fragments")
    total: LatencySummary = Field(description="Send to the done marker (or the end of the JSON body)")
    tokens_per_s: float = Field(description="Mean over answers of fragments per second after the first")
    answers: int
    empty_answers: int = Field(description="2xx answers that carried no answer text at all")
    over_timeout: int = Field(description="Chats still open past targets.chat_timeout_s")


class RouteResult(_Model):
    route: str
    method: str
    url: str
    is_chat: bool = False
    requests: int = Field(description="Requests that were sent and ended (answer or error)")
    ok: int
    errors: int
    error_rate: float = Field(
        description="(errors + arrivals not sent) / (requests + arrivals not sent): the error budget's share"
    )
    errors_by_status: dict[str, int] = Field(default_factory=dict)
    errors_by_exception: dict[str, int] = Field(default_factory=dict)
    dropped: int = Field(
        default=0,
        description="Arrivals not sent because the in-flight cap was reached (they count as errors)",
    )
    throughput_rps: float
    latency: LatencySummary
    spectrum: tuple[SpectrumPoint, ...] = ()
    timeline: tuple[TimelinePoint, ...] = ()
    chat: ChatSummary | None = None

    def summary_cells(self) -> tuple[str, ...]:
        """Requests, error rate, p50/p95/p99/max (ms), chat TTFT p95 and tokens/s: one row of every view."""
        chat = self.chat
        return (
            str(self.requests),
            f"{self.error_rate:.1%}",
            f"{self.latency.p50_ms:.1f}",
            f"{self.latency.p95_ms:.1f}",
            f"{self.latency.p99_ms:.1f}",
            f"{self.latency.max_ms:.1f}",
            f"{chat.ttft.p95_ms:.0f}" if chat else "",
            f"{chat.tokens_per_s:.1f}" if chat else "",
        )


class ConnectionStats(_Model):
    """Connection set-up, reported apart from request latency: it is the client's cost, not the server's."""

    pool_size: int = Field(description="Connections per host pre-opened before t=0")
    ceiling: int = Field(
        default=0,
        description="Most connections per host: = pool_size with --connections, else the in-flight cap",
    )
    opened: int = Field(description="Connections opened during the whole run, pre-opened ones included")
    pre_opened: int = 0
    connect: LatencySummary = Field(description="TCP connect + TLS handshake time of each opening")
    tls_resumed: int = Field(default=0, description="TLS handshakes that resumed an earlier session")
    waited_for_connection: int = Field(
        default=0, description="Requests that waited for a pooled connection (the wait is in their latency)"
    )


class LoadResults(_Model):
    engine: str = Field(description="native or locust")
    model: str = Field(description="open (arrival rate) or closed (users)")
    started_at: datetime
    planned_duration_s: float
    duration_s: float
    target_rate: float | None = None
    users: int | None = None
    workers: int = 1
    max_requests: int
    max_in_flight: int | None = None
    scheduled: int = Field(description="Arrivals the schedule produced")
    sent: int
    completed: int
    dropped: int
    peak_in_flight: int = 0
    achieved_rate: float = Field(description="Requests ended per second over the run (= completed_rate)")
    intended_rate: float | None = Field(
        default=None, description="Open model: arrivals the schedule planned per second (its mean)"
    )
    sent_rate: float = Field(default=0.0, description="Requests really sent per second, first to last send")
    completed_rate: float = Field(default=0.0, description="Requests ended per second, start to last end")
    generator_bound: bool = Field(
        default=False,
        description="The generator, not the server, was the bottleneck: sends fell behind the schedule",
    )
    send_lag_p99_ms: float | None = Field(
        default=None, description="Open model: p99 of how late requests left their intended time"
    )
    connections: ConnectionStats | None = Field(
        default=None, description="Connections the fast path opened, and their set-up time (apart)"
    )
    latency_from: str = Field(
        description="intended-send (coordinated omission corrected) or actual-send (closed model, Locust)"
    )
    routes: tuple[RouteResult, ...] = ()
    notes: tuple[str, ...] = ()

    def route(self, name: str) -> RouteResult:
        for result in self.routes:
            if result.route == name:
                return result
        raise KeyError(name)
