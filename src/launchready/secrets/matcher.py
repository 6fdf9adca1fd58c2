"""Find secrets in bytes: Hyperscan narrows, Python ``re`` confirms, filters drop placeholders.

Engine decision (measured with ``benchmarks/bench_secrets.py --engine`` on 60 MB of the benchmark corpus,
one core): every rule is compiled into one Hyperscan block-mode database in *prefilter* + single-match mode,
so one SIMD pass per blob says which few rules can match at all — 640 MB/s, against 308 MB/s for the same
rules in a google-re2 ``Set`` (RE2 also lacks the lookarounds our boundaries use, so it would need a second
confirm pass anyway). Only the candidate rules then run their exact Python regex, and only where it can
match: from a literal-led "core" of the rule (leading ``\\b``/lookbehind and captures dropped, so ``re`` skips
to the literal prefix).

A rule with no literal prefix (the generic assignment, database URLs) has a ``locator`` instead of a
prefilter: a Hyperscan pattern for the part that pins a match down (keyword + operator + the first 16 value
characters; scheme + user + the first 6 password characters), reported at every end (no start-of-match
tracking: it cost 4x the scan); the regex then sweeps only a window around each end (``_located``).
These rules used to be anchored on bare literals (``key``, ``token``, ``pass``, ``://``), and the generic
one's regex swept a kilobyte after each: 96 % of the matcher's time, 5 MB/s on Python files (12 MB/s on
the whole 231 MB benchmark history, one core); located, 184 and 280 MB/s, same matches on every blob.
Rule keywords (``twilio``, ``aws``…) are caseless literals in the same database: no blob is lowercased.
The confirm step is the part no engine does for us: entropy, placeholders, JWT claims, inline allows,
overlapping formats resolved by priority.
"""

from __future__ import annotations

import base64
import binascii
import functools
import json
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import hyperscan

from launchready.secrets.context import known_sample
from launchready.secrets.redaction import RedactedSecret
from launchready.secrets.rules import SecretRule, load_rules

INLINE_ALLOW = b"launchready:allow"
"""A line carrying this comment is never reported (``# launchready:allow`` / ``// launchready:allow``)."""

_PLACEHOLDER_PARTS = (
    "xxxx", "your", "example", "placeholder", "changeme", "change-me", "change_me", "dummy", "redacted",
    "sample", "${", "{{", "<", ">", "****", "....", "…", "0000000000", "1234567890", "abcdefghij",
    "process.env", "os.environ", "insert", "replace",
)  # fmt: skip
_PLACEHOLDER_VALUES = frozenset(
    {"password", "secret", "postgres", "root", "admin", "pass", "passwd", "test123"}
)
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_ASSIGNED_NAME = re.compile(rb"([A-Za-z_][A-Za-z0-9_.]*)[\"']?\s*[:=]\s*[\"']?$")


@dataclass(frozen=True)
class SecretMatch:
    """One secret found in one blob. The value itself is gone: only its redacted form is kept."""

    rule: SecretRule
    secret: RedactedSecret
    line: int
    start: int
    assigned_to: str | None
    """The variable the value is assigned to on its line (``NEXT_PUBLIC_OPENAI_KEY``), if any."""
    column: int = 0
    """1-based column of the value on its line (a minified bundle is one line: the line alone is no place).
    Counted from the start of the scanned window when a line is longer than a window (``blobs.WINDOW``)."""
    raw_length: int = 0
    """Bytes the value spans in the blob (a PEM body split across literals is longer than its value)."""
    sample: str | None = None
    """Why the value is a published sample (AWS's ``AKIAIOSFODNN7EXAMPLE``, jwt.io's token), if it is one."""


def shannon_entropy(value: bytes) -> float:
    if not value:
        return 0.0
    counts = Counter(value)
    total = len(value)
    return -sum(c / total * math.log2(c / total) for c in counts.values())


