"""Intended vs sent vs completed: what a run planned, what the generator really sent, what the server ended.

The three differ for two different reasons, and a report must not blur them:
- **sent < intended** (sends behind schedule): the *generator* was the bottleneck. In the open model a send
  is late only when this process could not keep up (the schedule never waits for the server), so latencies
  of such a run include the generator's own delay and say little about the server.
- **completed < sent**, or arrivals dropped at the in-flight cap: the *server* did not keep up (or the cap
  is too low for its latency): those requests count against the error budget.

Rates are over the real windows (first to last send, start to last end), not the planned duration: a run
that fell behind and took 20.7 s to send 859 requests sent 41.5/s, not 85.9/s.
"""

from __future__ import annotations

from dataclasses import dataclass

from launchready.load.generator import LATE_S, LoadPlan
from launchready.load.recorder import Recorder
from launchready.load.results import ConnectionStats

LATE_SHARE = 0.01
"""More than this share of sends late (by ``LATE_S``) means the generator was the bottleneck."""


@dataclass(frozen=True)
class Rates:
    intended: float | None
    sent: float
    completed: float
    send_window_s: float
    generator_bound: bool
    send_lag_p99_ms: float | None

    @classmethod
    def of(cls, recorder: Recorder, plan: LoadPlan, elapsed_s: float) -> Rates:
        send_window = max(recorder.last_send - recorder.started, 0.0) if recorder.sent else 0.0
        # n sends span n-1 gaps: rate over the window the sends really took (never the planned duration)
        sent = (recorder.sent - 1) / send_window if recorder.sent > 1 and send_window > 0 else 0.0
        intended = None
        if plan.is_open:  # a constant rate is the plan; a ramp's is its mean (arrivals over its length)
            ramp = len(plan.stages) > 1 or plan.start_rate != plan.peak_rate
            intended = recorder.scheduled / plan.duration_s if ramp else plan.peak_rate
        lag = recorder.send_lag
        lag_p99 = lag.get_value_at_percentile(99) / 1000 if plan.is_open and lag.get_total_count() else None
        return cls(
            intended=round(intended, 3) if intended is not None else None,
            sent=round(sent, 3),
            completed=round(recorder.completed / elapsed_s, 3) if elapsed_s > 0 else 0.0,
            send_window_s=send_window if send_window > 0 else min(elapsed_s, plan.duration_s),
            generator_bound=plan.is_open and recorder.late_sends > LATE_SHARE * max(1, recorder.sent),
            send_lag_p99_ms=lag_p99,
        )

    def notes(self, recorder: Recorder, plan: LoadPlan) -> list[str]:
        """Plain sentences naming the bottleneck: the generator (late sends) or the server (drops)."""
        notes: list[str] = []
        if self.generator_bound:
            notes.append(
                f"the generator, not the server, was the bottleneck: {recorder.late_sends} of {recorder.sent} "
                f"requests left more than {LATE_S * 1000:g} ms behind schedule (p99 {self.send_lag_p99_ms:g} ms "
                f"late); intended {self.intended:g}/s, sent {self.sent:g}/s, completed {self.completed:g}/s. "
                "Latencies include that delay: lower --rate or use --engine locust --workers N"
            )
        if recorder.dropped:
            notes.append(
                f"{recorder.dropped} arrivals were not sent: {plan.max_in_flight} requests were already in "
                "flight, so the server (or the cap) did not keep up; they count as errors. Raise "
                "load.max_in_flight only if the server's latency justifies it"
            )
        return notes


def connection_notes(stats: ConnectionStats | None, sent: int) -> list[str]:
    """Connection set-up said apart from latency; requests that queued for a pooled connection named."""
    if stats is None:
        return []
    during = stats.opened - stats.pre_opened
    bound = f"at most {stats.ceiling}" if stats.ceiling > stats.pool_size else "a hard bound"
    notes = [
        f"connections: {stats.pre_opened} pre-opened before the run (pool of {stats.pool_size} per host, "
        f"{bound}), {during} opened during it; set-up p50 {stats.connect.p50_ms:g} ms, "
        f"p99 {stats.connect.p99_ms:g} ms"
        + (f", {stats.tls_resumed} TLS sessions resumed" if stats.tls_resumed else "")
        + (". The set-up of those opened during the run is inside their requests' latency" if during else "")
    ]
    if stats.waited_for_connection > LATE_SHARE * max(1, sent):
        notes.append(
            f"{stats.waited_for_connection} requests waited for one of the {stats.pool_size} pooled "
            "connections (the wait is in their latency): the server's latency times the rate exceeded "
            "the hard bound; rerun without --connections (or with more) to tell a slow server from a small pool"
        )
    return notes
