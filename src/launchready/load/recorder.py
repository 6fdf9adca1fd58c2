"""Count and time every request of a run into HDR histograms, per route and per 1-second bucket.

HdrHistogram (Gil Tene's, the ``hdrhistogram`` package) keeps every latency at 3 significant digits in
fixed memory, so p99 and max are exact enough to judge a target without storing samples. Latency is taken
from the request's *intended* send time when the generator is open-model: a request that waited for a
stalled server to free a slot is charged the wait (the coordinated-omission correction of wrk2).
"""

from __future__ import annotations

import itertools
import time
from collections import Counter
from dataclasses import dataclass, field

from hdrh.histogram import HdrHistogram

from launchready.load.results import (
    ChatSummary,
    LatencySummary,
    RouteResult,
    SpectrumPoint,
    TimelinePoint,
)
from launchready.load.scenario import Step
from launchready.load.sender import EMPTY_ANSWER, OVER_CHAT_TIMEOUT, Outcome

_HIGHEST_US = 3_600_000_000  # one hour, in microseconds
SPECTRUM = (0.0, 10.0, 25.0, 50.0, 75.0, 90.0, 95.0, 99.0, 99.5, 99.9, 99.99, 100.0)


def new_histogram(digits: int = 3) -> HdrHistogram:
    return HdrHistogram(1, _HIGHEST_US, digits)


def record_s(histogram: HdrHistogram, seconds: float) -> None:
    histogram.record_value(min(_HIGHEST_US, max(1, round(seconds * 1_000_000))))


def summarize(histogram: HdrHistogram) -> LatencySummary:
    count = histogram.get_total_count()
    if not count:
        return LatencySummary()

    def ms(percentile: float) -> float:
        return float(histogram.get_value_at_percentile(percentile)) / 1000

    return LatencySummary(
        count=count,
        mean_ms=round(histogram.get_mean_value() / 1000, 3),
        p50_ms=ms(50),
        p90_ms=ms(90),
        p95_ms=ms(95),
        p99_ms=ms(99),
        max_ms=float(histogram.get_max_value()) / 1000,
    )


@dataclass
class _Bucket:
    latency: HdrHistogram = field(default_factory=lambda: new_histogram(2))
    errors: int = 0


