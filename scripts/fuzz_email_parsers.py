#!/usr/bin/env python3
"""Fuzz the email-record parsers with hypothesis: SPF, DMARC, DKIM (and MTA-STS, TLS-RPT).

The property: a parser returns a record or raises its own typed ``EmailParseError`` subclass, never anything
else (no IndexError, no binascii.Error, no cryptography exception leaking through). Inputs are half
grammar-shaped (real tags and mechanisms with mutated values, so the deep paths run) and half arbitrary text.

    .venv/bin/python scripts/fuzz_email_parsers.py       # full size: 25,000 per parser, 125,000 in all
    .venv/bin/python scripts/fuzz_email_parsers.py --per-parser 2000

``tests/email/test_fuzz_parsers.py`` runs the same properties at a reduced size in CI.
"""

from __future__ import annotations

import argparse
import base64
import sys
import time
from collections.abc import Callable

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from launchready.email.dkim import parse_dkim_key
from launchready.email.dmarc import parse_dmarc
from launchready.email.errors import EmailParseError
from launchready.email.mta_sts import parse_mta_sts_policy, parse_tlsrpt
from launchready.email.spf_record import parse_spf

FULL_SIZE = 25_000

_PIECES = st.sampled_from(
    [
        "a",
        "mx",
        "ptr",
        "all",
        "ip4",
        "ip6",
        "include",
        "exists",
        "redirect",
        "exp",
        ":",
        "/",
        "//",
        "=",
        ".",
        "%{",
        "}",
        "%",
        "%%",
        "%_",
        "%-",
        "d",
        "i",
        "r",
        "-",
        "+",
        "~",
        "?",
        "0",
        "32",
        "128",
        "999",
        "192.0.2.1",
        "2001:db8::1",
        "::",
        "example.com",
        "com",
        " ",
        "\t",
        "é",
        "\x00",
        "\x7f",
    ]
)
_SPF_TERMS = st.sampled_from(
    [
        "ip4:192.0.2.0/24",
        "ip6:2001:db8::/32",
        "a",
        "a:mail.example.com/24",
        "mx//64",
        "mx:%{d}",
        "ptr",
        "include:_spf.example.com",
        "exists:%{ir}.%{v}._spf.%{d2}",
        "-all",
        "~all",
        "?all",
        "+all",
        "redirect=_spf.example.com",
        "exp=exp.%{d}",
        "foo=%{l1r-}",
        "ip4:1.2.3.4/33",
        "a:%{x}.com",
        "include:",
    ]
)
_SPF_TEXT = st.one_of(
    st.lists(_SPF_TERMS, max_size=8).map(lambda terms: " ".join(["v=spf1", *terms])),
    st.lists(_PIECES, max_size=40).map(lambda parts: "v=spf1 " + "".join(parts)),
    st.text(max_size=120).map(lambda text: "v=spf1 " + text),
    st.text(max_size=120),
)
_TAG_NAMES = st.sampled_from(
    [
        "v",
        "p",
        "sp",
        "np",
        "t",
        "psd",
        "adkim",
        "aspf",
        "rua",
        "ruf",
        "fo",
        "pct",
        "rf",
        "ri",
        "k",
        "h",
        "s",
        "n",
        "x",
        "",
        " v",
        "P",
    ]
)
_TAG_VALUES = st.one_of(
    st.sampled_from(
        [
            "DMARC1",
            "DKIM1",
            "none",
            "reject",
            "quarantine",
            "r",
            "s",
            "y",
            "n",
            "u",
            "rsa",
            "ed25519",
            "mailto:a@example.com",
            "mailto:a@b,https://x",
            "",
            "=",
            ";",
        ]
    ),
    st.text(max_size=30),
    st.binary(max_size=300).map(lambda raw: base64.b64encode(raw).decode()),
)
_TAG_LIST = st.lists(st.tuples(_TAG_NAMES, _TAG_VALUES), max_size=12).map(
    lambda tags: "; ".join(f"{name}={value}" for name, value in tags)
)
_DMARC_VALID = st.lists(
    st.sampled_from(
        [
            "sp=none",
            "np=reject",
            "t=y",
            "adkim=s",
            "aspf=r",
            "pct=50",
            "rua=mailto:a@b.example",
            "ruf=mailto:f@c.example",
            "fo=1",
            "psd=n",
            "ri=86400",
        ]
    ),
    max_size=6,
).map(lambda tags: "; ".join(["v=DMARC1", "p=quarantine", *tags]))
_DMARC_TEXT = st.one_of(
    _DMARC_VALID, _TAG_LIST.map(lambda t: "v=DMARC1; " + t), _TAG_LIST, st.text(max_size=120)
)
_DKIM_TEXT = st.one_of(_TAG_LIST.map(lambda t: "v=DKIM1; " + t), _TAG_LIST, st.text(max_size=120))
_STS_TEXT = st.one_of(
    st.lists(
        st.tuples(st.sampled_from(["version", "mode", "mx", "max_age", "x"]), _TAG_VALUES), max_size=8
    ).map(lambda lines: "\r\n".join(f"{k}: {v}" for k, v in lines)),
    st.lists(st.sampled_from(["mx.example.com", "*.example.net", "a"]), min_size=1, max_size=3).map(
        lambda mx: "version: STSv1\nmode: enforce\n" + "".join(f"mx: {m}\n" for m in mx) + "max_age: 604800\n"
    ),
    st.text(max_size=120),
)
_TLSRPT_TEXT = st.one_of(
    st.lists(
        st.sampled_from(["mailto:t@example.com", "https://r.example/x", "t@example.com"]),
        min_size=1,
        max_size=3,
    ).map(lambda uris: "v=TLSRPTv1; rua=" + ",".join(uris)),
    _TAG_LIST.map(lambda t: "v=TLSRPTv1; " + t),
    st.text(max_size=80),
)

TARGETS: dict[str, tuple[Callable[[str], object], st.SearchStrategy[str]]] = {
    "spf": (parse_spf, _SPF_TEXT),
    "dmarc": (parse_dmarc, _DMARC_TEXT),
    "dkim": (parse_dkim_key, _DKIM_TEXT),
    "mta-sts": (parse_mta_sts_policy, _STS_TEXT),
    "tls-rpt": (parse_tlsrpt, _TLSRPT_TEXT),
}


def fuzz(name: str, examples: int) -> tuple[int, int]:
    """Run ``examples`` inputs through one parser; return (inputs tried, typed parse errors raised)."""
    parse, strategy = TARGETS[name]
    counts = [0, 0]

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=False,
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def prop(text: str) -> None:
        counts[0] += 1
        try:
            parse(text)
        except EmailParseError:
            counts[1] += 1

    prop()
    return counts[0], counts[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-parser", type=int, default=FULL_SIZE, help="inputs per parser")
    args = parser.parse_args(argv)
    total = 0
    for name in TARGETS:
        started = time.monotonic()
        tried, errors = fuzz(name, args.per_parser)
        total += tried
        print(
            f"{name:8} {tried:>8} inputs  {errors:>8} typed parse errors  {time.monotonic() - started:6.1f}s"
        )
    print(f"total    {total:>8} inputs, no untyped exception")
    return 0


if __name__ == "__main__":
    sys.exit(main())
