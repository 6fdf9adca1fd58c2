"""Time to first token of a streamed chat: what the user feels as "is it working?" (roadmap stage 5).

Measured to the first non-empty answer fragment at ``[chat.answer] path``, not to the first byte: a
server that flushes headers or keep-alive comments at once can have a fast first byte and a slow answer.
The probe sends ``TTFT_CHATS`` chats one after another and judges the slowest against
``targets.ttft_p95_ms`` (with three samples the slowest is the honest stand-in for a p95): above it fails.
A chat that streams no token at all (an error status, an error event, a stall) is no measurement: if
none of the chats streamed, the rule is unverifiable, never a pass.
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
from launchready.net.sse import ChatStream
from launchready.rules import rule

CHAT_TTFT = rule("perf.chat.ttft")
TTFT_CHATS = 3


class TimeToFirstToken(PerformanceProbe):
    name = "perf.chat.ttft"
    rules = (CHAT_TTFT,)

    async def probe(self, ctx: CheckContext) -> list[Finding]:
        config = ctx.config
        route = chat_route(config)
        if route is None:
            return [CHAT_TTFT.not_assessed(config.apex, NO_CHAT_ROUTE)]
        target = config.route_url(route)
        budget = config.targets.chat_timeout_s + config.performance.timeout_margin_s
        streams: list[ChatStream] = []
        try:
            for _ in range(TTFT_CHATS):
                streams.append(await send_chat(ctx, config.performance.probe_prompt, budget))
        except NetError as exc:
            if not streams:
                return [CHAT_TTFT.unverifiable(target, str(exc))]
        return [judge_ttft(target, streams, config.targets.ttft_p95_ms)]


def judge_ttft(target: str, streams: list[ChatStream], limit_ms: float) -> Finding:
    """The slowest first token of the chats that streamed, against ``limit_ms``."""
    timed = [s.first_token_s for s in streams if s.first_token_s is not None]
    silent = [s for s in streams if s.first_token_s is None]
    if not timed:
        ends = "; ".join(describe_end(s) for s in silent[:3])
        return CHAT_TTFT.unverifiable(
            target,
            f"none of {len(streams)} chats streamed a token, so there is no first token to time: {ends}",
        )
    worst_ms = round(max(timed) * 1000, 1)
    first_bytes = [s.first_byte_s for s in streams if s.first_byte_s is not None]
    details: dict[str, object] = {
        "ttft_ms": worst_ms,
        "ttft_samples_ms": [round(t * 1000, 1) for t in timed],
        "first_byte_ms": round(min(first_bytes) * 1000, 1) if first_bytes else None,
        "target_ms": limit_ms,
        "chats_sent": len(streams),
        "chats_streamed": len(timed),
    }
    evidence = (
        f"slowest first token {worst_ms:g} ms over {len(timed)} streamed chats (target {limit_ms:g} ms)"
        + (f"; {len(silent)} more streamed no token ({describe_end(silent[0])})" if silent else "")
    )
    if worst_ms > limit_ms:
        return CHAT_TTFT.failed(target, evidence, details=details)
    if silent:
        return CHAT_TTFT.warned(target, evidence, details=details)
    return CHAT_TTFT.passed(target, evidence, details=details, exercised={"chats_streamed": len(timed)})
