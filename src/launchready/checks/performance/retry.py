"""A transient upstream failure is retried, so the user still gets an answer (roadmap stage 5).

LLM providers answer 429/503 now and then; a backend that passes that straight to the user turns every
provider hiccup into a support ticket. An answer proves a retry only if a failure really happened first, and
a real product has no way for an outside probe to make its provider fail. So the rule needs a fault hook:
``[performance] flaky_prompt``, a test-hook prompt that makes the product's first upstream call fail once
and says so with an ``X-Fault-Injected`` response header (the lab's ``[[flaky]]`` does both).

- no flaky prompt, or a prompt answered with no acknowledged fault (the hook is absent): ``not_assessed``,
  with how to verify by hand;
- a fault acknowledged and the answer still streamed: ``pass`` (``faults_injected`` recorded);
- the fault reached the user (a 5xx, an error event): ``fail``;
- anything else: ``unverifiable``.
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
from launchready.net.sse import ChatStream, StreamEnd
from launchready.rules import rule

RETRY_MISSING = rule("perf.retry.missing")
FAULT_HEADER = "X-Fault-Injected"
"""The header a fault hook answers with, naming the fault it injected (``upstream-503``)."""
NO_HOOK = (
    "no way to inject a transient model failure: add [performance] flaky_prompt, a test-hook prompt that makes "
    f"the first upstream LLM call fail once and answers with an {FAULT_HEADER} header (the lab uses "
    "'[[flaky]]'); or verify by hand: make the provider call fail once (a proxy answering 503 once, or a "
    "wrong key for one call) and check the chat still answers"
)


class RetryOnTransientFailure(PerformanceProbe):
    name = "perf.retry"
    rules = (RETRY_MISSING,)

    async def probe(self, ctx: CheckContext) -> list[Finding]:
        config = ctx.config
        route = chat_route(config)
        if route is None:
            return [RETRY_MISSING.not_assessed(config.apex, NO_CHAT_ROUTE)]
        target = config.route_url(route)
        prompt = config.performance.flaky_prompt
        if not prompt:
            return [RETRY_MISSING.not_assessed(target, NO_HOOK)]
        budget = config.targets.chat_timeout_s + config.performance.timeout_margin_s
        try:
            stream = await send_chat(ctx, prompt, budget)
        except NetError as exc:
            return [RETRY_MISSING.unverifiable(target, str(exc))]
        return [judge_retry(target, stream)]


def judge_retry(target: str, stream: ChatStream) -> Finding:
    """Pass only when a fault was acknowledged by the hook and the answer still came."""
    fault = stream.header(FAULT_HEADER)
    evidence = f"flaky prompt: {describe_end(stream)}" + (f", {FAULT_HEADER}: {fault}" if fault else "")
    details: dict[str, object] = {
        "status": stream.status,
        "end": stream.end.value,
        "answer_chars": len(stream.answer),
        "fault_injected": fault,
    }
    answered = stream.end in (StreamEnd.DONE, StreamEnd.CLOSED) and bool(stream.answer)
    server_error = stream.status is not None and stream.status >= 500
    if server_error or stream.end is StreamEnd.ERROR_EVENT:
        return RETRY_MISSING.failed(target, f"{evidence}: the failure reached the user", details=details)
    if answered and fault:
        return RETRY_MISSING.passed(
            target,
            f"{evidence}, still answered {len(stream.answer)} chars",
            details=details,
            exercised={"faults_injected": 1, "chats_answered": 1},
        )
    if answered:
        reason = (
            f"the flaky prompt was answered but no {FAULT_HEADER} header says a failure was injected, so the "
            f"answer proves nothing about retries ({evidence}). {NO_HOOK}"
        )
        return RETRY_MISSING.not_assessed(target, reason, details=details)
    return RETRY_MISSING.unverifiable(target, f"no answer to judge: {evidence}", details=details)
