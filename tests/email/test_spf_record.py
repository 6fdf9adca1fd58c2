"""The SPF parser (RFC 7208 section 12) and macro expansion (section 7, with the section 7.4 examples)."""

from __future__ import annotations

import pytest

from launchready.email.errors import SpfParseError
from launchready.email.spf_eval import _State, _values
from launchready.email.spf_macro import expand, parse_macro_string, truncate_domain
from launchready.email.spf_record import Qualifier, parse_spf


def test_parses_every_mechanism_and_modifier() -> None:
    record = parse_spf(
        "v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/32 a a:mail.example.com/28//64 mx:example.com ptr "
        "exists:%{i}._spf.example.com include:_spf.example.net ?all exp=explain.example.com foo=bar"
    )
    names = [m.name for m in record.mechanisms]
    assert names == ["ip4", "ip6", "a", "a", "mx", "ptr", "exists", "include", "all"]
    assert record.mechanisms[3].cidr4 == 28 and record.mechanisms[3].cidr6 == 64
    assert record.all_qualifier is Qualifier.NEUTRAL
    assert record.explanation is not None and record.unknown_modifiers[0].name == "foo"
    assert sum(m.costs_lookup for m in record.mechanisms) == 6


@pytest.mark.parametrize(
    ("text", "position", "words"),
    [
        ("v=spf1 ip4:192.0.2.1/33 -all", 20, "prefix"),
        ("v=spf1 ip4:192.0.2.1/024 -all", 20, "prefix"),
        ("v=spf1 foo:bar -all", 7, "unknown mechanism"),
        ("v=spf1 redirect=a.example.com redirect=b.example.com", 30, "more than once"),
        ("v=spf1 a:%{x}.example.com -all", 11, "macro letter"),
        ("v=spf1 exists:%{c}.example.com", 16, "explanation"),
        ("v=spf1 a:example.123 -all", 19, "top-level label"),
        ("v=spf1 include -all", 14, "needs a domain"),
        ("v=spf1 -all\tmx", 11, "ASCII"),
        ("v=spf1 all:foo", 10, "no argument"),
        ("v=spf1 a:50%.example.com", 11, "'%'"),
    ],
)
def test_syntax_errors_carry_their_position(text: str, position: int, words: str) -> None:
    with pytest.raises(SpfParseError) as caught:
        parse_spf(text)
    assert caught.value.position == position
    assert words in caught.value.reason


def _state(ip: str) -> _State:
    import ipaddress

    return _State(ipaddress.ip_address(ip), "strong-bad@email.example.com", "mx.example.org")


@pytest.mark.parametrize(
    ("macro", "expected"),
    [
        ("%{s}", "strong-bad@email.example.com"),
        ("%{o}", "email.example.com"),
        ("%{d4}", "email.example.com"),
        ("%{d2}", "example.com"),
        ("%{d1}", "com"),
        ("%{dr}", "com.example.email"),
        ("%{d2r}", "example.email"),
        ("%{l}", "strong-bad"),
        ("%{l-}", "strong.bad"),
        ("%{lr-}", "bad.strong"),
        ("%{l1r-}", "strong"),
        ("%{ir}.%{v}._spf.%{d2}", "3.2.0.192.in-addr._spf.example.com"),
        ("%{lr-}.lp._spf.%{d2}", "bad.strong.lp._spf.example.com"),
        ("%{d2}.trusted-domains.example.net", "example.com.trusted-domains.example.net"),
        ("%%%_%-", "% %20"),
        ("%{L}", "strong-bad"),
        ("%{S}", "strong-bad%40email.example.com"),
    ],
)
def test_rfc7208_section_7_4_examples(macro: str, expected: str) -> None:
    values = _values(_state("192.0.2.3"), "email.example.com")
    assert expand(parse_macro_string(macro), values) == expected


def test_ipv6_macro_example() -> None:
    values = _values(_state("2001:db8::cb01"), "email.example.com")
    assert expand(parse_macro_string("%{ir}.%{v}._spf.%{d2}"), values) == (
        "1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6._spf.example.com"
    )


def test_long_expansions_lose_labels_from_the_left() -> None:
    name = ".".join(["a" * 60] * 5) + ".example.com"
    truncated = truncate_domain(name)
    assert len(truncated) <= 253 and truncated.endswith(".example.com") and not truncated.startswith(".")
