"""Certificate rules read from the certificate itself: name matching and expiry by days and lifetime share."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import trustme
from cryptography import x509

from launchready.checks.secure_delivery.certificate import _validity, certificate_names, matches_host
from launchready.findings import Status

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("host", "names", "expected"),
    [
        ("chatbot.test", ["chatbot.test"], True),
        ("www.chatbot.test", ["*.chatbot.test"], True),
        ("a.b.chatbot.test", ["*.chatbot.test"], False),  # a wildcard covers one label only
        ("chatbot.test", ["*.chatbot.test"], False),
        ("x.test", ["*.test"], False),  # no wildcard directly under a TLD
        ("WWW.Chatbot.Test.", ["www.chatbot.test"], True),
        ("127.0.0.1", ["127.0.0.1"], True),
        ("api.chatbot.test", ["chatbot-old.test"], False),
    ],
)
def test_hostname_matching_follows_rfc_6125(host: str, names: list[str], expected: bool) -> None:
    assert matches_host(host, names) is expected


def _cert(not_before: datetime, not_after: datetime) -> x509.Certificate:
    ca = trustme.CA()
    issued = ca.issue_cert("chatbot.test", not_before=not_before, not_after=not_after)
    return x509.load_pem_x509_certificate(issued.cert_chain_pems[0].bytes())


@pytest.mark.parametrize(
    ("lifetime_days", "days_left", "expiring"),
    [
        (90, 60, Status.PASS),
        (90, 15, Status.WARN),
        (90, 3, Status.FAIL),
        (6, 3, Status.PASS),  # short-lived cert half-way: on schedule, no false alarm
        (6, 1, Status.FAIL),
        (3650, 3, Status.FAIL),
    ],
)
def test_expiry_weighs_days_and_share_of_lifetime(
    lifetime_days: int, days_left: int, expiring: Status
) -> None:
    not_after = NOW + timedelta(days=days_left)
    cert = _cert(not_after - timedelta(days=lifetime_days), not_after)
    expired, expiring_finding = _validity("chatbot.test", cert, NOW)
    assert expired.status is Status.PASS
    assert expiring_finding.status is expiring, expiring_finding.evidence


def test_expired_certificate_fails_expired_and_cannot_be_expiring() -> None:
    cert = _cert(NOW - timedelta(days=100), NOW - timedelta(days=10))
    expired, expiring = _validity("chatbot.test", cert, NOW)
    assert expired.status is Status.FAIL and "expired 10 day(s) ago" in expired.evidence
    assert expiring.status is Status.UNVERIFIABLE


def test_names_come_from_the_san() -> None:
    ca = trustme.CA()
    cert = x509.load_pem_x509_certificate(
        ca.issue_cert("a.test", "b.test", "127.0.0.1").cert_chain_pems[0].bytes()
    )
    assert certificate_names(cert) == ["a.test", "b.test", "127.0.0.1"]
