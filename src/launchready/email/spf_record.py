"""Parse one SPF record (RFC 7208 section 4.6 and the ABNF of section 12) into typed terms.

Syntax errors anywhere make the whole record a permerror before any DNS query (section 4.6), so the whole
record is parsed up front and each error carries its position, for a finding that points at the term.
"""

from __future__ import annotations

import enum
import ipaddress
import re
from dataclasses import dataclass

from launchready.email.errors import SpfParseError
from launchready.email.spf_macro import MacroString, parse_macro_string


class Qualifier(enum.StrEnum):
    PASS = "+"
    FAIL = "-"
    SOFTFAIL = "~"
    NEUTRAL = "?"


MECHANISMS = frozenset({"all", "include", "a", "mx", "ptr", "ip4", "ip6", "exists"})
LOOKUP_MECHANISMS = frozenset({"include", "a", "mx", "ptr", "exists"})
"""Section 4.6.4: the terms that cost a DNS lookup (plus the redirect modifier)."""

_MODIFIER = re.compile(r"([A-Za-z][A-Za-z0-9\-_.]*)=(.*)\Z", re.DOTALL)
_MECHANISM = re.compile(r"([+\-~?]?)([A-Za-z][A-Za-z0-9\-_.]*)(.*)\Z", re.DOTALL)
_TOPLABEL = re.compile(r"([A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*|[A-Za-z0-9]+-[A-Za-z0-9\-]*[A-Za-z0-9])\Z")
_IP4_CIDR = re.compile(r"/(0|[1-9][0-9]?)\Z")
_DUAL_CIDR = re.compile(r"(?:/(0|[1-9][0-9]?))?(?://(0|[1-9][0-9]{0,2}))?\Z")
_VERSION = re.compile(r"v=spf1(?: |\Z)", re.IGNORECASE)


@dataclass(frozen=True)
class Mechanism:
    qualifier: Qualifier
    name: str
    domain: MacroString | None = None
    network: ipaddress.IPv4Network | ipaddress.IPv6Network | None = None
    cidr4: int = 32
    cidr6: int = 128
    text: str = ""
    position: int = 0

    @property
    def costs_lookup(self) -> bool:
        return self.name in LOOKUP_MECHANISMS


@dataclass(frozen=True)
class Modifier:
    name: str
    value: MacroString
    text: str = ""
    position: int = 0


@dataclass(frozen=True)
class SpfRecord:
    text: str
    mechanisms: tuple[Mechanism, ...]
    redirect: Modifier | None = None
    explanation: Modifier | None = None
    unknown_modifiers: tuple[Modifier, ...] = ()

    @property
    def all_qualifier(self) -> Qualifier | None:
        """The qualifier of this record's own ``all`` (None when it ends without one)."""
        for mechanism in self.mechanisms:
            if mechanism.name == "all":
                return mechanism.qualifier
        return None

    @property
    def has_all(self) -> bool:
        return any(m.name == "all" for m in self.mechanisms)


def is_spf_record(text: str) -> bool:
    """Section 4.5: a record is SPF when it starts with ``v=spf1`` followed by a space or its end."""
    return _VERSION.match(text) is not None


def parse_spf(text: str) -> SpfRecord:
    """Parse a record that starts with ``v=spf1``; raise ``SpfParseError`` with the offending position."""
    if not is_spf_record(text):
        raise SpfParseError("an SPF record starts with 'v=spf1' followed by a space", 0)
    for index, char in enumerate(text):
        if not ("\x20" <= char <= "\x7e"):
            raise SpfParseError(f"character {char!r} is not 7-bit printable ASCII (RFC 7208 3.1)", index)
    mechanisms: list[Mechanism] = []
    redirect: Modifier | None = None
    explanation: Modifier | None = None
    unknown: list[Modifier] = []
    position = 6
    for term in text[6:].split(" "):
        start = position
        position += len(term) + 1
        if not term:
            continue
        modifier = _MODIFIER.match(term)
        if modifier is not None:
            name, value = modifier.group(1).lower(), modifier.group(2)
            value_at = start + len(modifier.group(1)) + 1
            if name in ("redirect", "exp"):
                parsed = Modifier(name, _domain_spec(value, value_at), term, start)
                if (redirect if name == "redirect" else explanation) is not None:
                    raise SpfParseError(f"the {name}= modifier appears more than once (RFC 7208 6)", start)
                if name == "redirect":
                    redirect = parsed
                else:
                    explanation = parsed
            else:
                unknown.append(Modifier(name, parse_macro_string(value, value_at), term, start))
            continue
        mechanisms.append(_mechanism(term, start))
    return SpfRecord(text, tuple(mechanisms), redirect, explanation, tuple(unknown))