_PEM_QUOTES = re.compile(r"[\"'`]")
_PEM_NOISE = re.compile(r"\\[nr]|[^A-Za-z0-9+/=]")


def normalize_pem(body: str) -> str:
    """A PEM body reduced to its base64 characters, also when split across string literals.

    ``"-----BEGIN PRIVATE KEY-----\\n" "MIIE…\\n" + "…-----END"``: the body starts inside a literal, so the
    pieces between quotes alternate content, glue (`` + ``, ``,``, newlines), content… and only the content
    is kept, then ``\\n`` escapes and whitespace go. A plain PEM file has no quotes: only whitespace goes.
    """
    if _PEM_QUOTES.search(body):
        body = "".join(_PEM_QUOTES.split(body)[0::2])
    return _PEM_NOISE.sub("", body)


def is_placeholder(value: str) -> bool:
    lowered = value.lower()
    if lowered in _PLACEHOLDER_VALUES or len(set(lowered)) <= 2:
        return True
    return _PLACEHOLDER_PART.search(lowered) is not None


_PLACEHOLDER_PART = re.compile("|".join(map(re.escape, _PLACEHOLDER_PARTS)))
"""Any of the parts, in one C-level pass (a generator over 24 ``in`` tests cost 1 µs per candidate value)."""


def jwt_role(token: str) -> str | None:
    """The ``role`` claim of a JWT's payload, or None when it does not decode (RFC 7519 §3)."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    payload = parts[1] + "=" * (-len(parts[1]) % 4)
    try:
        claims = json.loads(base64.urlsafe_b64decode(payload))
    except (binascii.Error, ValueError):
        return None
    role = claims.get("role") if isinstance(claims, dict) else None
    return role if isinstance(role, str) else None


def value_of(rule: SecretRule, raw: bytes) -> str:
    """The secret value a match stands for (a PEM body is normalised: one key, one fingerprint)."""
    value = raw.decode("utf-8", "replace")
    return normalize_pem(value) if rule.normalize == "pem" else value


_BOUNDED = re.compile(r"\{(\d+),(\d+)\}")


def prefilter_pattern(regex: str) -> str:
    """The Hyperscan form of a rule: wide bounded repeats (``{64,8192}``) become open (``{64,}``).

    A prefilter may match more than the rule, never less; wide bounded repeats make Hyperscan's compile
    time explode (a minute for the private-key rule), open ones cost nothing.
    """
    return _BOUNDED.sub(lambda m: m.group(0) if int(m.group(2)) <= 64 else "{" + m.group(1) + ",}", regex)


_CAPTURE = re.compile(r"(?<!\\)\((?!\?)")
_LEADING_ASSERTION = re.compile(r"^(?:\\b|\(\?<![^()]*\))")


def core_pattern(regex: str) -> str:
    """The rule without its leading ``\\b`` or ``(?<!...)``: same matches, but Python's ``re`` can then
    jump between occurrences of the literal prefix instead of trying every offset (10-100x faster); capture
    groups become non-capturing for the same reason. The full rule then confirms at each core match."""
    return _CAPTURE.sub("(?:", _LEADING_ASSERTION.sub("", regex, count=1))


_PREFILTER_FLAGS = hyperscan.HS_FLAG_PREFILTER | hyperscan.HS_FLAG_SINGLEMATCH | hyperscan.HS_FLAG_ALLOWEMPTY
_LOCATOR_FLAGS = 0
"""Every end offset, no start: Hyperscan's start-of-match tracking (``SOM_LEFTMOST``) cost 4x the scan."""
_KEYWORD_FLAGS = hyperscan.HS_FLAG_CASELESS | hyperscan.HS_FLAG_SINGLEMATCH
_WHITESPACE = b" \t\n\r\x0b\x0c"
"""``\\s`` in a bytes pattern."""


