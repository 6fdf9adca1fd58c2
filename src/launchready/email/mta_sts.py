"""MTA-STS (RFC 8461): the ``_mta-sts`` TXT record, the policy file, and MX pattern matching; and the
SMTP TLS Reporting record (RFC 8460), which tells senders where to report TLS failures.

Small grammars with no maintained Python parser; written here so errors carry positions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from launchready.email.errors import MtaStsParseError, TlsRptParseError
from launchready.email.tags import parse_tag_list

MODES = ("enforce", "testing", "none")
MAX_AGE_LIMIT = 31_557_600
"""RFC 8461 3.2: at most one year."""
RECOMMENDED_MAX_AGE = 604_800
"""RFC 8461 3.2 suggests weeks; one week is the floor we recommend."""
_ID = re.compile(r"[A-Za-z0-9]{1,32}\Z")


@dataclass(frozen=True)
class MtaStsRecord:
    text: str
    policy_id: str


def parse_mta_sts_record(text: str) -> MtaStsRecord:
    """RFC 8461 3.1: ``v=STSv1; id=<1-32 alphanumerics>;``."""
    tags = parse_tag_list(text, MtaStsParseError)
    if not tags or tags[0].name != "v" or tags[0].value != "STSv1":
        raise MtaStsParseError("an MTA-STS record starts with 'v=STSv1'", 0)
    ident = next((t for t in tags if t.name == "id"), None)
    if ident is None:
        raise MtaStsParseError("no id= tag", len(text))
    if not _ID.match(ident.value):
        raise MtaStsParseError("id= must be 1 to 32 letters or digits", ident.position)
    return MtaStsRecord(text, ident.value)


@dataclass(frozen=True)
class MtaStsPolicy:
    mode: str
    max_age: int
    mx: tuple[str, ...]


def parse_mta_sts_policy(text: str) -> MtaStsPolicy:
    """RFC 8461 3.2: ``key: value`` lines (CRLF or LF); version, mode and max_age required, mx repeated."""
    fields: dict[str, str] = {}
    mx: list[str] = []
    position = 0
    for line in text.replace("\r\n", "\n").split("\n"):
        start = position
        position += len(line) + 1
        if not line.strip():
            continue
        key, colon, value = line.partition(":")
        if not colon:
            raise MtaStsParseError(f"expected 'key: value', got {line.strip()[:40]!r}", start)
        key, value = key.strip().lower(), value.strip()
        if key == "mx":
            if not re.fullmatch(r"(\*\.)?[A-Za-z0-9]([A-Za-z0-9.\-]*[A-Za-z0-9])?\.?", value):
                raise MtaStsParseError(f"mx pattern {value!r} is not a host name or *.domain", start)
            mx.append(value.lower().rstrip("."))
        elif key in fields:
            raise MtaStsParseError(f"{key} appears more than once", start)
        else:
            fields[key] = value
    if fields.get("version") != "STSv1":
        raise MtaStsParseError("the policy must say 'version: STSv1'", 0)
    mode = fields.get("mode", "")
    if mode not in MODES:
        raise MtaStsParseError(f"mode must be enforce, testing or none, not {mode!r}", 0)
    age = fields.get("max_age", "")
    if not age.isdigit() or len(age) > 10 or int(age) > MAX_AGE_LIMIT:
        raise MtaStsParseError(f"max_age must be 0..{MAX_AGE_LIMIT} seconds, not {age!r}", 0)
    if mode != "none" and not mx:
        raise MtaStsParseError("a policy in enforce or testing mode must list mx patterns", 0)
    return MtaStsPolicy(mode, int(age), tuple(mx))


def mx_matches(pattern: str, host: str) -> bool:
    """RFC 8461 4.1: exact match, or ``*.`` matching exactly one left-most label."""
    host = host.lower().rstrip(".")
    pattern = pattern.lower().rstrip(".")
    if pattern.startswith("*."):
        head, _, rest = host.partition(".")
        return bool(head) and rest == pattern[2:]
    return host == pattern


@dataclass(frozen=True)
class TlsRptRecord:
    text: str
    rua: tuple[str, ...]


def parse_tlsrpt(text: str) -> TlsRptRecord:
    """RFC 8460 3: ``v=TLSRPTv1; rua=mailto:...,https://...``."""
    tags = parse_tag_list(text, TlsRptParseError)
    if not tags or tags[0].name != "v" or tags[0].value != "TLSRPTv1":
        raise TlsRptParseError("a TLS-RPT record starts with 'v=TLSRPTv1'", 0)
    rua = next((t for t in tags if t.name == "rua"), None)
    if rua is None:
        raise TlsRptParseError("no rua= tag: where should senders report?", len(text))
    uris = []
    offset = rua.position
    for item in rua.value.split(","):
        uri = item.strip()
        if not re.fullmatch(r"(mailto:[^@\s,]+@[^@\s,]+|https://[^\s,]+)", uri, re.IGNORECASE):
            raise TlsRptParseError(f"rua entry {uri!r} must be mailto:address or https://URL", offset)
        uris.append(uri)
        offset += len(item) + 1
    return TlsRptRecord(text, tuple(uris))
