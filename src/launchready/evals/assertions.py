"""Judge one answer against one assertion, the way promptfoo's deterministic assertions do.

Latency and TTFT thresholds are in milliseconds, length in characters, cost in the currency of ``[chat]``
prices; ``is-json`` validates against a JSON Schema when one is given (jsonschema, Draft 2020-12).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import jsonschema

from launchready.evals.cases import Assertion


@dataclass(frozen=True)
class Observed:
    """What one case's (last) answer was."""

    text: str
    latency_ms: float
    ttft_ms: float | None
    cost: float


@dataclass(frozen=True)
class AssertionResult:
    type: str
    passed: bool
    reason: str


def check(assertion: Assertion, seen: Observed) -> AssertionResult:
    negated = assertion.type.startswith("not-")
    base = assertion.type.removeprefix("not-")
    if base in {"max-latency", "latency", "max-ttft", "ttft", "max-length", "cost"}:
        return _metric(assertion, base, seen)
    held, what = _text(base, assertion.value, seen.text)
    passed = held != negated
    reason = f"{'not ' if negated else ''}{what}: {'ok' if passed else 'failed'}"
    return AssertionResult(assertion.type, passed, reason)


def _text(base: str, value: object, text: str) -> tuple[bool, str]:
    if base == "contains":
        return str(value) in text, f"contains {value!r}"
    if base == "icontains":
        return str(value).lower() in text.lower(), f"icontains {value!r}"
    if base == "starts-with":
        return text.startswith(str(value)), f"starts with {value!r}"
    if base == "equals":
        return text.strip() == str(value).strip(), f"equals {str(value)[:60]!r}"
    if base == "regex":
        return re.search(str(value), text) is not None, f"matches /{value}/"
    try:
        data = json.loads(text)
    except ValueError:
        return False, "is JSON (it is not)"
    if isinstance(value, dict):
        try:
            jsonschema.validate(data, value)
        except jsonschema.ValidationError as exc:
            return False, f"is JSON matching the schema ({exc.message[:80]})"
        return True, "is JSON matching the schema"
    return True, "is JSON"


def _metric(assertion: Assertion, base: str, seen: Observed) -> AssertionResult:
    limit = assertion.limit or 0.0
    if base in {"max-latency", "latency"}:
        value, unit = seen.latency_ms, "ms"
    elif base in {"max-ttft", "ttft"}:
        if seen.ttft_ms is None:
            return AssertionResult(assertion.type, False, "no first token was seen, so TTFT is unknown")
        value, unit = seen.ttft_ms, "ms"
    elif base == "max-length":
        value, unit = float(len(seen.text)), " chars"
    else:
        value, unit = seen.cost, ""
    passed = value <= limit
    return AssertionResult(
        assertion.type, passed, f"{base} {value:.6g}{unit} {'<=' if passed else '>'} {limit:g}{unit}"
    )
