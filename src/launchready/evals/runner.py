"""Run an eval suite through the product's chat: every case at once, inside the chat budget.

Each case is one conversation (``ChatClient`` keeps its history and session); the assertions judge its
last answer. A case whose chat failed or came back empty is a failure whatever its assertions say: a
``not-contains`` must not pass on an answer that never came.
"""

from __future__ import annotations

import asyncio
from typing import Literal

from pydantic import BaseModel, Field

from launchready.chat import BudgetExhausted, ChatAnswer, ChatClient, Conversation
from launchready.evals.assertions import Observed, check
from launchready.evals.cases import Assertion, EvalCase, EvalSuite
from launchready.net import NetError

SCHEMA = "launchready-eval/1"


class AssertionOutcome(BaseModel):
    type: str
    passed: bool
    reason: str


class CaseResult(BaseModel):
    id: str
    status: Literal["pass", "fail", "error"]
    """``error``: no answer to judge (network, budget, an empty or failed answer)."""
    turns: int
    answer_excerpt: str = ""
    latency_ms: float | None = None
    ttft_ms: float | None = None
    length: int = 0
    cost: float = 0.0
    http_status: int | None = None
    error: str | None = None
    assertions: list[AssertionOutcome] = Field(default_factory=list)


class EvalRun(BaseModel):
    schema_: str = Field(default=SCHEMA, alias="schema")
    suite: str
    target: str
    calls: int
    wall_s: float
    cases: list[CaseResult]

    model_config = {"populate_by_name": True}

    @property
    def failed(self) -> list[CaseResult]:
        return [c for c in self.cases if c.status != "pass"]

    def to_json(self) -> str:
        return self.model_dump_json(indent=2, by_alias=True) + "\n"


async def run_case(
    client: ChatClient, case_id: str, case: EvalCase, defaults: tuple[Assertion, ...]
) -> CaseResult:
    conversation = Conversation()
    answer: ChatAnswer | None = None
    try:
        for turn in case.turns:
            answer = await client.send(turn, conversation)
    except (NetError, BudgetExhausted) as exc:
        return CaseResult(id=case_id, status="error", turns=len(case.turns), error=str(exc))
    assert answer is not None
    ttft_ms = None if answer.ttft_s is None else answer.ttft_s * 1000
    result = CaseResult(
        id=case_id,
        status="error",
        turns=len(case.turns),
        answer_excerpt=answer.text[:300],
        latency_ms=round(answer.elapsed_s * 1000, 1),
        ttft_ms=None if ttft_ms is None else round(ttft_ms, 1),
        length=len(answer.text),
        cost=client.cost(answer),
        http_status=answer.status,
    )
    if not answer.ok or answer.blank:
        why = answer.summary() + (f": {answer.error}" if answer.error else "")
        return result.model_copy(update={"error": f"no answer to judge ({why})"})
    seen = Observed(answer.text, answer.elapsed_s * 1000, ttft_ms, result.cost)
    outcomes = [check(a, seen) for a in (*defaults, *case.assertions)]
    return result.model_copy(
        update={
            "status": "pass" if all(o.passed for o in outcomes) else "fail",
            "assertions": [AssertionOutcome(type=o.type, passed=o.passed, reason=o.reason) for o in outcomes],
        }
    )


async def run_suite(client: ChatClient, suite: EvalSuite, name: str) -> EvalRun:
    loop = asyncio.get_running_loop()
    started = loop.time()
    defaults = tuple(suite.defaults.assertions)
    results = await asyncio.gather(
        *(
            run_case(client, case_id, case, defaults)
            for case_id, case in zip(suite.case_ids(), suite.tests, strict=True)
        )
    )
    return EvalRun(
        suite=name,
        target=client.url,
        calls=client.budget.calls,
        wall_s=round(loop.time() - started, 3),
        cases=list(results),
    )
