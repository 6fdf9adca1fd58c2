"""An oversized chat message is refused quickly with 413/400/422, not a 5xx or a hang (roadmap stage 5).

A backend without a size limit forwards a 100,000-character prompt to the model: it is slow, billed, and
usually ends in an unhandled context-length error. The probe sends ``[performance] payload_chars``
characters and expects a clean client error within ``payload_budget_s``. A refusal counts only if the same
request with a normal message is accepted: a chat template or route that every message fails (a 400/422
for a missing field) would otherwise "refuse" the big one too and pass without the limit being exercised.
"""

from __future__ import annotations

from launchready.checks.performance.probe import (
    NO_CHAT_ROUTE,
    PerformanceProbe,
    chat_route,
    describe_end,
    send_chat,
)
from launchready.engine.context import CheckContext
from launchready.findings import Finding
from launchready.net import NetError
from launchready.net.sse import StreamEnd
from launchready.rules import rule

REFUSALS = frozenset({400, 413, 422})

OVERSIZED_INPUT = rule("perf.payload.oversized-input")


class OversizedInput(PerformanceProbe):
    name = "perf.payload"
    rules = (OVERSIZED_INPUT,)

    async def probe(self, ctx: CheckContext) -> list[Finding]:
        config = ctx.config
        route = chat_route(config)
        if route is None:
            return [OVERSIZED_INPUT.not_assessed(config.apex, NO_CHAT_ROUTE)]
        target = config.route_url(route)
        settings = config.performance
        message = ("launchready oversized-input probe " * (settings.payload_chars // 34 + 1))[
            : settings.payload_chars
        ]
        try:
            stream = await send_chat(ctx, message, settings.payload_budget_s, max_bytes=256 * 1024)
        except NetError as exc:
            return [OVERSIZED_INPUT.unverifiable(target, str(exc))]
        evidence = f"{settings.payload_chars:,}-char message: {describe_end(stream)}"
        details: dict[str, object] = {"status": stream.status, "elapsed_s": round(stream.elapsed_s, 3)}
        if stream.status in REFUSALS:
            try:
                control = await send_chat(ctx, settings.probe_prompt, settings.payload_budget_s)
            except NetError as exc:
                return [
                    OVERSIZED_INPUT.unverifiable(target, f"{evidence}; the normal-size control failed: {exc}")
                ]
            details["control_status"] = control.status
            if control.status is None or not 200 <= control.status < 300:
                reason = (
                    f"{evidence}, but a normal-size message was refused too ({describe_end(control)}): the chat "
                    "template or route is wrong, so the size limit was not exercised"
                )
                return [OVERSIZED_INPUT.unverifiable(target, reason, details=details)]
            return [
                OVERSIZED_INPUT.passed(
                    target,
                    f"{evidence}; a normal message was accepted (HTTP {control.status})",
                    details=details,
                    exercised={"oversized_requests": 1, "control_requests": 1},
                )
            ]
        if stream.end is StreamEnd.BUDGET or stream.status is None or stream.status >= 500:
            return [OVERSIZED_INPUT.failed(target, evidence, details=details)]
        if 200 <= stream.status < 300:
            return [OVERSIZED_INPUT.failed(target, f"{evidence}: accepted and sent on", details=details)]
        return [
            OVERSIZED_INPUT.unverifiable(
                target, f"the chat answered something else: {evidence}", details=details
            )
        ]
