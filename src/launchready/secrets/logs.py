"""Whole prompts and model answers written to logs (roadmap: "logs that help debug failures without
leaking prompts or tokens").

Secrets and bearer tokens in logs are found by the matcher like anywhere else; this module finds the other
leak, user conversations. JSON-lines logs are parsed (a ``prompt``/``messages``/``completion`` field holding
text); plain logs are matched on ``prompt=...``-style pairs. A line is read with a length cap, so a
runaway log line costs bounded memory. Only the field name and the length are reported, never the text.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

PROMPT_FIELDS = frozenset(
    {"prompt", "prompts", "messages", "completion", "answer", "response_text", "output_text", "question",
     "user_message", "system_prompt", "input_text", "model_output", "reply"}
)  # fmt: skip
MIN_TEXT = 80
"""Shorter values are labels or ids, not conversations."""
MAX_LINE = 1024 * 1024
_PLAIN = re.compile(
    rb"\b(prompt|completion|answer|messages|question|user_message|system_prompt|reply)\s*[=:]\s*[\"']?([^\n]{80,})",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class PromptLeak:
    path: str
    line: int
    field: str
    length: int


def _text_length(value: object) -> int:
    if isinstance(value, str):
        return len(value)
    if isinstance(value, list):
        return sum(_text_length(item.get("content") if isinstance(item, dict) else item) for item in value)
    return 0


def _json_fields(record: object, depth: int = 0) -> list[tuple[str, int]]:
    if not isinstance(record, dict) or depth > 3:
        return []
    found: list[tuple[str, int]] = []
    for key, value in record.items():
        if str(key).lower() in PROMPT_FIELDS and _text_length(value) >= MIN_TEXT:
            found.append((str(key), _text_length(value)))
        elif isinstance(value, dict):
            found.extend(_json_fields(value, depth + 1))
    return found


def find_prompt_leaks(path: Path, rel: str) -> list[PromptLeak]:
    leaks: list[PromptLeak] = []
    try:
        with path.open("rb") as handle:
            for number, line in enumerate(iter(lambda: handle.readline(MAX_LINE), b""), start=1):
                stripped = line.strip()
                if stripped.startswith(b"{"):
                    try:
                        record = json.loads(stripped)
                    except ValueError:
                        record = None
                    if record is not None:
                        leaks.extend(PromptLeak(rel, number, f, n) for f, n in _json_fields(record))
                        continue
                match = _PLAIN.search(stripped)
                if match:
                    leaks.append(PromptLeak(rel, number, match.group(1).decode(), len(match.group(2))))
    except OSError:
        return leaks
    return leaks