def _back(data: bytes, end: int, count: int) -> int:
    """The offset ``count`` non-whitespace bytes before ``end`` (or 0): the earliest a match may start."""
    start = end - count
    extra = count - len(data[max(0, start) : end].translate(None, _WHITESPACE))
    while extra > 0 and start > 0:
        added = data[max(0, start - extra) : start]
        start -= extra
        extra = len(added) - len(added.translate(None, _WHITESPACE))
    return max(0, start)


def _expression(rule: SecretRule) -> bytes:
    return (rule.locator if rule.locator is not None else prefilter_pattern(rule.regex)).encode()


def _flags(rule: SecretRule) -> int:
    return _LOCATOR_FLAGS if rule.locator is not None else _PREFILTER_FLAGS


def _literal(keyword: str) -> bytes:
    """A keyword as a Hyperscan literal pattern (every byte but letters and digits hex-escaped)."""
    return "".join(c if c.isascii() and c.isalnum() else f"\\x{ord(c):02x}" for c in keyword).encode()


def _located(rule: SecretRule, data: bytes, ends: list[int]) -> list[re.Match[bytes]]:
    """The rule's matches, searched only in windows around its locator's ``ends`` (ascending).

    A match starts at most ``locator_back`` non-whitespace bytes before the end of the locator match it
    contains and ends at most ``locator_ahead`` after it, so it lies whole in the window of that end, and
    overlapping windows are merged: a sweep of each merged window finds what a sweep of the whole text finds.
    No match starts after the window's last end, so the sweep stops there instead of trying every offset to
    the window's end (a 128-byte value has ~20 word boundaries where the optional name prefix is tried).
    """
    windows: list[tuple[int, int, int]] = []  # (start, end, last locator end inside)
    for end in ends:
        start, stop = _back(data, end, rule.locator_back), min(len(data), end + rule.locator_ahead)
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], max(windows[-1][1], stop), end)
        else:
            windows.append((start, stop, end))
    found: list[re.Match[bytes]] = []
    for pos, endpos, last in windows:
        while pos <= last and (match := rule.compiled.search(data, pos, endpos)) is not None:
            found.append(match)
            pos = max(match.end(), match.start() + 1)
    return found


@functools.cache
def _database(rules: tuple[SecretRule, ...], keywords: tuple[str, ...]) -> hyperscan.Database:
    """The rules' Hyperscan database, compiled once per process (0.14 s; immutable, so matchers share it
    with a scratch each, and worker processes forked after the first matcher inherit it)."""
    database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    expressions = [_expression(rule) for rule in rules] + [_literal(k) for k in keywords]
    flags = [_flags(rule) for rule in rules] + [_KEYWORD_FLAGS] * len(keywords)
    database.compile(
        expressions=expressions, ids=list(range(len(expressions))), elements=len(expressions), flags=flags
    )
    return database


