"""What a load run sends: the routes of the config as weighted steps, and when (the arrival schedule).

The schedule is an *open* model (roadmap stage 5: real users do not wait for each other): arrival times
are fixed in advance from the rate, so a slow answer never slows the next request down. A ramp is k6's
"ramping arrival rate": the rate moves linearly inside each stage, and the k-th arrival is placed where
the integral of the rate reaches k (solved exactly, so a ramp from 0 works).
"""

from __future__ import annotations

import itertools
import json
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass, field

from launchready.config.model import LaunchConfig, LoadStage, RouteConfig, RouteRole

_NOT_LOADED_BY_DEFAULT = frozenset({RouteRole.LOGIN, RouteRole.WEBHOOK, RouteRole.AUTH_CALLBACK})


@dataclass(frozen=True)
class Step:
    """One route, ready to send."""

    name: str
    method: str
    url: str
    host: str
    path: str
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes | None = None
    json_body: object = None
    needs_auth: bool = False
    is_chat: bool = False
    weight: float = 1.0


@dataclass(frozen=True)
class Scenario:
    steps: tuple[Step, ...]
    login: Step | None = None
    answer_kind: str = "sse"
    answer_path: str = "delta"
    done_marker: str = "[DONE]"
    chat_timeout_s: float = 30.0
    _cumulative: tuple[float, ...] = field(default=(), repr=False)

    def picker(self, seed: int) -> Iterator[Step]:
        """An endless, seeded, weighted choice of steps: two runs with one seed send the same mix."""
        rng = random.Random(seed)
        cumulative = list(itertools.accumulate(step.weight for step in self.steps))
        while True:
            yield from rng.choices(self.steps, cum_weights=cumulative, k=256)


class ScenarioError(ValueError):
    """The config describes no route that can be loaded."""


def build_scenario(config: LaunchConfig) -> Scenario:
    """Steps for ``load.routes`` (or every safe route), the login route, and the chat answer settings."""
    by_name = {route.name: route for route in config.routes}
    wanted = config.load.routes
    unknown = [name for name in wanted if name not in by_name]
    if unknown:
        raise ScenarioError(f"load.routes names unknown routes: {', '.join(unknown)}")
    chosen = (
        [by_name[name] for name in wanted]
        if wanted
        else [r for r in config.routes if r.role not in _NOT_LOADED_BY_DEFAULT and r.weight > 0]
    )
    if not chosen:
        raise ScenarioError("no route to load: add [[routes]] to the config (or list them in load.routes)")
    login_routes = config.routes_with_role(RouteRole.LOGIN)
    answer = config.chat.answer
    return Scenario(
        steps=tuple(_step(config, route) for route in chosen),
        login=_step(config, login_routes[0]) if login_routes else None,
        answer_kind=answer.kind,
        answer_path=answer.path,
        done_marker=answer.done_marker,
        chat_timeout_s=config.targets.chat_timeout_s,
    )


def _is_chat(config: LaunchConfig, route: RouteConfig) -> bool:
    return route.role is RouteRole.CHAT or route.name == config.chat.route


def _step(config: LaunchConfig, route: RouteConfig) -> Step:
    host = config.host_for(route.host)
    headers = dict(route.headers)
    body: bytes | None = None
    json_body: object = None
    is_chat = _is_chat(config, route)
    if is_chat:
        json_body = _fill(config.chat.request, config.load.chat_prompt)
        headers.setdefault(
            "Accept", "text/event-stream" if config.chat.answer.kind == "sse" else "application/json"
        )
    elif isinstance(route.body, dict):
        json_body = route.body
    elif isinstance(route.body, str):
        body = route.body.encode()
    return Step(
        name=route.name,
        method=route.method,
        url=config.route_url(route),
        host=host,
        path=route.path,
        headers=tuple(headers.items()),
        body=body,
        json_body=json_body,
        needs_auth=route.needs_auth,
        is_chat=is_chat,
        weight=route.weight if route.weight > 0 else 1.0,
    )


def _fill(template: object, message: str) -> object:
    """The chat request template with every ``{{message}}`` replaced (inside any nesting)."""
    text = json.dumps(template).replace("{{message}}", json.dumps(message)[1:-1])
    return json.loads(text)


def arrival_offsets(stages: tuple[LoadStage, ...], start_rate: float) -> Iterator[float]:
    """Seconds from the start of the run at which each request should be sent, in order.

    Inside a stage the rate is ``r(t) = r0 + a·t``, so the arrivals so far are ``N(t) = r0·t + a·t²/2``;
    the k-th request goes where ``N(t) = k``, the root of that quadratic. A constant rate has ``a = 0``.
    """
    next_arrival = 0.0  # cumulative arrival count at which the next request goes
    before = 0.0  # cumulative arrivals at the start of the current stage
    offset = 0.0
    rate = start_rate
    for stage in stages:
        r0, span = rate, stage.duration_s
        slope = (stage.target_rate - r0) / span
        in_stage = r0 * span + slope * span * span / 2
        while next_arrival < before + in_stage:
            x = next_arrival - before
            constant = abs(slope) < 1e-12
            t = x / r0 if constant else (-r0 + math.sqrt(max(0.0, r0 * r0 + 2 * slope * x))) / slope
            yield offset + t
            next_arrival += 1
        before += in_stage
        offset += span
        rate = stage.target_rate
