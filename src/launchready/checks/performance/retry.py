"""A transient upstream failure is retried, so the user still gets an answer (roadmap stage 5).

LLM providers answer 429/503 now and then; a backend that passes that straight to the user turns every
provider hiccup into a support ticket. The probe sends ``[performance] flaky_prompt``, a test hook that
makes the product's first upstream call fail once (the lab uses ``[[flaky]]``); the chat must still answer.
"""

from __future__ import annotations

from launchready.checks.performance.probe import PerformanceProbe, chat_route, describe_end, send_chat
from launchready.engine.context import CheckContext
from launchready.findings import Finding, Fix, Impact, RuleSpec, Severity, Stage
from launchready.net import NetError
from launchready.net.sse import StreamEnd

RETRY_MISSING = RuleSpec(
    rule_id="perf.retry.missing",
    title="Transient LLM failures reach the user",
    stage=Stage.PERFORMANCE,
    severity=Severity.MEDIUM,
    description="When the first upstream LLM call fails transiently, the chat retries and still answers.",
    impact=Impact(launch_delay=0, support_load=3, customer_trust=2),
    fix=Fix(
        summary="Retry transient upstream errors (429, 5xx, timeouts) with exponential backoff and jitter.",
        steps=(
            "Retry only transient errors, at most 2-3 times, within the chat's overall deadline.",
            "Honour the provider's Retry-After; never retry a 4xx that will fail again.",
        ),
        snippets={
            "fastapi": (
                "# pip install tenacity\n"
                "from tenacity import AsyncRetrying, retry_if_exception_type, stop_after_attempt, "
                "wait_random_exponential\n\n"
                "async def open_completion(prompt: str):\n"
                "    async for attempt in AsyncRetrying(\n"
                "        retry=retry_if_exception_type(\n"
                "            (openai.APIConnectionError, openai.InternalServerError,\n"
                "             openai.RateLimitError)),\n"
                "        wait=wait_random_exponential(multiplier=0.2, max=2), stop=stop_after_attempt(3),\n"
                "        reraise=True,\n"
                "    ):\n"
                "        with attempt:\n"
                "            return await client.chat.completions.create(model=MODEL, stream=True,\n"
                "                                                        messages=[...])"
            ),
            "openai-sdk": "client = AsyncOpenAI(max_retries=3, timeout=30)",
        },
        references=("https://tenacity.readthedocs.io/",),
    ),
)


class RetryOnTransientFailure(PerformanceProbe):
    name = "perf.retry"
    rules = (RETRY_MISSING,)

    async def probe(self, ctx: CheckContext) -> list[Finding]:
        config = ctx.config
        route = chat_route(config)
        if route is None:
            return [RETRY_MISSING.unverifiable(config.apex, "no chat route in the config")]
        target = config.route_url(route)
        prompt = config.performance.flaky_prompt
        if not prompt:
            return [
                RETRY_MISSING.unverifiable(
                    target,
                    "no [performance] flaky_prompt: give a test-hook prompt that makes the first upstream "
                    "call fail (the lab uses '[[flaky]]')",
                )
            ]
        budget = config.targets.chat_timeout_s + config.performance.timeout_margin_s
        try:
            stream = await send_chat(ctx, prompt, budget)
        except NetError as exc:
            return [RETRY_MISSING.unverifiable(target, str(exc))]
        evidence = f"flaky prompt: {describe_end(stream)}"
        details: dict[str, object] = {
            "status": stream.status,
            "end": stream.end.value,
            "answer_chars": len(stream.answer),
        }
        answered = stream.end in (StreamEnd.DONE, StreamEnd.CLOSED) and bool(stream.answer)
        if answered:
            return [RETRY_MISSING.passed(target, f"{evidence}, {len(stream.answer)} chars", details=details)]
        server_error = stream.status is not None and stream.status >= 500
        if server_error or stream.end is StreamEnd.ERROR_EVENT:
            return [RETRY_MISSING.failed(target, evidence, details=details)]
        return [RETRY_MISSING.unverifiable(target, f"no answer to judge: {evidence}", details=details)]
