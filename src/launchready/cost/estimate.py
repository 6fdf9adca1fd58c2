"""Monthly LLM spend from traffic, with a range, the savings that matter and a worst case per call.

The model (every figure in the output can be recomputed by hand from these lines):

- ``messages = users_per_day x messages_per_user x days``
- ``answered = messages x (1 - cache_hit_rate)``: a cache hit is answered without a model call.
- ``calls = answered x (1 + retry_rate)``: a retry (the user's "regenerate", a client retry after the answer
  was generated) is a full, billed call.
- ``failed = calls x error_rate / (1 - error_rate)``: a failed call bills its input tokens (the provider
  read the prompt) and is tried again until one succeeds.
- ``cost = calls x (in x p_in + out x p_out) / 1e6 + failed x in x p_in / 1e6`` (prices per million tokens).

Low and high scale the inputs by the price file's ``[range]`` factors (traffic, answer length, cache hits,
errors), so the range is stated, not hidden. Savings are differences of the same formula: what the cache
saves now, what reaching the cache target would save, and what sending a share of traffic to a cheaper
model would save. The worst case is one call with the long-input probe's message (about 4 characters per
token) and a full answer.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from launchready.cost.prices import ModelPrice, PriceBook

CHARS_PER_TOKEN = 4
"""English text averages about four characters per token in the OpenAI and Anthropic tokenizers."""


@dataclass(frozen=True)
class Traffic:
    users_per_day: float
    messages_per_user: float
    input_tokens: float
    output_tokens: float
    cache_hit_rate: float = 0.0
    retry_rate: float = 0.0
    error_rate: float = 0.0
    days: int = 30

    def __post_init__(self) -> None:
        for name in ("users_per_day", "messages_per_user", "input_tokens", "output_tokens", "retry_rate"):
            value = getattr(self, name)
            if not math.isfinite(value) or value < 0:
                raise ValueError(f"{name} must be a finite number >= 0, not {value}")
        if not 0 <= self.cache_hit_rate <= 1:
            raise ValueError(f"cache_hit_rate must be between 0 and 1, not {self.cache_hit_rate}")
        if not 0 <= self.error_rate < 1:
            raise ValueError(f"error_rate must be at least 0 and below 1, not {self.error_rate}")
        if not 1 <= self.days <= 31:
            raise ValueError(f"days must be 1-31, not {self.days}")


@dataclass(frozen=True)
class Breakdown:
    messages: float
    answered: float
    calls: float
    failed: float
    cost: float


def breakdown(traffic: Traffic, price: ModelPrice) -> Breakdown:
    messages = traffic.users_per_day * traffic.messages_per_user * traffic.days
    answered = messages * (1 - traffic.cache_hit_rate)
    calls = answered * (1 + traffic.retry_rate)
    failed = calls * traffic.error_rate / (1 - traffic.error_rate)
    per_call = traffic.input_tokens * price.input + traffic.output_tokens * price.output
    cost = (calls * per_call + failed * traffic.input_tokens * price.input) / 1e6
    return Breakdown(messages, answered, calls, failed, cost)


def scaled(traffic: Traffic, factors: dict[str, float]) -> Traffic:
    return replace(
        traffic,
        users_per_day=traffic.users_per_day * factors.get("traffic", 1.0),
        output_tokens=traffic.output_tokens * factors.get("output_tokens", 1.0),
        cache_hit_rate=min(1.0, traffic.cache_hit_rate * factors.get("cache_hit", 1.0)),
        error_rate=min(0.95, traffic.error_rate * factors.get("error_rate", 1.0)),
    )


@dataclass(frozen=True)
class Saving:
    what: str
    monthly: float


@dataclass(frozen=True)
class WorstCase:
    chars: int
    input_tokens: int
    output_tokens: float
    cost_per_call: float
    status: str
    """What the run saw: ``accepted`` (the probe was sent on), ``refused``, ``sent on and billed``..."""
    evidence: str
    tokens_from: str = ""
    """``measured`` (usage the product reported) or how the tokens were estimated."""


@dataclass(frozen=True)
class Estimate:
    traffic: Traffic
    price: ModelPrice
    prices_checked: str
    prices_stale: bool
    low: Breakdown
    expected: Breakdown
    high: Breakdown
    per_message: float
    savings: tuple[Saving, ...]
    worst_case: WorstCase | None
    range_factors: dict[str, dict[str, float]]
    notes: tuple[str, ...] = ()


def worst_case(
    traffic: Traffic,
    price: ModelPrice,
    chars: int,
    status: str,
    evidence: str,
    *,
    prompt_tokens: int | None = None,
    completion_tokens: int | None = None,
) -> WorstCase:
    """One call with a ``chars``-long message: measured tokens when the run recorded them, else estimated
    (``chars / CHARS_PER_TOKEN`` in, a normal answer out)."""
    tokens = prompt_tokens if prompt_tokens is not None else math.ceil(chars / CHARS_PER_TOKEN)
    out = float(completion_tokens) if completion_tokens is not None else traffic.output_tokens
    cost = (tokens * price.input + out * price.output) / 1e6
    measured = "measured" if prompt_tokens is not None else f"estimated at {CHARS_PER_TOKEN} chars/token"
    return WorstCase(chars, tokens, out, cost, status, evidence, measured)


def estimate(
    traffic: Traffic,
    book: PriceBook,
    model: str,
    *,
    today_iso: str,
    cache_target: float | None = None,
    cheaper_model: str | None = None,
    cheaper_share: float = 0.0,
    worst: WorstCase | None = None,
    notes: tuple[str, ...] = (),
) -> Estimate:
    """Raises ``KeyError`` naming the known models when ``model`` or ``cheaper_model`` has no price."""
    from datetime import date

    price = book.price(model)
    factors = {name: f.model_dump() for name, f in book.range.items()}
    expected = breakdown(traffic, price)
    savings = []
    if traffic.cache_hit_rate > 0:
        uncached = breakdown(replace(traffic, cache_hit_rate=0.0), price)
        savings.append(
            Saving(
                f"the cache already saves ({traffic.cache_hit_rate:.0%} hits)", uncached.cost - expected.cost
            )
        )
    if cache_target is not None and cache_target > traffic.cache_hit_rate:
        better = breakdown(replace(traffic, cache_hit_rate=cache_target), price)
        savings.append(Saving(f"raising cache hits to {cache_target:.0%}", expected.cost - better.cost))
    if cheaper_model is not None and cheaper_share > 0:
        cheap = breakdown(traffic, book.price(cheaper_model))
        savings.append(
            Saving(
                f"sending {cheaper_share:.0%} of traffic to {cheaper_model}",
                cheaper_share * (expected.cost - cheap.cost),
            )
        )
    per_message = expected.cost / expected.messages if expected.messages else 0.0
    return Estimate(
        traffic=traffic,
        price=price,
        prices_checked=(price.checked or book.checked).isoformat(),
        prices_stale=book.stale(date.fromisoformat(today_iso)),
        low=breakdown(scaled(traffic, factors.get("low", {})), price),
        expected=expected,
        high=breakdown(scaled(traffic, factors.get("high", {})), price),
        per_message=per_message,
        savings=tuple(savings),
        worst_case=worst,
        range_factors=factors,
        notes=notes,
    )
