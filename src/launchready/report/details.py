"""Selective rendering of a finding's ``details`` and of run artifacts for humans (HTML, Markdown, terminal).

Secrets are redacted upstream, by the checks, before a finding exists. Human formats still render details
defensively: a key that names a credential (``secret``, ``token``, ``password``, ``api_key``...) has its
text value shown as hidden rather than dumped, at any depth, and long values are cut, so one careless
check cannot leak a credential into a PR comment. The JSON report keeps details verbatim: it is the
machine record a saved run is re-rendered from.
"""

from __future__ import annotations

import json
import re
from typing import Any

from pydantic_core import to_jsonable_python

SENSITIVE_KEY = re.compile(
    r"secret|token|passw|pwd|api[_-]?key|private[_-]?key|authori[sz]ation|credential|bearer|cookie_value",
    re.IGNORECASE,
)
HIDDEN = "(hidden: the key suggests a credential)"
MAX_VALUE_CHARS = 300


def is_sensitive_key(key: str) -> bool:
    """Whether a key's name suggests its value is a credential."""
    return bool(SENSITIVE_KEY.search(key))


def masked(value: Any) -> Any:
    """A JSON-able copy of ``value`` with every sensitive-named key's value hidden, at any depth."""
    plain = to_jsonable_python(value, fallback=str)
    return _mask(plain)


def _hide(key: str, value: Any) -> bool:
    """A sensitive-named key hides its value unless the value cannot hold a secret (a flag, a number, null):
    ``allow_credentials: true`` stays readable."""
    return is_sensitive_key(key) and not (value is None or isinstance(value, bool | int | float))


def _mask(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): HIDDEN if _hide(str(k), v) else _mask(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_mask(v) for v in value]
    return value


def shorten(text: str, limit: int = MAX_VALUE_CHARS) -> str:
    if len(text) <= limit:
        return text
    return text[: limit - 1] + "…"


def display_value(value: Any, limit: int = MAX_VALUE_CHARS) -> str:
    """One readable line for a detail value: scalars as text, structures as compact JSON."""
    plain = masked(value)
    if isinstance(plain, str):
        return shorten(plain, limit)
    if plain is None or isinstance(plain, bool | int | float):
        return json.dumps(plain)
    return shorten(json.dumps(plain, sort_keys=True, ensure_ascii=False), limit)


def detail_rows(details: dict[str, object], limit: int = MAX_VALUE_CHARS) -> list[tuple[str, str]]:
    """``(key, shown value)`` pairs, sorted by key, sensitive keys hidden."""
    rows = []
    for key in sorted(details):
        shown = HIDDEN if _hide(key, details[key]) else display_value(details[key], limit)
        rows.append((key, shown))
    return rows


def pretty_json(value: Any, limit: int = 20_000) -> str:
    """Indented, masked JSON for a generic artifact view, cut with a note past ``limit`` characters."""
    text = json.dumps(masked(value), indent=2, sort_keys=True, ensure_ascii=False)
    if len(text) > limit:
        return text[:limit] + f"\n… cut: {len(text) - limit:,} more characters in the JSON report"
    return text
