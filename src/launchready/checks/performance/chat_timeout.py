"""A chat request is cut off by the server when the model stalls, with a message the UI can show (stage 5).

A stalled upstream with no server-side deadline keeps the connection, a worker and often a paid
generation open for as long as the client waits; users see a spinner forever. The probe sends the
configured stall prompt (a test hook only the product knows; the lab's is ``[[stall]]``) and waits
``targets.chat_timeout_s`` plus ``[performance] timeout_margin_s``.

Only a *cut-off stall* proves a timeout: no answer token, then an error event (with the message the UI
shows) or a clean error status (408/502/503/504), arriving after at least ``MIN_CUTOFF_SHARE`` of the target (a real
deadline of 20-30 s for a 30 s target; the lab's tests use 1-3 s) and within the budget. An error that
comes at once (a proxy's 502, a refused prompt, a closed connection) says nothing about a timeout and is
unverifiable; a stream ended with no message is a warning (the user sees a broken answer); still open at
the budget, or an answer finished after the target, fails. Without a stall prompt there is no honest way
to make a real model stall: not assessed.
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

CHAT_TIMEOUT_MISSING = rule("perf.chat.timeout-missing")
MIN_CUTOFF_SHARE = 0.25
"""An end earlier than this share of ``targets.chat_timeout_s`` is not a timeout firing: it is a refusal."""
CLEAN_ERROR_STATUSES = frozenset({408, 502, 503, 504})


class ChatTimeout(PerformanceProbe):
    name = "perf.chat.timeout"
    rules = (CHAT_TIMEOUT_MISSING,)

    async def probe(self, ctx: CheckContext) -> list[Finding]:
        config = ctx.config
        route = chat_route(config)
        if route is None:
            return [CHAT_TIMEOUT_MISSING.not_assessed(config.apex, NO_CHAT_ROUTE)]
        target = config.route_url(route)
        prompt = config.performance.stall_prompt
        if not prompt:
            return [
                CHAT_TIMEOUT_MISSING.not_assessed(
                    target,
                    "no way to make the model stall: add [performance] stall_prompt, a test-hook prompt that "
                    "makes the product's model call go silent (the lab uses '[[stall]]'); or verify by hand "
                    "with the rule's curl command against a stalled upstream",
                )
            ]
        limit = config.targets.chat_timeout_s
        budget = limit + config.performance.timeout_margin_s
        try:
            stream = await send_chat(ctx, prompt, budget)
        except NetError as exc:
            return [CHAT_TIMEOUT_MISSING.unverifiable(target, str(exc))]
        return [judge_stall(target, stream, limit, budget)]


def judge_stall(target: str, stream: ChatStream, limit_s: float, budget_s: float) -> Finding:
    """How the stalled chat ended, judged: only a late, clean cut-off of a silent model passes."""
    earliest = MIN_CUTOFF_SHARE * limit_s
    details: dict[str, object] = {
        "elapsed_s": round(stream.elapsed_s, 3),
        "target_s": limit_s,
        "budget_s": budget_s,
        "earliest_cutoff_s": earliest,
        "end": stream.end.value,
        "status": stream.status,
        "first_token_s": None if stream.first_token_s is None else round(stream.first_token_s, 3),
    }
    evidence = f"stall prompt: {describe_end(stream)} (target {limit_s:g}s)"
    if stream.end is StreamEnd.BUDGET:
        return CHAT_TIMEOUT_MISSING.failed(target, f"{evidence}: nothing ended the chat", details=details)
    if stream.end is StreamEnd.TOO_LARGE:
        return CHAT_TIMEOUT_MISSING.unverifiable(
            target, f"the stall prompt streamed a huge answer: {evidence}"
        )
    streamed_early = stream.first_token_s is not None and stream.first_token_s < earliest
    if streamed_early and stream.end is StreamEnd.DONE:
        if stream.elapsed_s > limit_s:
            return CHAT_TIMEOUT_MISSING.failed(
                target, f"{evidence}: the answer ran past the target and nothing cut it off", details=details
            )
        reason = (
            f"the model did not stall (an answer streamed at once), so no timeout was exercised: {evidence}"
        )
        return CHAT_TIMEOUT_MISSING.unverifiable(target, reason, details=details)
    if streamed_early:
        reason = f"the model streamed tokens before the chat ended, so this was no stall: {evidence}"
        return CHAT_TIMEOUT_MISSING.unverifiable(target, reason, details=details)
    if stream.elapsed_s < earliest:
        reason = (
            f"the chat ended after {stream.elapsed_s:.2f}s, long before a timeout of about {limit_s:g}s "
            f"could fire: an immediate error or refusal is not proof of a timeout ({evidence})"
        )
        return CHAT_TIMEOUT_MISSING.unverifiable(target, reason, details=details)
    if stream.end is StreamEnd.DONE:
        if stream.elapsed_s > limit_s:
            return CHAT_TIMEOUT_MISSING.failed(
                target, f"{evidence}: answered only after the target, nothing cut it off", details=details
            )
        reason = (
            f"the stall prompt was answered within the target, so the model did not stall long enough to "
            f"exercise a timeout: {evidence}"
        )
        return CHAT_TIMEOUT_MISSING.unverifiable(target, reason, details=details)
    cut_off = {"stalls_injected": 1, "stalls_cut_off": 1}
    if stream.end is StreamEnd.ERROR_EVENT:
        return CHAT_TIMEOUT_MISSING.passed(
            target, f"{evidence}: cut off with an error event", details=details, exercised=cut_off
        )
    if stream.end is StreamEnd.NOT_STREAMED and stream.status in CLEAN_ERROR_STATUSES:
        return CHAT_TIMEOUT_MISSING.passed(
            target, f"{evidence}: cut off with a clean error status", details=details, exercised=cut_off
        )
    if stream.end is StreamEnd.CLOSED:
        return CHAT_TIMEOUT_MISSING.warned(
            target,
            f"{evidence}: the server ended the stalled chat but sent no error event or message, so the user "
            "sees a broken answer",
            details=details,
        )
    reason = f"the stalled chat ended with something else than a timeout: {evidence}"
    return CHAT_TIMEOUT_MISSING.unverifiable(target, reason, details=details)
