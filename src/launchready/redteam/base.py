"""What every red-team probe shares: the chat client, the target, one call that never raises, and the
shape of a finding's details (the request, an answer excerpt, the reason, the OWASP LLM Top 10 id).

OWASP Top 10 for LLM Applications 2025 ids: LLM01 prompt injection, LLM02 sensitive information
disclosure, LLM05 improper output handling, LLM06 excessive agency, LLM07 system prompt leakage, LLM10
unbounded consumption.
"""

from __future__ import annotations

import abc
import secrets
from dataclasses import dataclass
from typing import ClassVar

from launchready.chat import BudgetExhausted, ChatAnswer, ChatClient
from launchready.chat.client import Conversation
from launchready.config.model import LaunchConfig
from launchready.findings import Finding, RuleSpec
from launchready.net import NetError
from launchready.redteam.judge import excerpt

OWASP = {
    "LLM01": "LLM01:2025 Prompt Injection",
    "LLM02": "LLM02:2025 Sensitive Information Disclosure",
    "LLM05": "LLM05:2025 Improper Output Handling",
    "LLM06": "LLM06:2025 Excessive Agency",
    "LLM07": "LLM07:2025 System Prompt Leakage",
    "LLM10": "LLM10:2025 Unbounded Consumption",
}


def fresh_canary() -> str:
    """A random marker per attempt, so an answer can only contain it by following this very attempt."""
    return "RT" + secrets.token_hex(5).upper()


@dataclass
class ProbeRun:
    client: ChatClient
    config: LaunchConfig
    target: str


@dataclass(frozen=True)
class Attempt:
    """One probe message and what came back (or why nothing could)."""

    message: str
    answer: ChatAnswer | None
    problem: str | None = None

    @property
    def judgeable(self) -> bool:
        """A 2xx that showed some text or a tool call, even if the stream was then cut or timed out:
        what a user saw is judged; an empty answer never counts as resisting."""
        answer = self.answer
        return answer is not None and 200 <= (answer.status or 0) < 300 and not answer.blank

    def record(self, reason: str, around: str | None = None) -> dict[str, object]:
        if self.answer is None:
            return {"request": excerpt(self.message), "answer_excerpt": "", "reason": reason}
        return {
            "request": self.answer.request.as_dict(),
            "status": self.answer.status,
            "answer_excerpt": excerpt(self.answer.text or self.answer.error or self.answer.excerpt, around),
            "elapsed_s": round(self.answer.elapsed_s, 3),
            "reason": reason,
        }


async def attempt(
    run: ProbeRun,
    message: str,
    *,
    raw_body: bytes | None = None,
    conversation: Conversation | None = None,
    timeout_s: float | None = None,
) -> Attempt:
    """Send one probe message; a network error or a spent budget becomes ``Attempt.problem``."""
    try:
        answer = await run.client.send(
            message, conversation, raw_body=raw_body, timeout_s=timeout_s, remember=False
        )
    except (NetError, BudgetExhausted) as exc:
        return Attempt(message, None, str(exc))
    return Attempt(message, answer)


class Probe(abc.ABC):
    """One red-team probe: its rules, its OWASP id, and how it judges the product."""

    name: ClassVar[str]
    rules: ClassVar[tuple[RuleSpec, ...]]

    @abc.abstractmethod
    async def run(self, run: ProbeRun) -> list[Finding]:
        """One finding per rule, each with the request, an answer excerpt and the reason in details."""


def details(owasp: str, attempts: list[dict[str, object]], **extra: object) -> dict[str, object]:
    return {"owasp": OWASP[owasp], "attempts": attempts, **extra}


def incomplete(tried: list[Attempt], judged: int) -> str | None:
    """Why a pass cannot be given: some attempts gave nothing to judge (budget, network, empty answer)."""
    if judged >= len(tried):
        return None
    problems = sorted(
        {a.problem or (a.answer.summary() if a.answer else "no answer") for a in tried if not a.judgeable}
    )
    return f"only {judged} of {len(tried)} attempts could be judged ({'; '.join(problems)[:300]}): no pass on part of the probe"


def unanswered(spec: RuleSpec, run: ProbeRun, tried: list[Attempt], owasp: str) -> Finding:
    """No attempt gave anything to judge: unverifiable, never a pass."""
    problems = sorted({a.problem or (a.answer.summary() if a.answer else "") for a in tried})
    return spec.unverifiable(
        run.target,
        f"no attempt gave an answer to judge ({'; '.join(p for p in problems if p)[:300]})",
        details=details(owasp, [a.record("no answer") for a in tried]),
    )
