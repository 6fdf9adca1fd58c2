"""An oversized chat message is refused quickly with 413/400/422, not a 5xx or a hang (roadmap stage 5).

A backend without a size limit forwards a 100,000-character prompt to the model: it is slow, billed, and
usually ends in an unhandled context-length error. The probe sends ``[performance] payload_chars``
characters and expects a clean client error within ``payload_budget_s``.
"""

from __future__ import annotations

from launchready.checks.performance.probe import PerformanceProbe, chat_route, describe_end, send_chat
from launchready.engine.context import CheckContext
from launchready.findings import Finding, Fix, Impact, RuleSpec, Severity, Stage
from launchready.net import NetError
from launchready.net.sse import StreamEnd

REFUSALS = frozenset({400, 413, 422})

OVERSIZED_INPUT = RuleSpec(
    rule_id="perf.payload.oversized-input",
    title="Oversized chat input is not refused",
    stage=Stage.PERFORMANCE,
    severity=Severity.MEDIUM,
    description="A 100,000-character chat message gets a quick 413/400/422, not a 5xx, a hang or an answer.",
    impact=Impact(launch_delay=0, support_load=2, customer_trust=1),
    fix=Fix(
        summary="Cap the request body at the edge and the message length in the request model.",
        snippets={
            "fastapi": (
                "class ChatRequest(BaseModel):\n"
                "    message: str = Field(min_length=1, max_length=8000)  # -> 422 beyond it"
            ),
            "nginx": "location /v1/chat {\n    client_max_body_size 64k;  # -> 413\n    proxy_pass http://app;\n}",
            "cloudflare": 'Security → WAF → Custom rules: (http.request.uri.path eq "/v1/chat" and '
            "http.request.body.size gt 65536) → Block",
        },
        references=("RFC 9110 §15.5.14",),
    ),
)


class OversizedInput(PerformanceProbe):
    name = "perf.payload"
    rules = (OVERSIZED_INPUT,)

    async def probe(self, ctx: CheckContext) -> list[Finding]:
        config = ctx.config
        route = chat_route(config)
        if route is None:
            return [OVERSIZED_INPUT.unverifiable(config.apex, "no chat route in the config")]
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
            return [OVERSIZED_INPUT.passed(target, evidence, details=details)]
        if stream.end is StreamEnd.BUDGET or stream.status is None or stream.status >= 500:
            return [OVERSIZED_INPUT.failed(target, evidence, details=details)]
        if 200 <= stream.status < 300:
            return [OVERSIZED_INPUT.failed(target, f"{evidence}: accepted and sent on", details=details)]
        return [
            OVERSIZED_INPUT.unverifiable(
                target, f"the chat answered something else: {evidence}", details=details
            )
        ]
