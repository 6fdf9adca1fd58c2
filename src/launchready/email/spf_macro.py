"""SPF macros (RFC 7208 section 7): parse a macro-string once, expand it per evaluation.

Parsing is separate from expansion so a syntax error is a permerror of the whole record (section 4.6)
before any DNS query, while the values (``%{i}``, ``%{p}``...) are only known while evaluating.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass

from launchready.email.errors import SpfParseError

MACRO_LETTERS = frozenset("slodiphcrtv")
EXP_ONLY_LETTERS = frozenset("crt")
"""Section 7.2: c, r and t are only allowed in an explanation string."""
DELIMITERS = ".-+,/_="

_EXPAND = re.compile(r"%\{([A-Za-z])([0-9]*)(r?)([.\-+,/_=]*)\}", re.IGNORECASE)


@dataclass(frozen=True)
class MacroExpand:
    letter: str
    """The macro letter as written: upper case asks for URL escaping (section 7.3)."""
    digits: int | None
    reverse: bool
    delimiters: str


MacroPart = str | MacroExpand


@dataclass(frozen=True)
class MacroString:
    parts: tuple[MacroPart, ...]
    text: str

    @property
    def ends_with_macro(self) -> bool:
        return bool(self.parts) and isinstance(self.parts[-1], MacroExpand)

    @property
    def letters(self) -> frozenset[str]:
        return frozenset(p.letter.lower() for p in self.parts if isinstance(p, MacroExpand))


def parse_macro_string(text: str, offset: int = 0, *, explanation: bool = False) -> MacroString:
    """Split ``text`` in literals and expands; ``offset`` is its position inside the record for errors."""
    parts: list[MacroPart] = []
    literal: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char != "%":
            if not explanation and not ("\x21" <= char <= "\x7e"):
                raise SpfParseError(f"character {char!r} is not allowed in a macro-string", offset + i)
            literal.append(char)
            i += 1
            continue
        nxt = text[i + 1 : i + 2]
        if nxt == "%":
            literal.append("%")
            i += 2
        elif nxt == "_":
            literal.append(" ")
            i += 2
        elif nxt == "-":
            literal.append("%20")
            i += 2
        elif nxt == "{":
            match = _EXPAND.match(text, i)
            if match is None:
                raise SpfParseError("malformed macro: expected %{letter[digits][r][delimiters]}", offset + i)
            letter, digits, reverse, delimiters = match.groups()
            if letter.lower() not in MACRO_LETTERS:
                raise SpfParseError(f"unknown macro letter {letter!r}", offset + i + 2)
            if letter.lower() in EXP_ONLY_LETTERS and not explanation:
                raise SpfParseError(f"macro %{{{letter}}} is only allowed in an explanation", offset + i + 2)
            count = int(digits) if digits else None
            if count == 0 or (digits and len(digits) > 3):
                raise SpfParseError("macro digit transformer must be between 1 and 128", offset + i + 3)
            if literal:
                parts.append("".join(literal))
                literal = []
            parts.append(MacroExpand(letter, count, bool(reverse), delimiters))
            i = match.end()
        else:
            raise SpfParseError("a '%' must be followed by '%', '_', '-' or '{'", offset + i)
    if literal:
        parts.append("".join(literal))
    return MacroString(tuple(parts), text)


def expand(macro: MacroString, values: Mapping[str, str]) -> str:
    """Expand with ``values`` keyed by lower-case letter (section 7.3 transformers and escaping)."""
    out: list[str] = []
    for part in macro.parts:
        if isinstance(part, str):
            out.append(part)
            continue
        value = values.get(part.letter.lower(), "")
        delimiters = part.delimiters or "."
        pieces = re.split("[" + re.escape(delimiters) + "]", value)
        if part.reverse:
            pieces.reverse()
        if part.digits is not None:
            pieces = pieces[-part.digits :]
        expanded = ".".join(pieces)
        if part.letter.isupper():
            expanded = urllib.parse.quote(expanded, safe="-._~")
        out.append(expanded)
    return "".join(out)


def truncate_domain(name: str) -> str:
    """Section 7.3: an expanded name over 253 characters loses labels from the left until it fits."""
    while len(name.rstrip(".")) > 253 and "." in name:
        name = name.split(".", 1)[1]
    return name
