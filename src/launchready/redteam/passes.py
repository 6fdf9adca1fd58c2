"""The red-team pass: a dry call, an estimate, then every probe at once inside one chat budget.

Probes run concurrently (their chats share the client's concurrency limit and budget), so the pass takes
about as long as its slowest probe rather than the sum. The dry call comes first: it validates the config
and is the control that makes a refusal elsewhere mean something; when it fails, it is the root cause and
every probe's rules are reported unverifiable under it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from launchready.chat import BudgetExhausted, ChatClient, ChatConfigError, chat_route
from launchready.config.model import LaunchConfig
from launchready.findings import Finding, RuleSpec
from launchready.net import NetError
from launchready.net.http import HttpClient
from launchready.redteam.agency import PAYLOADS as TOOL_PAYLOADS
from launchready.redteam.agency import ToolMisuse
from launchready.redteam.base import Probe, ProbeRun
from launchready.redteam.disclosure import EXFIL_PAYLOADS, SECRET_PAYLOADS, Disclosure
from launchready.redteam.failures import FailureStates
from launchready.redteam.injection import DIRECT_PAYLOADS, INDIRECT_PAYLOADS, Injection
from launchready.redteam.leakage import PAYLOADS as LEAK_PAYLOADS
from launchready.redteam.leakage import Leakage
from launchready.redteam.long_input import LongInput
from launchready.rules import rule

REACHABLE = rule("redteam.chat.reachable")
NO_CHAT = 'no chat route in the config: add a [[routes]] entry with role = "chat" and a [chat] section'


def all_probes() -> list[Probe]:
    return [Injection(), Leakage(), ToolMisuse(), Disclosure(), LongInput(), FailureStates()]


def redteam_rules() -> tuple[RuleSpec, ...]:
    return (REACHABLE, *(spec for probe in all_probes() for spec in probe.rules))


def planned_calls(config: LaunchConfig) -> tuple[int, int]:
    """(calls, input characters) the whole pass will send, dry call included: the up-front estimate."""
    hooks = config.redteam
    fixed = (
        *DIRECT_PAYLOADS,
        *INDIRECT_PAYLOADS,
        *LEAK_PAYLOADS,
        *TOOL_PAYLOADS,
        *SECRET_PAYLOADS,
        *EXFIL_PAYLOADS,
    )
    hooked = [p for p in (hooks.model_error_prompt, hooks.model_timeout_prompt, hooks.silent_prompt) if p]
    calls = 1 + len(fixed) + len(hooks.long_input_chars) + 4 + len(hooked)
    chars = sum(len(p) for p in fixed) + sum(hooks.long_input_chars) + sum(len(p) for p in hooked) + 60
    return calls, chars


@dataclass
class PassReport:
    findings: list[Finding]
    probe_seconds: dict[str, float] = field(default_factory=dict)
    wall_s: float = 0.0
    calls: int = 0


async def run_pass(
    config: LaunchConfig, http: HttpClient, probes: Sequence[Probe] | None = None
) -> PassReport:
    chosen = list(probes) if probes is not None else all_probes()
    rules = (REACHABLE, *(spec for probe in chosen for spec in probe.rules))
    route = chat_route(config)
    if route is None:
        return PassReport([spec.not_assessed(config.apex, NO_CHAT) for spec in rules])
    target = config.route_url(route)
    started = time.monotonic()
    try:
        client = ChatClient(config, http)
    except ChatConfigError as exc:
        return _blocked(rules, target, REACHABLE.failed(target, str(exc)), str(exc))
    try:
        calls, chars = planned_calls(config)
        estimate = client.estimate(calls, chars)
        dry = await client.dry_call()
    except ChatConfigError as exc:
        blocked = _blocked(rules, target, REACHABLE.failed(target, str(exc)), str(exc))
        answered = exc.answer is not None and 200 <= (exc.answer.status or 0) < 300
        failure_probe = next((p for p in chosen if isinstance(p, FailureStates)), None)
        if answered and failure_probe is not None:
            # an empty 200 to a normal message is itself the empty state users see: judge it, don't hide it
            judged = await failure_probe.run(ProbeRun(client, config, target))
            kept = {f.rule_id for f in judged}
            blocked.findings = [f for f in blocked.findings if f.rule_id not in kept] + judged
        return blocked
    except BudgetExhausted as exc:
        return _blocked(rules, target, REACHABLE.failed(target, str(exc)), str(exc))
    except NetError as exc:
        return _blocked(rules, target, REACHABLE.unverifiable(target, str(exc)), str(exc))
    run = ProbeRun(client, config, target)
    seconds: dict[str, float] = {}

    async def timed(probe: Probe) -> list[Finding]:
        begun = time.monotonic()
        try:
            return await probe.run(run)
        finally:
            seconds[probe.name] = round(time.monotonic() - begun, 3)

    results = await asyncio.gather(*(timed(probe) for probe in chosen))
    wall = time.monotonic() - started
    reachable = REACHABLE.passed(
        target,
        f"a normal message was answered ({dry.summary()}); the pass then sent {client.budget.calls} chats "
        f"in {wall:.1f}s",
        details={
            "estimate": estimate.describe(),
            "calls": client.budget.calls,
            "budget": {"max_calls": client.budget.max_calls, "max_seconds": client.budget.max_seconds},
            "probe_seconds": seconds,
            "wall_s": round(wall, 3),
            "request": dry.request.as_dict(),
        },
        exercised={"chats_answered": 1},
    )
    findings = [reachable, *(f for found in results for f in found)]
    return PassReport(findings, seconds, wall, client.budget.calls)


def _blocked(rules: Sequence[RuleSpec], target: str, root: Finding, why: str) -> PassReport:
    """The root cause and, under it, every probe's rules unverifiable (the engine folds only host roots)."""
    reason = f"the dry call failed, so no probe ran: {why}"
    blocked = [
        spec.unverifiable(target, reason, blocked_by=root.key) for spec in rules if spec is not REACHABLE
    ]
    return PassReport([root, *blocked])
