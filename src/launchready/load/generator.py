"""The native load generator: an open model on a fixed arrival schedule, or a closed model of N users.

Open model (default): every request's send time is fixed in advance by the arrival schedule, whatever the
server does, and its latency runs from that *intended* time (wrk2's answer to coordinated omission: a
closed-loop tester that waits for a stalled server sends less during the stall and under-reports it).
Requests are started as tasks; at most ``max_in_flight`` are open at once, and an arrival that finds the
cap reached is dropped and counted, never queued (a queue would hide the overload it reveals).

Closed model (``users``): each user sends, waits for the answer, thinks, and sends again — how Locust and
JMeter work; its latency runs from the actual send time and it *cannot* see the wait it causes.

Both stop by themselves: at the planned duration or the request cap, whichever comes first, then wait for
the open requests, each bounded by its own timeout.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

from launchready.config.model import LoadConfig, LoadStage
from launchready.load.recorder import Recorder, record_s
from launchready.load.scenario import Scenario, Step, arrival_offsets
from launchready.load.sender import Sender

_DUE_WITHIN_S = 0.0005
"""Arrivals closer than this are sent now: the event loop's timers are only good to about a millisecond."""
LATE_S = 0.010
"""A send this much behind its intended time means the generator itself is saturated."""
_YIELD_EVERY = 64
"""When behind schedule, let answers be read after this many sends."""


@dataclass(frozen=True)
class LoadPlan:
    """How much to send and how: one immutable value, built from ``[load]`` and the command line."""

    duration_s: float
    max_requests: int
    max_in_flight: int
    start_rate: float = 10.0
    stages: tuple[LoadStage, ...] = ()
    users: int | None = None
    think_time_s: float = 0.0
    seed: int = 1

    @classmethod
    def from_config(
        cls,
        load: LoadConfig,
        *,
        rate: float | None = None,
        duration_s: float | None = None,
        max_requests: int | None = None,
        users: int | None = None,
    ) -> LoadPlan:
        """``--rate``/``--duration`` replace a ramp by a constant rate; ``--users`` picks the closed model."""
        if rate is not None or duration_s is not None or not load.stages:
            the_rate = rate if rate is not None else load.rate
            the_duration = duration_s if duration_s is not None else load.duration_s
            stages: tuple[LoadStage, ...] = (LoadStage(duration_s=the_duration, target_rate=the_rate),)
            start_rate = the_rate
        else:
            stages, start_rate = load.stages, 0.0
            the_duration = sum(stage.duration_s for stage in stages)
        return cls(
            duration_s=the_duration,
            max_requests=max_requests if max_requests is not None else load.max_requests,
            max_in_flight=load.max_in_flight,
            start_rate=start_rate,
            stages=stages,
            users=users if users is not None else load.users,
            think_time_s=load.think_time_s,
            seed=load.seed,
        )

    @property
    def is_open(self) -> bool:
        return self.users is None

    @property
    def peak_rate(self) -> float:
        return max([self.start_rate, *(stage.target_rate for stage in self.stages)])


async def run_open(plan: LoadPlan, scenario: Scenario, sender: Sender, recorder: Recorder) -> None:
    """Send on the arrival schedule until the duration or the request cap; then let open requests end."""
    loop = asyncio.get_running_loop()
    start = time.monotonic()
    recorder.start(start)
    steps = scenario.picker(plan.seed)
    pending: set[asyncio.Task[None]] = set()
    behind = 0

    async def one(step: Step, intended: float) -> None:
        outcome = await sender.send(step)
        recorder.record(step, intended, outcome)

    for offset in arrival_offsets(plan.stages, plan.start_rate):
        if offset >= plan.duration_s or recorder.scheduled >= plan.max_requests:
            break
        intended = start + offset
        delay = intended - time.monotonic()
        if delay > _DUE_WITHIN_S:
            behind = 0
            await asyncio.sleep(delay)
        else:
            behind += 1
            if behind % _YIELD_EVERY == 0:
                await asyncio.sleep(0)
        step = next(steps)
        recorder.scheduled += 1
        if recorder.in_flight >= plan.max_in_flight:
            recorder.drop(step)
            continue
        recorder.sending()  # counted in flight now, before the task starts, so the cap holds
        lag = recorder.last_send - intended
        record_s(recorder.send_lag, max(0.0, lag))
        if lag > LATE_S:
            recorder.late_sends += 1
        task = loop.create_task(one(step, intended))
        pending.add(task)
        task.add_done_callback(pending.discard)
    if pending:
        await asyncio.gather(*pending)


async def run_closed(plan: LoadPlan, scenario: Scenario, sender: Sender, recorder: Recorder) -> None:
    """``users`` loops of send → answer → think, until the duration or the request cap."""
    users = plan.users or 1
    start = time.monotonic()
    recorder.start(start)
    stop_at = start + plan.duration_s
    steps = scenario.picker(plan.seed)
    ramp_s = min(1.0, plan.duration_s / 10)

    async def user(index: int) -> None:
        await asyncio.sleep(ramp_s * index / users)
        while time.monotonic() < stop_at and recorder.scheduled < plan.max_requests:
            step = next(steps)
            recorder.scheduled += 1
            recorder.sending()
            outcome = await sender.send(step)
            recorder.record(step, outcome.sent, outcome)
            if plan.think_time_s:
                await asyncio.sleep(min(plan.think_time_s, max(0.0, stop_at - time.monotonic())))

    await asyncio.gather(*(user(i) for i in range(users)))
