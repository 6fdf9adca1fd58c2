"""Fill the ``[chat] request`` template with a message, the conversation so far and a session id.

Two template shapes, both JSON-safe whatever the message holds (quotes, backslashes, newlines, emoji,
lone surrogates): a TOML table, where a string that *is* a placeholder becomes the value itself
(``history = "{{history}}"`` becomes a JSON array) and a placeholder inside a longer string is replaced by
text; or JSON text, where each placeholder inside a JSON string is replaced by the JSON-escaped text and a
bare placeholder by the JSON value, and the result is parsed so a broken template fails here, loudly, not at
the product.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

PLACEHOLDER = re.compile(r"\{\{\s*(message|history|session)\s*\}\}")


class TemplateError(ValueError):
    """The request template does not give valid JSON once filled."""


@dataclass(frozen=True)
class Turn:
    role: str
    """``user`` or ``assistant``."""
    content: str


def history_value(history: Sequence[Turn]) -> list[dict[str, str]]:
    return [{"role": turn.role, "content": turn.content} for turn in history]


def fill_request(template: object, message: str, history: Sequence[Turn] = (), session: str = "") -> Any:
    """The request body for one chat turn, as a JSON-ready value."""
    message = _scrub(message)
    values: dict[str, Any] = {"message": message, "history": history_value(history), "session": session}
    if isinstance(template, str):
        return _fill_text(template, values)
    return _fill_node(template, values)


def _scrub(text: str) -> str:
    """Lone surrogates cannot be encoded as UTF-8: they become U+FFFD instead of crashing the request."""
    return text.encode("utf-8", "replace").decode("utf-8") if _has_surrogate(text) else text


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _as_text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _fill_node(node: Any, values: dict[str, Any]) -> Any:
    if isinstance(node, str):
        whole = PLACEHOLDER.fullmatch(node.strip())
        if whole:
            return values[whole.group(1)]
        return PLACEHOLDER.sub(lambda m: _as_text(values[m.group(1)]), node)
    if isinstance(node, dict):
        return {key: _fill_node(value, values) for key, value in node.items()}
    if isinstance(node, list):
        return [_fill_node(value, values) for value in node]
    return node


_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)


def _fill_text(template: str, values: dict[str, Any]) -> Any:
    """JSON text: placeholders inside a JSON string get escaped text, bare ones the JSON value."""

    def in_string(match: re.Match[str]) -> str:
        literal = match.group(0)
        return PLACEHOLDER.sub(
            lambda m: json.dumps(_as_text(values[m.group(1)]), ensure_ascii=False)[1:-1], literal
        )

    pieces: list[str] = []
    position = 0
    for match in _JSON_STRING.finditer(template):
        outside = template[position : match.start()]
        pieces.append(PLACEHOLDER.sub(lambda m: json.dumps(values[m.group(1)], ensure_ascii=False), outside))
        pieces.append(in_string(match))
        position = match.end()
    tail = template[position:]
    pieces.append(PLACEHOLDER.sub(lambda m: json.dumps(values[m.group(1)], ensure_ascii=False), tail))
    text = "".join(pieces)
    try:
        return json.loads(text)
    except ValueError as exc:
        raise TemplateError(f"the [chat] request template is not valid JSON once filled: {exc}") from exc
