"""A hard budget for one command's chats: so many calls, so many seconds, so many at once.

Every chat call takes one unit before it is sent; past the calls or the seconds the call is refused with
``BudgetExhausted`` (the probe that asked reports *unverifiable*, naming the budget), so a red-team pass or
an eval set can never spend more than the user allowed, whatever the cases file says.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass


class BudgetExhausted(Exception):
    """No calls or seconds left in the chat budget."""


@dataclass(frozen=True)
class Estimate:
    """What a planned run will cost, said before it starts."""

    calls: int
    input_tokens: int
    output_tokens: int
    cost: float
    fits: bool

    def describe(self) -> str:
        cost = f", about ${self.cost:.4f}" if self.cost else ""
        verdict = "within" if self.fits else "OVER"
        return (
            f"{self.calls} chat calls, ~{self.input_tokens:,} input and ~{self.output_tokens:,} output tokens"
            f"{cost}: {verdict} the budget"
        )


class Budget:
    def __init__(self, max_calls: int, max_seconds: float, concurrency: int) -> None:
        self.max_calls = max_calls
        self.max_seconds = max_seconds
        self.calls = 0
        self._started: float | None = None
        self.slots = asyncio.Semaphore(concurrency)

    @property
    def elapsed_s(self) -> float:
        return 0.0 if self._started is None else time.monotonic() - self._started

    @property
    def remaining_s(self) -> float:
        return self.max_seconds - self.elapsed_s

    def take(self) -> None:
        """One call, or ``BudgetExhausted``."""
        if self._started is None:
            self._started = time.monotonic()
        if self.calls >= self.max_calls:
            raise BudgetExhausted(f"the chat budget of {self.max_calls} calls is spent")
        if self.remaining_s <= 0:
            raise BudgetExhausted(f"the chat budget of {self.max_seconds:g}s is spent")
        self.calls += 1
