"""Intended vs sent vs completed: rates over the real windows, and the bottleneck named."""

from __future__ import annotations

from launchready.config.model import LoadStage
from launchready.load.generator import LoadPlan
from launchready.load.rates import Rates
from launchready.load.recorder import Recorder, record_s
from launchready.load.scenario import Step


def _recorder(sent: int, last_send: float, late: int) -> Recorder:
    recorder = Recorder((Step(name="a", method="GET", url="http://127.0.0.1/", host="", path="/"),), 30)
    recorder.started = 100.0
    recorder.scheduled = recorder.sent = recorder.completed = sent
    recorder.last_send = 100.0 + last_send
    recorder.late_sends = late
    for _ in range(late):
        record_s(recorder.send_lag, 0.5)
    return recorder


def _plan(rate: float, duration_s: float) -> LoadPlan:
    return LoadPlan(
        duration_s=duration_s,
        max_requests=10**6,
        max_in_flight=512,
        start_rate=rate,
        stages=(LoadStage(duration_s=duration_s, target_rate=rate),),
    )


def test_a_run_that_fell_behind_reports_what_it_really_sent() -> None:
    """Negative test: 860 requests sent over 20.7 s were reported as 85.9/s (over the planned 10 s)."""
    recorder = _recorder(sent=860, last_send=20.7, late=500)
    rates = Rates.of(recorder, _plan(86, 10), elapsed_s=20.8)
    assert rates.intended == 86
    assert 41 < rates.sent < 42 and 41 < rates.completed < 42
    assert rates.generator_bound
    [note] = rates.notes(recorder, _plan(86, 10))
    assert note.startswith("the generator, not the server, was the bottleneck") and "intended 86/s" in note


def test_a_run_on_schedule_is_not_generator_bound() -> None:
    recorder = _recorder(sent=200, last_send=9.95, late=1)
    rates = Rates.of(recorder, _plan(20, 10), elapsed_s=10.0)
    assert not rates.generator_bound and 19.9 < rates.sent <= 20.1
    assert rates.notes(recorder, _plan(20, 10)) == []
