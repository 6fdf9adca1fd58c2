"""MTA-STS record and policy (RFC 8461), MX pattern matching (4.1), and TLS-RPT (RFC 8460)."""

from __future__ import annotations

import pytest

from launchready.email.errors import MtaStsParseError, TlsRptParseError
from launchready.email.mta_sts import mx_matches, parse_mta_sts_policy, parse_mta_sts_record, parse_tlsrpt


def test_policy_file() -> None:
    policy = parse_mta_sts_policy(
        "version: STSv1\r\nmode: enforce\r\nmx: mx1.example.com\r\nmx: *.example.net\r\nmax_age: 1209600\r\n"
    )
    assert policy.mode == "enforce" and policy.max_age == 1209600
    assert policy.mx == ("mx1.example.com", "*.example.net")


@pytest.mark.parametrize(
    "text",
    [
        "mode: enforce\nmx: a.example\nmax_age: 1",
        "version: STSv1\nmode: strict\nmx: a.example\nmax_age: 1",
        "version: STSv1\nmode: enforce\nmax_age: 1",
        "version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 99999999999",
        "version: STSv1\nmode: enforce\nmx: a.example\nmax_age 1",
    ],
)
def test_invalid_policies(text: str) -> None:
    with pytest.raises(MtaStsParseError):
        parse_mta_sts_policy(text)


def test_mx_patterns_match_one_label() -> None:
    assert mx_matches("*.example.net", "mx1.example.net")
    assert not mx_matches("*.example.net", "a.mx1.example.net")
    assert not mx_matches("*.example.net", "example.net")
    assert mx_matches("MX1.example.com.", "mx1.example.com")


def test_records() -> None:
    assert parse_mta_sts_record("v=STSv1; id=20260101T0000;").policy_id == "20260101T0000"
    with pytest.raises(MtaStsParseError) as caught:
        parse_mta_sts_record("v=STSv1; id=not-valid!")
    assert caught.value.position == 12
    assert (
        parse_tlsrpt("v=TLSRPTv1; rua=mailto:tls@example.com,https://r.example/api").rua[1]
        == "https://r.example/api"
    )
    with pytest.raises(TlsRptParseError) as bad:
        parse_tlsrpt("v=TLSRPTv1; rua=tls@example.com")
    assert bad.value.position == 16
