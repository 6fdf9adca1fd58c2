"""Time to first token of a streamed chat: what the user feels as "is it working?".

Measured to the first non-empty answer fragment at ``[chat.answer] path``, not to the first byte: a
server that flushes headers or keep-alive comments at once can have a fast first byte and a slow answer.
An observation, reported as an informational pass carrying ``ttft_ms``.
"""

from __future__ import annotations

from launchready.checks.performance.probe import PerformanceProbe, chat_route, describe_end, send_chat
from launchready.engine.context import CheckContext
from launchready.findings import Finding, Fix, Impact, RuleSpec, Severity, Stage
from launchready.net import NetError

CHAT_TTFT = RuleSpec(
    rule_id="perf.chat.ttft",
    title="Chat time to first token",
    stage=Stage.PERFORMANCE,
    severity=Severity.INFO,
    description="Time from sending a chat to its first non-empty streamed token.",
    impact=Impact(launch_delay=0, support_load=1, customer_trust=1),
    fix=Fix(
        summary="Stream tokens as they come and keep proxies from buffering the stream.",
        snippets={
            "nginx": "location /v1/chat {\n    proxy_buffering off;\n    proxy_cache off;\n"
            "    proxy_http_version 1.1;\n    proxy_pass http://app;\n}",
            "fastapi": "return StreamingResponse(events(), media_type='text/event-stream',\n"
            "                         headers={'Cache-Control': 'no-cache', 'X-Accel-Buffering': 'no'})",
        },
    ),
)


class TimeToFirstToken(PerformanceProbe):
    name = "perf.chat.ttft"
    rules = (CHAT_TTFT,)

    async def probe(self, ctx: CheckContext) -> list[Finding]:
        config = ctx.config
        route = chat_route(config)
        if route is None:
            return [CHAT_TTFT.unverifiable(config.apex, "no chat route in the config")]
        target = config.route_url(route)
        budget = config.targets.chat_timeout_s + config.performance.timeout_margin_s
        try:
            stream = await send_chat(ctx, config.performance.probe_prompt, budget)
        except NetError as exc:
            return [CHAT_TTFT.unverifiable(target, str(exc))]
        if stream.first_token_s is None:
            return [CHAT_TTFT.unverifiable(target, f"no answer token arrived: {describe_end(stream)}")]
        ttft_ms = round(stream.first_token_s * 1000, 1)
        first_byte_ms = round((stream.first_byte_s or 0) * 1000, 1)
        evidence = (
            f"first token after {ttft_ms:g} ms (first byte {first_byte_ms:g} ms, {stream.events} events)"
        )
        return [
            CHAT_TTFT.passed(target, evidence, details={"ttft_ms": ttft_ms, "first_byte_ms": first_byte_ms})
        ]