class RouteRecorder:
    """Everything recorded for one route."""

    def __init__(self, step: Step, chat_timeout_s: float) -> None:
        self.step = step
        self.chat_timeout_s = chat_timeout_s
        self.latency = new_histogram()
        self.buckets: dict[int, _Bucket] = {}
        self.ok = 0
        self.errors_by_status: Counter[str] = Counter()
        self.errors_by_exception: Counter[str] = Counter()
        self.dropped = 0
        self.ttfb = new_histogram()
        self.ttft = new_histogram()
        self.inter_token = new_histogram()
        self.total = new_histogram()
        self.tokens_per_s: list[float] = []
        self.empty_answers = 0
        self.over_timeout = 0

    def record(self, second: int, latency_s: float, outcome: Outcome) -> None:
        if self.step.is_chat:
            self._record_chat(outcome)  # first: an over-time or empty chat becomes an error below
        record_s(self.latency, latency_s)
        bucket = self.buckets.get(second)
        if bucket is None:
            bucket = self.buckets[second] = _Bucket()
        record_s(bucket.latency, latency_s)
        if outcome.error is not None:
            self.errors_by_exception[outcome.error] += 1
        elif outcome.status is not None and outcome.status >= 400:
            self.errors_by_status[str(outcome.status)] += 1
        else:
            self.ok += 1
        if not outcome.ok:
            bucket.errors += 1

    def _record_chat(self, outcome: Outcome) -> None:
        """Chat timings; a chat that ended past the chat timeout, or streamed nothing, is a failed chat."""
        service_s = outcome.ended - outcome.sent
        if outcome.first_byte is not None:
            record_s(self.ttfb, outcome.first_byte - outcome.sent)
        if outcome.error == EMPTY_ANSWER:
            self.empty_answers += 1
            record_s(self.total, service_s)
            return
        if service_s > self.chat_timeout_s or outcome.error == "timeout":
            self.over_timeout += 1
            if outcome.ok:
                outcome.error = OVER_CHAT_TIMEOUT
        if outcome.error is not None and outcome.error != OVER_CHAT_TIMEOUT:
            return
        if outcome.status is not None and outcome.status >= 400:
            return
        record_s(self.total, service_s)
        times = outcome.token_times
        if not times:
            return
        record_s(self.ttft, times[0] - outcome.sent)
        for earlier, later in itertools.pairwise(times):
            record_s(self.inter_token, later - earlier)
        if len(times) > 1 and times[-1] > times[0]:
            self.tokens_per_s.append((len(times) - 1) / (times[-1] - times[0]))

    @property
    def requests(self) -> int:
        return int(self.latency.get_total_count())

    def result(self, duration_s: float) -> RouteResult:
        requests = self.requests
        errors = requests - self.ok
        attempted = requests + self.dropped  # an arrival not sent is a user not served: it counts
        return RouteResult(
            route=self.step.name,
            method=self.step.method,
            url=self.step.url,
            is_chat=self.step.is_chat,
            requests=requests,
            ok=self.ok,
            errors=errors,
            error_rate=round((errors + self.dropped) / attempted, 6) if attempted else 0.0,
            errors_by_status=dict(self.errors_by_status),
            errors_by_exception=dict(self.errors_by_exception),
            dropped=self.dropped,
            throughput_rps=round(requests / duration_s, 3) if duration_s > 0 else 0.0,
            latency=summarize(self.latency),
            spectrum=spectrum(self.latency),
            timeline=tuple(
                TimelinePoint(
                    second=second,
                    requests=int(b.latency.get_total_count()),
                    errors=b.errors,
                    p50_ms=b.latency.get_value_at_percentile(50) / 1000,
                    p95_ms=b.latency.get_value_at_percentile(95) / 1000,
                    max_ms=b.latency.get_max_value() / 1000,
                )
                for second, b in sorted(self.buckets.items())
            ),
            chat=self._chat_summary() if self.step.is_chat else None,
        )

    def _chat_summary(self) -> ChatSummary:
        rates = self.tokens_per_s
        return ChatSummary(
            ttfb=summarize(self.ttfb),
            ttft=summarize(self.ttft),
            inter_token=summarize(self.inter_token),
            total=summarize(self.total),
            tokens_per_s=round(sum(rates) / len(rates), 3) if rates else 0.0,
            answers=int(self.total.get_total_count()),
            empty_answers=self.empty_answers,
            over_timeout=self.over_timeout,
        )


def spectrum(histogram: HdrHistogram) -> tuple[SpectrumPoint, ...]:
    if not histogram.get_total_count():
        return ()
    return tuple(
        SpectrumPoint(percentile=p, latency_ms=histogram.get_value_at_percentile(p) / 1000) for p in SPECTRUM
    )


class Recorder:
    """The run's counters (read by the live view) and one ``RouteRecorder`` per route."""

    def __init__(self, steps: tuple[Step, ...], chat_timeout_s: float, *, live: bool = False) -> None:
        self.routes = {step.name: RouteRecorder(step, chat_timeout_s) for step in steps}
        self.live = live
        self.overall = new_histogram(2)
        """All routes at 2 digits, for the live view's "p95 so far" only (recorded when ``live``)."""
        self.started = 0.0
        self.scheduled = 0
        self.sent = 0
        self.completed = 0
        self.dropped = 0
        self.errors = 0
        self.in_flight = 0
        self.peak_in_flight = 0
        self.late_sends = 0
        """Open model: requests sent more than ``generator.LATE_S`` after their intended time."""
        self.send_lag = new_histogram(2)
        """Open model: how far behind its intended time each request left (the generator's own delay)."""
        self.last_send = 0.0

    def start(self, now: float) -> None:
        self.started = now

    def sending(self) -> None:
        self.sent += 1
        self.last_send = time.monotonic()
        self.in_flight += 1
        if self.in_flight > self.peak_in_flight:
            self.peak_in_flight = self.in_flight

    def drop(self, step: Step) -> None:
        self.dropped += 1
        self.routes[step.name].dropped += 1

    def record(self, step: Step, intended: float, outcome: Outcome) -> None:
        """``intended`` is when the request should have gone: latency runs from there to the end."""
        self.in_flight -= 1
        self.completed += 1
        latency_s = outcome.ended - intended
        if self.live:
            record_s(self.overall, latency_s)
        self.routes[step.name].record(int(intended - self.started), latency_s, outcome)
        if not outcome.ok:
            self.errors += 1