class Matcher:
    """Scan a buffer with every rule at once. Build one per process: the Hyperscan scratch is not shared."""

    def __init__(self, rules: Sequence[SecretRule] | None = None, *, key: bytes | None = None) -> None:
        """``key`` is the fingerprint key (``redaction.fingerprint_key``); None for a random per-matcher key,
        which is enough when fingerprints are only compared within one process (the logging filter)."""
        import secrets as _random

        self.key = key if key is not None else _random.token_bytes(32)
        self.rules = tuple(rules if rules is not None else load_rules())
        self._keywords = sorted({k for rule in self.rules for k in rule.keywords})
        self._keyword_ids = [
            frozenset(len(self.rules) + self._keywords.index(k) for k in rule.keywords) for rule in self.rules
        ]
        self._db = _database(self.rules, tuple(self._keywords))
        self._scratch = hyperscan.Scratch(self._db)
        self._cores = [re.compile(core_pattern(rule.regex).encode()) for rule in self.rules]

    def _hits(self, data: bytes) -> dict[int, list[tuple[int, int]]]:
        """One Hyperscan pass: expression id -> its (start, end) spans (every end for locators; one span per
        prefilter rule and keyword, whose offsets mean nothing)."""
        hits: dict[int, list[tuple[int, int]]] = {}

        def on_match(expression: int, start: int, end: int, flags: int, context: object) -> None:
            spans = hits.get(expression)
            if spans is None:
                hits[expression] = [(start, end)]
            else:
                spans.append((start, end))

        self._db.scan(data, match_event_handler=on_match, scratch=self._scratch)
        return hits

    def candidates(self, data: bytes) -> list[int]:
        """Indexes of the rules whose prefilter or locator matched (a superset of the rules that really
        match; keywords not yet applied)."""
        return sorted(i for i in self._hits(data) if i < len(self.rules))

    def scan(self, data: bytes) -> list[SecretMatch]:
        """Every secret in ``data``; overlapping matches keep the most specific rule (highest priority)."""
        hits = self._hits(data)
        found: list[tuple[SecretRule, re.Match[bytes], int]] = []
        for index in sorted(i for i in hits if i < len(self.rules)):
            rule = self.rules[index]
            if rule.keywords and not any(k in hits for k in self._keyword_ids[index]):
                continue
            group = 1 if rule.compiled.groups else 0
            for match in self._matches(rule, index, data, hits[index]):
                if self._accept(rule, value_of(rule, match.group(group))):
                    found.append((rule, match, group))
        return self._resolve_overlaps(data, found, self.key)

    def _matches(
        self, rule: SecretRule, index: int, data: bytes, spans: list[tuple[int, int]]
    ) -> list[re.Match[bytes]]:
        """The rule's exact matches: from its locator's ends if it has one, else at each core match."""
        if rule.locator is not None:
            return _located(rule, data, sorted({end for _, end in spans}))
        found = (rule.compiled.match(data, core.start()) for core in self._cores[index].finditer(data))
        return [m for m in found if m is not None]

    @staticmethod
    def _accept(rule: SecretRule, value: str) -> bool:
        if rule.jwt_role is not None and jwt_role(value) != rule.jwt_role:
            return False
        if known_sample(value):
            return True  # kept, and classed as an example by the findings (never silently dropped)
        if is_placeholder(value):
            return False
        if rule.entropy is not None:
            if _UUID.fullmatch(value):
                return False  # an identifier by design (request ids, idempotency keys), not a credential
            if shannon_entropy(value.encode()) < rule.entropy:
                return False
            mixed = any(c.isdigit() for c in value) and any(c.isalpha() for c in value)
            if rule.require_mixed and not mixed:
                return False
        return True

    @staticmethod
    def _resolve_overlaps(
        data: bytes, found: list[tuple[SecretRule, re.Match[bytes], int]], key: bytes
    ) -> list[SecretMatch]:
        found.sort(key=lambda item: (-item[0].priority, item[1].start(item[2])))
        taken: list[tuple[int, int]] = []
        results: list[SecretMatch] = []
        for rule, match, group in found:
            start, end = match.span(group)
            if any(start < t_end and t_start < end for t_start, t_end in taken):
                continue
            taken.append((start, end))
            line_start = data.rfind(b"\n", 0, start) + 1
            line_end = data.find(b"\n", end)
            line = data[line_start : line_end if line_end != -1 else len(data)]
            if INLINE_ALLOW in line:
                continue
            before = data[max(line_start, start - 200) : start]
            named = _ASSIGNED_NAME.search(before)
            value = value_of(rule, match.group(group))
            results.append(
                SecretMatch(
                    rule=rule,
                    secret=RedactedSecret.of(value, rule.provider, key=key, prefix=rule.prefix_of(value)),
                    line=data.count(b"\n", 0, start) + 1,
                    start=start,
                    assigned_to=named.group(1).decode("ascii", "replace") if named else None,
                    column=start - line_start + 1,
                    raw_length=end - start,
                    sample=known_sample(value),
                )
            )
        results.sort(key=lambda m: m.start)
        return results