def _mechanism(term: str, start: int) -> Mechanism:
    match = _MECHANISM.match(term)
    if match is None:
        raise SpfParseError(f"not a mechanism or modifier: {term!r}", start)
    qualifier = Qualifier(match.group(1) or "+")
    name = match.group(2).lower()
    rest = match.group(3)
    rest_at = start + len(match.group(1)) + len(match.group(2))
    if name not in MECHANISMS:
        raise SpfParseError(f"unknown mechanism {match.group(2)!r}", start)
    if name == "all":
        if rest:
            raise SpfParseError("'all' takes no argument", rest_at)
        return Mechanism(qualifier, name, text=term, position=start)
    if name in ("ip4", "ip6"):
        if not rest.startswith(":"):
            raise SpfParseError(f"'{name}' needs an address: {name}:ADDRESS[/PREFIX]", rest_at)
        return Mechanism(
            qualifier, name, network=_network(name, rest[1:], rest_at + 1), text=term, position=start
        )
    if name in ("include", "exists"):
        if not rest.startswith(":"):
            raise SpfParseError(f"'{name}' needs a domain: {name}:DOMAIN", rest_at)
        return Mechanism(qualifier, name, _domain_spec(rest[1:], rest_at + 1), text=term, position=start)
    # a, mx, ptr: optional ":domain-spec"; a and mx also take a dual CIDR length.
    domain_text, cidr_text = rest, ""
    if name != "ptr":
        slash = _cidr_start(rest)
        domain_text, cidr_text = rest[:slash], rest[slash:]
    domain: MacroString | None = None
    if domain_text:
        if not domain_text.startswith(":"):
            raise SpfParseError(f"unexpected text after '{name}'", rest_at)
        domain = _domain_spec(domain_text[1:], rest_at + 1)
    cidr4, cidr6 = 32, 128
    if cidr_text:
        cidr = _DUAL_CIDR.match(cidr_text)
        if cidr is None or not cidr_text:
            raise SpfParseError(
                "malformed CIDR length (no leading zeros; /N for IPv4, //N for IPv6)", rest_at
            )
        cidr4 = int(cidr.group(1)) if cidr.group(1) is not None else 32
        cidr6 = int(cidr.group(2)) if cidr.group(2) is not None else 128
        if cidr4 > 32 or cidr6 > 128:
            raise SpfParseError(
                "CIDR length out of range (IPv4 at most 32, IPv6 at most 128)", rest_at + len(domain_text)
            )
    return Mechanism(qualifier, name, domain, cidr4=cidr4, cidr6=cidr6, text=term, position=start)


def _cidr_start(rest: str) -> int:
    """Where a trailing dual-cidr-length begins in ``rest`` (its length when there is none)."""
    match = re.search(r"(?:/[0-9]+)?(?://[0-9]+)?\Z", rest)
    return match.start() if match else len(rest)


def _network(kind: str, text: str, at: int) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    address, slash, prefix = text.partition("/")
    try:
        if kind == "ip4":
            if not re.fullmatch(r"[0-9]{1,3}(\.[0-9]{1,3}){3}", address):
                raise ValueError(address)
            ip4 = ipaddress.IPv4Address(address)
            length = 32
            if slash:
                if _IP4_CIDR.match("/" + prefix) is None or int(prefix) > 32:
                    raise SpfParseError(
                        "ip4 prefix length must be 0..32 without leading zeros", at + len(address)
                    )
                length = int(prefix)
            return ipaddress.IPv4Network((ip4, length), strict=False)
        ip6 = ipaddress.IPv6Address(address)
        length = 128
        if slash:
            if not re.fullmatch(r"0|[1-9][0-9]{0,2}", prefix) or int(prefix) > 128:
                raise SpfParseError(
                    "ip6 prefix length must be 0..128 without leading zeros", at + len(address)
                )
            length = int(prefix)
        return ipaddress.IPv6Network((ip6, length), strict=False)
    except ValueError as exc:
        if isinstance(exc, SpfParseError):
            raise
        raise SpfParseError(
            f"not an {'IPv4' if kind == 'ip4' else 'IPv6'} address: {address!r}", at
        ) from None


def _domain_spec(text: str, at: int) -> MacroString:
    """Section 12 ``domain-spec``: a macro-string ending in a macro or ``.toplabel`` (optional final dot)."""
    if not text:
        raise SpfParseError("empty domain", at)
    macro = parse_macro_string(text, at)
    if macro.ends_with_macro:
        return macro
    last = macro.parts[-1]
    assert isinstance(last, str)
    trimmed = last[:-1] if last.endswith(".") else last
    dot = trimmed.rfind(".")
    if dot < 0 or _TOPLABEL.match(trimmed[dot + 1 :]) is None:
        raise SpfParseError(f"domain {text!r} does not end in a valid top-level label", at + len(text) - 1)
    return macro
