"""The ``tag=value; tag=value`` list shared by DMARC (RFC 9989), DKIM (RFC 6376 3.2), MTA-STS and TLS-RPT.

Each tag keeps the position of its value, so a finding can point at the exact character of a bad value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from launchready.email.errors import EmailParseError

_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")


@dataclass(frozen=True)
class Tag:
    name: str
    """Lower-cased tag name."""
    value: str
    position: int
    """Where the value starts in the record."""


def parse_tag_list(text: str, error: type[EmailParseError]) -> list[Tag]:
    """Split on ';', trim folding whitespace, reject empty names and duplicates (RFC 6376 3.2)."""
    tags: list[Tag] = []
    seen: set[str] = set()
    position = 0
    for chunk in text.split(";"):
        start = position
        position += len(chunk) + 1
        if not chunk.strip():
            continue
        name, equals, value = chunk.partition("=")
        if not equals:
            raise error(
                f"expected tag=value, got {chunk.strip()!r}", start + len(chunk) - len(chunk.lstrip())
            )
        stripped = name.strip()
        if not _NAME.match(stripped):
            raise error(f"invalid tag name {stripped!r}", start + len(name) - len(name.lstrip()))
        key = stripped.lower()
        if key in seen:
            raise error(f"tag {stripped!r} appears more than once", start + len(name) - len(name.lstrip()))
        seen.add(key)
        value_start = start + len(name) + 1
        value_start += len(value) - len(value.lstrip())
        tags.append(Tag(key, value.strip(), value_start))
    return tags
