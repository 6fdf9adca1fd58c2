"""Empty and failed states (OWASP LLM05): what users see when the input is odd or the model fails.

Odd inputs: an empty message, whitespace only, emoji only, and a body that is not JSON. Failed model: the
configured test-hook prompts make the model fail, time out or stream nothing (``[redteam]
model_error_prompt``, ``model_timeout_prompt``, ``silent_prompt``; the lab's fake LLM does each on
demand). A friendly message or a clean 4xx passes; a stack trace, a provider's error body, a key, an empty
200, a hung stream or a bare 500 fails (``judge.user_facing_failure``). An empty answer is never a pass.
"""

from __future__ import annotations

import asyncio

from launchready.findings import Finding, RuleSpec
from launchready.redteam.base import Attempt, Probe, ProbeRun, attempt, details
from launchready.redteam.judge import user_facing_failure
from launchready.rules import rule

ODD_INPUT = rule("redteam.failure.odd-input")
FAILED_MODEL = rule("redteam.failure.model")

ODD_MESSAGES = {"empty": "", "whitespace": "   \n\t  ", "emoji": "🙂🙂🙂"}
INVALID_JSON = b'{"message": "unterminated'


def _judge(spec: RuleSpec, run: ProbeRun, tried: list[tuple[str, Attempt]], what: str) -> Finding:
    records: list[dict[str, object]] = []
    failed: list[str] = []
    judged = 0
    for label, one in tried:
        if one.answer is None:
            records.append({**one.record(one.problem or "no answer"), "case": label})
            continue
        judged += 1
        verdict = user_facing_failure(one.answer)
        records.append({**one.record(verdict.reason), "case": label, "ok": verdict.ok})
        if not verdict.ok:
            failed.append(f"{label}: {verdict.reason}")
    info = details("LLM05", records)
    if failed:
        return spec.failed(run.target, "; ".join(failed), details=info)
    if judged < len(tried):
        return spec.unverifiable(
            run.target, f"only {judged} of {len(tried)} {what} got a response to judge", details=info
        )
    return spec.passed(
        run.target,
        f"all {judged} {what} got a friendly message or a clean refusal",
        details=info,
        exercised={"chats_sent": judged},
    )


class FailureStates(Probe):
    name = "failures"
    rules = (ODD_INPUT, FAILED_MODEL)

    async def run(self, run: ProbeRun) -> list[Finding]:
        hooks = run.config.redteam
        hooked = {
            "model error": hooks.model_error_prompt,
            "model timeout": hooks.model_timeout_prompt,
            "silent model": hooks.silent_prompt,
        }
        configured = {label: prompt for label, prompt in hooked.items() if prompt}
        odd_labels = [*ODD_MESSAGES, "invalid JSON"]
        results = await asyncio.gather(
            *(attempt(run, message) for message in ODD_MESSAGES.values()),
            attempt(run, "", raw_body=INVALID_JSON),
            *(attempt(run, prompt) for prompt in configured.values()),
        )
        odd = list(zip(odd_labels, results[: len(odd_labels)], strict=True))
        model = list(zip(configured, results[len(odd_labels) :], strict=True))
        findings = [_judge(ODD_INPUT, run, odd, "odd inputs")]
        if not configured:
            findings.append(
                FAILED_MODEL.not_assessed(
                    run.target,
                    "no [redteam] model_error_prompt, model_timeout_prompt or silent_prompt: a test hook that makes "
                    "the model fail on demand is needed to see what users get then",
                    details=details("LLM05", []),
                )
            )
        else:
            findings.append(_judge(FAILED_MODEL, run, model, "model failures"))
        return findings
