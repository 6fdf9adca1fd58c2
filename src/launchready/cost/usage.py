"""Usage recorded by a saved run (load, eval, red-team): tokens per call and the error rate, read, not guessed.

Token usage is read from every object in the file that carries it, in either provider's shape
(``input_tokens``/``output_tokens`` like Anthropic and OpenAI's Responses API, ``prompt_tokens``/
``completion_tokens`` like Chat Completions, or ``prompt``/``completion`` counts as ``launchready redteam``
records each attempt): each such object is one call. A load results file
(``launchready load -o load.json``) gives the chat route's measured error rate and answer count; it records
no tokens, and ``RecordedUsage.notes`` says so instead of inventing them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_SHAPES = (
    ("input_tokens", "output_tokens"),
    ("prompt_tokens", "completion_tokens"),
    ("prompt", "completion"),
)
"""Anthropic / OpenAI Responses, OpenAI Chat Completions, and ``launchready redteam``'s per-attempt record."""


@dataclass(frozen=True)
class RecordedUsage:
    source: str
    calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    chat_requests: int = 0
    chat_errors: int = 0
    notes: tuple[str, ...] = ()

    @property
    def mean_input(self) -> float | None:
        return self.input_tokens / self.calls if self.calls else None

    @property
    def mean_output(self) -> float | None:
        return self.output_tokens / self.calls if self.calls else None

    @property
    def error_rate(self) -> float | None:
        return self.chat_errors / self.chat_requests if self.chat_requests else None


def _objects(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, dict):
        yield value
        for child in value.values():
            yield from _objects(child)
    elif isinstance(value, list):
        for child in value:
            yield from _objects(child)


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def read_usage(path: Path) -> RecordedUsage:
    """Read one saved run (JSON, or JSON lines). Raises ``ValueError`` when it is neither."""
    text = path.read_text(encoding="utf-8")
    try:
        documents: list[Any] = [json.loads(text)]
    except json.JSONDecodeError:
        try:
            documents = [json.loads(line) for line in text.splitlines() if line.strip()]
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}: neither JSON nor JSON lines: {exc}") from None
    calls = tokens_in = tokens_out = 0
    for obj in (o for doc in documents for o in _objects(doc)):
        for in_key, out_key in _SHAPES:
            got_in, got_out = _count(obj.get(in_key)), _count(obj.get(out_key))
            if got_in is not None and got_out is not None:
                calls += 1
                tokens_in += got_in
                tokens_out += got_out
                break
    requests = errors = 0
    notes = []
    for doc in documents:
        if isinstance(doc, dict) and isinstance(doc.get("routes"), list) and "engine" in doc:
            for route in doc["routes"]:
                if isinstance(route, dict) and route.get("is_chat"):
                    requests += _count(route.get("requests")) or 0
                    errors += _count(route.get("errors")) or 0
            if not requests:
                notes.append(f"{path.name}: a load run without a chat route: no chat error rate")
    if not calls:
        notes.append(f"{path.name}: no token usage recorded (no input/output token counts in the file)")
    return RecordedUsage(str(path), calls, tokens_in, tokens_out, requests, errors, tuple(notes))


@dataclass(frozen=True)
class CombinedUsage:
    """Several saved runs read together: mean tokens per call, the chat error rate, and what was said."""

    input_tokens: float | None
    output_tokens: float | None
    error_rate: float | None
    notes: tuple[str, ...]


def combine(recorded: Sequence[RecordedUsage]) -> CombinedUsage:
    calls = sum(u.calls for u in recorded)
    chats = sum(u.chat_requests for u in recorded)
    notes = []
    mean_in = mean_out = error_rate = None
    if calls:
        mean_in = sum(u.input_tokens for u in recorded) / calls
        mean_out = sum(u.output_tokens for u in recorded) / calls
        notes.append(f"tokens per call from {calls} recorded call(s): {mean_in:.0f} in / {mean_out:.0f} out")
    if chats:
        error_rate = min(0.95, sum(u.chat_errors for u in recorded) / chats)
        notes.append(f"error rate {error_rate:.1%} from {chats} chat request(s) of the load run")
    notes += [note for u in recorded for note in u.notes]
    return CombinedUsage(mean_in, mean_out, error_rate, tuple(notes))
