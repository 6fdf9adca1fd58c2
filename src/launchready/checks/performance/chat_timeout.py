"""A chat request ends by the configured timeout even when the model stalls (roadmap stage 5).

A stalled upstream with no server-side deadline keeps the connection, a worker and often a paid
generation open for as long as the client waits; users see a spinner forever. The probe sends the
configured stall prompt (a test hook only the product knows) and waits ``targets.chat_timeout_s`` plus
``[performance] timeout_margin_s``. Ended by then (an error event, a closed stream, a 504) passes; still
open fails. Without a stall prompt there is no honest way to make a real model stall: unverifiable.
"""

from __future__ import annotations

from launchready.checks.performance.probe import PerformanceProbe, chat_route, describe_end, send_chat
from launchready.engine.context import CheckContext
from launchready.findings import Finding, Fix, Impact, RuleSpec, Severity, Stage
from launchready.net import NetError
from launchready.net.sse import StreamEnd

CHAT_TIMEOUT_MISSING = RuleSpec(
    rule_id="perf.chat.timeout-missing",
    title="Chat requests have no server-side timeout",
    stage=Stage.PERFORMANCE,
    severity=Severity.HIGH,
    description="A chat whose model stalls is ended by the server within targets.chat_timeout_s.",
    impact=Impact(launch_delay=1, support_load=3, customer_trust=2),
    fix=Fix(
        summary="Bound each chat by one deadline; on expiry send an error event and close the stream.",
        steps=(
            "Wrap the upstream call and the token loop in one deadline (asyncio.timeout).",
            "On timeout, send `event: error` with a retry hint, then close; cancel the upstream call.",
            "Set the proxy's read timeout a little above it so the app, not the proxy, ends the request.",
        ),
        snippets={
            "fastapi": (
                "async def events(prompt: str):\n"
                "    try:\n"
                "        async with asyncio.timeout(30):\n"
                "            async for token in llm.stream(prompt):\n"
                "                yield f'data: {json.dumps({\"delta\": token})}\\n\\n'\n"
                "        yield 'data: [DONE]\\n\\n'\n"
                "    except TimeoutError:\n"
                '        yield \'event: error\\ndata: {"error": "timeout"}\\n\\n\'\n'
                "# note: no `yield` may sit inside the timeout block when the client is slow; see\n"
                "# launchready.lab.backend.chat for a version that waits per token against one deadline"
            ),
            "nginx": "location /v1/chat {\n    proxy_read_timeout 35s;\n    proxy_buffering off;\n"
            "    proxy_pass http://app;\n}",
            "cloudflare": "Cloudflare ends proxied requests with no response after 100 s (error 524); "
            "set your own shorter timeout in the app.",
        },
        references=("https://docs.python.org/3/library/asyncio-task.html#asyncio.timeout",),
    ),
)


class ChatTimeout(PerformanceProbe):
    name = "perf.chat.timeout"
    rules = (CHAT_TIMEOUT_MISSING,)

    async def probe(self, ctx: CheckContext) -> list[Finding]:
        config = ctx.config
        route = chat_route(config)
        if route is None:
            return [CHAT_TIMEOUT_MISSING.unverifiable(config.apex, "no chat route in the config")]
        target = config.route_url(route)
        prompt = config.performance.stall_prompt
        if not prompt:
            return [
                CHAT_TIMEOUT_MISSING.unverifiable(
                    target,
                    "no [performance] stall_prompt: give a test-hook prompt that makes the model stall "
                    "(the lab uses '[[stall]]')",
                )
            ]
        limit = config.targets.chat_timeout_s
        budget = limit + config.performance.timeout_margin_s
        try:
            stream = await send_chat(ctx, prompt, budget)
        except NetError as exc:
            return [CHAT_TIMEOUT_MISSING.unverifiable(target, str(exc))]
        details: dict[str, object] = {
            "elapsed_s": round(stream.elapsed_s, 3),
            "target_s": limit,
            "budget_s": budget,
            "end": stream.end.value,
            "status": stream.status,
        }
        evidence = f"stall prompt: {describe_end(stream)} (target {limit:g}s)"
        if stream.end is StreamEnd.BUDGET:
            return [CHAT_TIMEOUT_MISSING.failed(target, evidence, details=details)]
        if stream.end is StreamEnd.NOT_STREAMED and stream.status not in (408, 502, 503, 504):
            reason = f"the chat refused the stall prompt, so the timeout was not exercised: {evidence}"
            return [CHAT_TIMEOUT_MISSING.unverifiable(target, reason, details=details)]
        if stream.end is StreamEnd.DONE and stream.answer and stream.elapsed_s < limit:
            reason = f"the stall prompt was answered at once, so the timeout was not exercised: {evidence}"
            return [CHAT_TIMEOUT_MISSING.unverifiable(target, reason, details=details)]
        return [CHAT_TIMEOUT_MISSING.passed(target, evidence, details=details)]
